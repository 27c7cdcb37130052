// The map: boundary view, zones, clustered observations with popups, filters, and the list. Every
// value from the log, the agreement or a boundary view is put in the page as text (`textContent`,
// DOM nodes for Leaflet's tooltips and popups), never as HTML.

(function () {
  const el = document.getElementById('map'),
    status = document.getElementById('map-status');
  const map = L.map(el, { zoomSnap: 0.5, minZoom: 3, maxZoom: 14, center: [48.3, 37.8], zoom: 6 });
  window.truceMap = map;
  // Leaflet 1.9's default attribution carries a national flag; a map every party reads stays neutral.
  map.attributionControl.setPrefix('Leaflet 1.9.4');
  if (el.dataset.basemap) {
    L.tileLayer(el.dataset.basemap, {
      maxZoom: 14,
      attribution: 'basemap: ' + new URL(el.dataset.basemap.replace(/[{}]/g, '')).host,
    }).addTo(map);
  }
  map.createPane('countries').style.zIndex = 200;
  map.createPane('zones').style.zIndex = 350;
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
    if (lv) lv.textContent = 'Boundaries: ' + id + ' (Ukraine shaded yellow).';
  }
  function legend(zs) {
    const ul = document.getElementById('legend-items');
    ul.replaceChildren();
    const v = text('li', 'Boundaries: ' + el.dataset.view + ' (Ukraine shaded yellow).');
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
            (p.km ? ' \u2014 ' + p.km + ' km of ' + p.line : '') +
            ' (' +
            p.kind.replace(/_/g, ' ') +
            ')',
        ),
      );
      ul.append(li);
    }
    for (const [s, c] of Object.entries(states)) {
      const li = document.createElement('li');
      const sw = text('span', '\u25cf ');
      sw.style.color = c;
      li.append(sw, text('span', 'observation: ' + s.replace(/_/g, ' ')));
      ul.append(li);
    }
  }
  function popup(p) {
    const d = document.createElement('div');
    d.className = 'obs-popup';
    d.append(
      text('strong', p.class + (p.count > 1 ? ' \u00d7' + p.count : '')),
      document.createElement('br'),
    );
    d.append(
      text(
        'span',
        p.start.replace('T', ' ').replace('Z', '') + ' \u2013 ' + p.end.slice(11, 16) + ' UTC',
      ),
      document.createElement('br'),
    );
    d.append(
      text('span', 'sensor: ' + p.sensor + (p.approximate ? ' (approximate)' : '')),
      document.createElement('br'),
    );
    d.append(
      text('span', 'attributed to: ' + ((p.attributed_to || []).join(', ') || 'nobody yet')),
      document.createElement('br'),
    );
    d.append(
      text('span', 'verification: ' + p.verification.replace(/_/g, ' ')),
      document.createElement('br'),
    );
    const a = text('a', 'entry ' + p.log_index + ': fields, history and proof');
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
  function chosen(id) {
    return new Set([...document.querySelectorAll('#' + id + ' input:checked')].map((i) => i.value));
  }
  function boxes(id, values) {
    const fs = document.getElementById(id);
    for (const v of [...values].sort()) {
      const l = document.createElement('label');
      l.className = 'plain';
      const i = document.createElement('input');
      i.type = 'checkbox';
      i.value = v;
      i.checked = true;
      i.addEventListener('change', apply);
      l.append(i, text('span', ' ' + v.replace(/_/g, ' ')));
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
        p.verification,
        (p.attributed_to || []).join(' '),
        p.sensor,
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
        p.class,
        String(p.count),
        p.sensor,
        (p.attributed_to || []).join(', ') || '\u2014',
        p.verification.replace(/_/g, ' '),
      ])
        tr.append(text('td', v));
      const b = text('button', 'Show');
      b.type = 'button';
      b.setAttribute('aria-label', 'Show entry ' + p.log_index + ' on the map');
      b.addEventListener('click', () => show(m));
      const tdb = document.createElement('td');
      tdb.append(b);
      tr.append(tdb);
      rows.append(tr);
    }
    cluster.addLayers(shown);
    status.textContent =
      n +
      ' of ' +
      features.length +
      ' observations shown' +
      (from || to ? ' from ' + (from || 'the start') + ' to ' + (to || 'the end') : '') +
      '.';
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
                f.properties.name + (f.properties.km ? ' (' + f.properties.km + ' km)' : ''),
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
          title: p.class + ' (entry ' + p.log_index + ')',
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
      boxes('f-class', new Set(features.map((f) => f.properties.class)));
      boxes('f-state', new Set(features.map((f) => f.properties.verification)));
      const ps = new Set();
      for (const f of features) for (const x of f.properties.attributed_to || []) ps.add(x);
      for (const x of [...ps].sort()) {
        const o = text('option', x);
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
      apply();
    } catch (e) {
      console.error(e);
      status.textContent =
        'The map could not load: ' +
        ((e && e.message) || String(e)) +
        '. Reload the page; the list and downloads below still work.';
    }
  })();
})();
