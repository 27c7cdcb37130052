// The map: boundary view, zones, clustered observations with popups, filters, and the list. Every
// value from the log, the agreement or a boundary view is put in the page as text (`textContent`,
// DOM nodes for Leaflet's tooltips and popups), never as HTML.

(function () {
  const el = document.getElementById('map'),
    status = document.getElementById('map-status');
  // The reader's words (the page renders them from the Fluent bundles) and the gazetteer's places.
  const W = JSON.parse(document.getElementById('map-words').textContent);
  const fmt = (key, vars) =>
    W.t[key].replace(/\{(\w+)\}/g, (m, k) => (vars && k in vars ? String(vars[k]) : m));
  const say = (kind, id) => (W[kind] && W[kind][id]) || String(id).replace(/_/g, ' ');
  const partyName = (id) => W.parties[id] || id;
  const places = new Map(W.places.map((p) => [p[0], p]));
  // "4 km NE of Debaltseve", in the reader's language, from the export's language-neutral `place`.
  const near = (pl) => {
    if (!pl) return '';
    const known = places.get(pl.geonameid),
      name = known ? known[3] : pl.name;
    return pl.km === 0
      ? fmt('in', { place: name })
      : fmt('near', { km: pl.km, direction: say('directions', pl.direction), place: name });
  };
  const map = L.map(el, { zoomSnap: 0.5, minZoom: 3, maxZoom: 14, center: [48.3, 37.8], zoom: 6 });
  window.truceMap = map;
  // Leaflet 1.9's default attribution carries a national flag; a map every party reads stays neutral.
  map.attributionControl.setPrefix('Leaflet 1.9.4');
  map.attributionControl.addAttribution(W.t.credit);
  if (el.dataset.basemap) {
    L.tileLayer(el.dataset.basemap, {
      maxZoom: 14,
      attribution: 'basemap: ' + new URL(el.dataset.basemap.replace(/[{}]/g, '')).host,
    }).addTo(map);
  }
  map.createPane('countries').style.zIndex = 200;
  map.createPane('zones').style.zIndex = 350;
  const labelPane = map.createPane('labels');
  labelPane.style.zIndex = 380;
  labelPane.style.pointerEvents = 'none';
  // Town labels: the more populous first, more of them as the reader zooms in, only those in view.
  const labels = L.layerGroup([], { pane: 'labels' }).addTo(map);
  function relabel() {
    const z = map.getZoom(),
      b = map.getBounds().pad(0.1);
    const least = z <= 6 ? 100000 : z <= 7 ? 30000 : z <= 8 ? 10000 : z <= 9 ? 4000 : z <= 10 ? 1500 : 0;
    labels.clearLayers();
    let n = 0;
    for (const p of W.places) {
      if (p[4] < least || !b.contains([p[1], p[2]])) continue;
      const span = text('span', p[3]);
      labels.addLayer(
        L.marker([p[1], p[2]], {
          pane: 'labels',
          interactive: false,
          keyboard: false,
          icon: L.divIcon({ className: 'town', html: span, iconSize: null, iconAnchor: [3, 8] }),
        }),
      );
      if (++n >= 250) break;
    }
    el.dataset.towns = String(n);
  }
  map.on('zoomend moveend', relabel);
  const colours = {
    contact_line: '#b42318',
    withdrawal_line: '#1d3557',
    security_zone: '#9a5b00',
    disengagement_area: '#6a3d9a',
  };
  const colour = (k) => colours[k] || '#2a7f62';
  const states = {
    received: '#6c757d',
    under_review: '#1d6fb8',
    corroborated: '#1a7f37',
    disputed: '#b42318',
    unverifiable: '#9a5b00',
    rejected: '#aaaaaa',
  };
  const text = (tag, t, cls) => {
    const e = document.createElement(tag);
    e.textContent = t;
    if (cls) e.className = cls;
    return e;
  };
  let countries = null,
    zones = null,
    features = [],
    markers = new Map();
  const cluster = L.markerClusterGroup({
    showCoverageOnHover: false,
    maxClusterRadius: 40,
    disableClusteringAtZoom: 13,
  });
  map.addLayer(cluster);
  async function json(u) {
    const r = await fetch(u, { credentials: 'same-origin' });
    if (!r.ok) throw new Error(u + ': ' + r.status);
    return r.json();
  }
  const viewName = (id) => {
    const o = document.querySelector('#view option[value="' + CSS.escape(id) + '"]');
    return o ? o.textContent : id;
  };
  async function showView(id) {
    const g = await json('/v1/boundaries/' + encodeURIComponent(id));
    if (countries) map.removeLayer(countries);
    countries = L.geoJSON(g, {
      pane: 'countries',
      style: (f) => ({
        className: 'country country-' + f.properties.id,
        color: '#666',
        weight: 1,
        fillColor: f.properties.id === '804' ? '#fff4cc' : '#f1f1ec',
        fillOpacity: 1,
      }),
      onEachFeature: (f, l) =>
        l.bindTooltip(() => text('span', f.properties.name), { sticky: true }),
    }).addTo(map);
    el.dataset.view = id;
    el.dataset.shown = id;
    const lv = document.getElementById('legend-view');
    if (lv) lv.textContent = fmt('boundaries', { view: viewName(id) });
  }
  function legend(zs) {
    const ul = document.getElementById('legend-items');
    ul.replaceChildren();
    const v = text('li', fmt('boundaries', { view: viewName(el.dataset.view) }));
    v.id = 'legend-view';
    ul.append(v);
    for (const f of zs.features) {
      const p = f.properties;
      const li = document.createElement('li');
      const sw = text('span', '\u25a0 ');
      sw.style.color = colour(p.kind);
      li.append(
        sw,
        text(
          'span',
          p.name +
            (p.km ? ' \u2014 ' + fmt('zoneKm', { km: p.km, line: p.line }) : '') +
            ' (' +
            say('kinds', p.kind) +
            ')',
        ),
      );
      ul.append(li);
    }
    for (const [s, c] of Object.entries(states)) {
      const li = document.createElement('li');
      const sw = text('span', '\u25cf ');
      sw.style.color = c;
      li.append(sw, text('span', fmt('observation', { state: say('states', s) })));
      ul.append(li);
    }
  }
  function popup(p) {
    const d = document.createElement('div');
    d.className = 'obs-popup';
    d.append(
      text('strong', say('classes', p.class) + (p.count > 1 ? ' \u00d7' + p.count : '')),
      document.createElement('br'),
    );
    if (p.place) d.append(text('span', near(p.place)), document.createElement('br'));
    d.append(
      text(
        'span',
        p.start.replace('T', ' ').replace('Z', '') + ' \u2013 ' + p.end.slice(11, 16) + ' UTC',
      ),
      document.createElement('br'),
    );
    d.append(
      text(
        'span',
        fmt('sensor', { sensor: say('sensors', p.sensor) }) +
          (p.approximate ? ' ' + W.t.approximate : ''),
      ),
      document.createElement('br'),
    );
    d.append(
      text(
        'span',
        fmt('attributed', {
          parties: (p.attributed_to || []).map(partyName).join(', ') || W.t.nobody,
        }),
      ),
      document.createElement('br'),
    );
    d.append(
      text('span', fmt('verification', { state: say('states', p.verification) })),
      document.createElement('br'),
    );
    const a = text('a', fmt('entry', { index: p.log_index }));
    a.href = '/ui/entries/' + p.log_index;
    d.append(a);
    return d;
  }
  function show(m) {
    el.scrollIntoView();
    let opened = false;
    m.once('popupopen', () => {
      opened = true;
    });
    cluster.zoomToShowLayer(m, () => m.openPopup());
    // A busy browser may miss the cluster's animation: then go straight to the marker, unclustered.
    setTimeout(() => {
      if (!opened) {
        map.setView(m.getLatLng(), 13, { animate: false });
        setTimeout(() => m.openPopup(), 100);
      }
    }, 1500);
  }
  // The place search: a name in any of the three languages (the page's list holds the reader's names;
  // the gazetteer's other spellings come with each place).
  const placeForm = document.getElementById('place-form');
  if (placeForm)
    placeForm.addEventListener('submit', (e) => {
      e.preventDefault();
      const q = document.getElementById('place').value.trim().toLowerCase(),
        out = document.getElementById('place-status');
      if (!q) return;
      const hit = W.places
        .filter((p) => [p[3], ...p[5]].some((n) => n.toLowerCase().startsWith(q)))
        .sort((a, b) => b[4] - a[4])[0];
      if (!hit) {
        out.textContent = W.t.none;
        return;
      }
      map.setView([hit[1], hit[2]], Math.max(map.getZoom(), 11));
      out.textContent = fmt('found', { place: hit[3] });
    });
  function chosen(id) {
    return new Set([...document.querySelectorAll('#' + id + ' input:checked')].map((i) => i.value));
  }
  function boxes(id, values, kind) {
    const fs = document.getElementById(id);
    for (const v of [...values].sort()) {
      const l = document.createElement('label');
      l.className = 'plain';
      const i = document.createElement('input');
      i.type = 'checkbox';
      i.value = v;
      i.checked = true;
      i.addEventListener('change', apply);
      l.append(i, text('span', ' ' + say(kind, v)));
      fs.append(l);
    }
  }
  function apply() {
    const from = document.getElementById('from').value,
      to = document.getElementById('to').value;
    const classes = chosen('f-class'),
      stateset = chosen('f-state'),
      party = document.getElementById('party').value;
    const q = document.getElementById('filter').value.toLowerCase();
    cluster.clearLayers();
    const rows = document.querySelector('#observations tbody');
    rows.replaceChildren();
    let n = 0;
    const shown = [];
    for (const f of features) {
      const p = f.properties,
        day = p.start.slice(0, 10);
      if (
        (from && day < from) ||
        (to && day > to) ||
        !classes.has(p.class) ||
        !stateset.has(p.verification)
      )
        continue;
      if (party && !(p.attributed_to || []).includes(party)) continue;
      const line = [
        p.log_index,
        p.class,
        say('classes', p.class),
        p.verification,
        say('states', p.verification),
        (p.attributed_to || []).join(' '),
        (p.attributed_to || []).map(partyName).join(' '),
        p.sensor,
        say('sensors', p.sensor),
        near(p.place),
      ]
        .join(' ')
        .toLowerCase();
      if (q && !line.includes(q)) continue;
      const m = markers.get(p.log_index);
      shown.push(m);
      n++;
      const tr = document.createElement('tr');
      const a = text('a', String(p.log_index));
      a.href = '/ui/entries/' + p.log_index;
      const td = document.createElement('td');
      td.append(a);
      tr.append(td);
      for (const v of [
        p.start.replace('T', ' ').slice(0, 16),
        near(p.place) || '\u2014',
        say('classes', p.class),
        String(p.count),
        say('sensors', p.sensor),
        (p.attributed_to || []).map(partyName).join(', ') || '\u2014',
        say('states', p.verification),
      ])
        tr.append(text('td', v));
      const b = text('button', W.t.show);
      b.type = 'button';
      b.setAttribute('aria-label', fmt('showEntry', { index: p.log_index }));
      b.addEventListener('click', () => show(m));
      const tdb = document.createElement('td');
      tdb.append(b);
      tr.append(tdb);
      rows.append(tr);
    }
    cluster.addLayers(shown);
    status.textContent =
      from || to
        ? fmt('statusSpan', {
            shown: n,
            total: features.length,
            from: from || W.t.start,
            to: to || W.t.end,
          })
        : fmt('status', { shown: n, total: features.length });
    el.dataset.shown = el.dataset.view;
    el.dataset.observations = String(n);
  }
  (async function () {
    try {
      await showView(el.dataset.view);
      const zs = await json('/v1/zones');
      legend(zs);
      zones = L.geoJSON(zs, {
        pane: 'zones',
        style: (f) => {
          const line = f.geometry.type === 'LineString',
            buffer = !!f.properties.km;
          return {
            className: 'zone zone-' + f.properties.kind + (line ? ' zone-line' : ' zone-area'),
            color: colour(f.properties.kind),
            stroke: !buffer,
            weight: line ? 3 : 1,
            fillOpacity: buffer ? 0.07 : 0.05,
            fillRule: 'nonzero',
            dashArray: f.properties.kind === 'contact_line' ? null : '6 4',
          };
        },
        onEachFeature: (f, l) =>
          l.bindTooltip(
            () =>
              text(
                'span',
                f.properties.name +
                  (f.properties.km ? ' (' + f.properties.km + ' km)' : '') +
                  ' \u2014 ' +
                  say('kinds', f.properties.kind),
              ),
            { sticky: true },
          ),
      }).addTo(map);
      const g = await json('/v1/export?format=geojson');
      features = g.features;
      for (const f of features) {
        const p = f.properties,
          [lon, lat] = f.geometry.coordinates;
        const icon = L.divIcon({
          className: 'obs obs-' + p.verification,
          html: '',
          iconSize: [14, 14],
        });
        const m = L.marker([lat, lon], {
          icon: icon,
          title: fmt('marker', { class: say('classes', p.class), index: p.log_index }),
          keyboard: true,
        });
        m.bindPopup(() => popup(p));
        markers.set(p.log_index, m);
      }
      if (!el.dataset.from && !el.dataset.to && features.length) {
        const last = features
          .map((f) => f.properties.start.slice(0, 10))
          .sort()
          .pop();
        const d = new Date(last + 'T00:00:00Z');
        d.setUTCDate(d.getUTCDate() - 6);
        document.getElementById('from').value = d.toISOString().slice(0, 10);
        document.getElementById('to').value = last;
      }
      boxes('f-class', new Set(features.map((f) => f.properties.class)), 'classes');
      boxes('f-state', new Set(features.map((f) => f.properties.verification)), 'states');
      const ps = new Set();
      for (const f of features) for (const x of f.properties.attributed_to || []) ps.add(x);
      for (const x of [...ps].sort()) {
        const o = text('option', partyName(x));
        o.value = x;
        document.getElementById('party').append(o);
      }
      for (const id of ['from', 'to', 'party', 'filter'])
        document.getElementById(id).addEventListener(id === 'filter' ? 'input' : 'change', apply);
      document.getElementById('view').addEventListener('change', (e) =>
        showView(e.target.value).then(() => {
          const u = new URL(location);
          u.searchParams.set('view', e.target.value);
          history.replaceState(null, '', u);
        }),
      );
      map.fitBounds(zones.getBounds().pad(0.3));
      relabel();
      apply();
    } catch (e) {
      console.error(e);
      status.textContent = fmt('failed', { error: (e && e.message) || String(e) });
    }
  })();
})();
