// Media for the log, prepared on the device before they are hashed (`truceMedia.prepare`): the
// file's kind read from its bytes; HEIC/HEIF and other images the mission does not take converted
// to JPEG when the browser can decode them (the pixels only), refused with how to send them
// otherwise; and, when the mission strips location, only the parts the server's allowlist takes
// kept (`truce_watch::media`): JPEG coding segments, JFIF/JFXX without a JPEG thumbnail, ICC and
// Adobe (not EXIF, XMP, IPTC, MPF, comments, stray bytes, anything after the end); PNG's critical
// chunks and pixel-only ancillary ones (not text, `eXIf`, unknown chunks, anything after `IEND`);
// WebP's image chunks, with the VP8X flags for EXIF and XMP cleared; MP3 without its ID3 tags. In
// MP4 and QuickTime files the boxes that hold a place or free text (`udta`, `meta`, `uuid`,
// `©xyz`, `loci`, the dashcams' `gps `, `gps0`, `gpsa` and `udat`, `XMP_`) become zeroed `free`
// boxes of the same size, so no offset moves, and padding boxes are zeroed; a track of timed
// metadata or text has its samples zeroed where they lie in `mdat`, then becomes a zeroed `free`
// box too. Then the whole file is searched for what the server's backstop searches (QuickTime
// location keys, EXIF data, dashcams' GPS logs, NMEA sentences, ISO 6709 text, XMP location
// properties, location boxes), and a file that still holds any of it is refused here, with the
// reason and what to do.
//
// Served as part of /field/app.js; field-app.js calls truceMedia.prepare.

const truceMedia = (function () {
  const ascii = (b, i, n) => String.fromCharCode(...b.subarray(i, i + n));
  const u32 = (b, i) => b[i] * 16777216 + (b[i + 1] << 16) + (b[i + 2] << 8) + b[i + 3];
  const le32 = (b, i) => b[i] + (b[i + 1] << 8) + (b[i + 2] << 16) + b[i + 3] * 16777216;
  const starts = (b, i, s) => {
    for (let k = 0; k < s.length; k++) if (b[i + k] !== s.charCodeAt(k)) return false;
    return true;
  };
  const cat = (...a) => {
    const r = new Uint8Array(a.reduce((n, x) => n + x.length, 0));
    let o = 0;
    for (const x of a) {
      r.set(x, o);
      o += x.length;
    }
    return r;
  };
  const no = (name, why) => {
    throw new Error(name + ' ' + why);
  };
  const damaged = (name, kind) =>
    no(
      name,
      'is damaged (it is not a whole ' +
        kind +
        '), so it cannot be checked for the place it was taken',
    );
  // JPEG: coding segments, JFIF (and JFXX with a pixel thumbnail), ICC, Adobe.
  function keepJpeg(m, body) {
    if (m >= 0xc0 && m <= 0xcf && m !== 0xc8) return true;
    if (m === 0xda || m === 0xdb || m === 0xdd) return true;
    if (m === 0xe0)
      return (
        starts(body, 0, 'JFIF\0') ||
        (starts(body, 0, 'JFXX\0') && (body[5] === 0x11 || body[5] === 0x13))
      );
    if (m === 0xe2) return starts(body, 0, 'ICC_PROFILE\0');
    if (m === 0xee) return starts(body, 0, 'Adobe');
    return false;
  }
  function jpeg(b, name) {
    const out = [b.subarray(0, 2)];
    let i = 2;
    for (;;) {
      while (i < b.length && b[i] !== 0xff) i++;
      while (i + 1 < b.length && b[i + 1] === 0xff) i++;
      if (i + 1 >= b.length) damaged(name, 'JPEG photo');
      const m = b[i + 1];
      if (m === 0xd9) {
        out.push(Uint8Array.of(0xff, 0xd9));
        return cat(...out);
      }
      if (m === 0x00 || m === 0x01 || (m >= 0xd0 && m <= 0xd8)) {
        i += 2;
        continue;
      }
      if (i + 4 > b.length) damaged(name, 'JPEG photo');
      const end = i + 2 + ((b[i + 2] << 8) | b[i + 3]);
      if (end < i + 4 || end > b.length) damaged(name, 'JPEG photo');
      if (keepJpeg(m, b.subarray(i + 4, end))) out.push(b.subarray(i, end));
      i = end;
      if (m === 0xda) {
        let j = i;
        for (;;) {
          while (j < b.length && b[j] !== 0xff) j++;
          if (j + 1 >= b.length) damaged(name, 'JPEG photo');
          const n = b[j + 1];
          if (n === 0x00 || (n >= 0xd0 && n <= 0xd7)) {
            j += 2;
            continue;
          }
          break;
        }
        out.push(b.subarray(i, j));
        i = j;
      }
    }
  }
  // PNG: the critical chunks and those holding only numbers about the pixels, a profile or the time.
  const PNG_KEEP = [
    'IHDR',
    'PLTE',
    'IDAT',
    'IEND',
    'tRNS',
    'cHRM',
    'gAMA',
    'iCCP',
    'sBIT',
    'sRGB',
    'cICP',
    'mDCV',
    'cLLI',
    'bKGD',
    'hIST',
    'pHYs',
    'tIME',
    'acTL',
    'fcTL',
    'fdAT',
  ];
  function png(b, name) {
    const out = [b.subarray(0, 8)];
    let i = 8;
    while (i + 12 <= b.length) {
      const type = ascii(b, i + 4, 4);
      const end = i + 12 + u32(b, i);
      if (end > b.length) damaged(name, 'PNG image');
      if (PNG_KEEP.includes(type)) out.push(b.subarray(i, end));
      i = end;
      if (type === 'IEND') return cat(...out);
    }
    damaged(name, 'PNG image');
  }
  // WebP: the image chunks, with no EXIF or XMP announced.
  function webp(b, name) {
    const end = Math.min(b.length, 8 + le32(b, 4));
    const out = [];
    let i = 12;
    while (i + 8 <= end) {
      const type = ascii(b, i, 4);
      const len = le32(b, i + 4);
      const stop = Math.min(end, i + 8 + len + (len & 1));
      if (i + 8 + len > end) damaged(name, 'WebP image');
      if (type === 'VP8X') {
        const c = b.slice(i, stop);
        c[8] &= 0xf3;
        out.push(c);
      } else if (type === 'ANMF') {
        let k = i + 24;
        while (k + 8 <= i + 8 + len) {
          const t = ascii(b, k, 4);
          const l = le32(b, k + 4);
          if (!['ALPH', 'VP8 ', 'VP8L'].includes(t))
            no(
              name,
              'has metadata inside an animation frame, which this app cannot remove: send it as JPEG or PNG',
            );
          k += 8 + l + (l & 1);
        }
        out.push(b.subarray(i, stop));
      } else if (['VP8 ', 'VP8L', 'ALPH', 'ANIM', 'ICCP'].includes(type))
        out.push(b.subarray(i, stop));
      i = stop;
    }
    const body = cat(...out);
    const head = cat(b.subarray(0, 12));
    const n = body.length + 4;
    head.set([n & 255, (n >> 8) & 255, (n >> 16) & 255, (n >>> 24) & 255], 4);
    return cat(head, body);
  }
  // MP3: the sound, without its ID3 tags.
  function mp3(b) {
    let s = 0,
      e = b.length;
    if (starts(b, 0, 'ID3') && b.length >= 10)
      s = Math.min(
        e,
        10 +
          (((b[6] & 127) << 21) | ((b[7] & 127) << 14) | ((b[8] & 127) << 7) | (b[9] & 127)) +
          (b[3] === 4 && b[5] & 16 ? 10 : 0),
      );
    if (e - s >= 128 && starts(b, e - 128, 'TAG')) e -= 128;
    return b.slice(s, e);
  }
  // MP4 and QuickTime: boxes that hold a place or text become zeroed free boxes of the same size.
  const FREE = [
    'udta',
    'meta',
    'uuid',
    '\u00a9xyz',
    'loci',
    'gps ',
    'GPS ',
    'gps0',
    'gpsa',
    'udat',
    'XMP_',
  ];
  const DESCEND = [
    'moov',
    'mdia',
    'minf',
    'stbl',
    'dinf',
    'edts',
    'mvex',
    'moof',
    'traf',
    'mfra',
    'sinf',
    'schi',
    'tref',
    'clip',
    'matt',
    'tapt',
    'gmhd',
    'iprp',
    'ipco',
  ];
  const TRACKS = ['vide', 'soun', 'tmcd', 'auxv'];
  const HEIF = [
    'heic',
    'heix',
    'heim',
    'heis',
    'hevc',
    'hevx',
    'mif1',
    'mif2',
    'msf1',
    'avif',
    'avis',
  ];
  function boxes(c, start, end, name) {
    const out = [];
    let i = start;
    while (i < end) {
      if (end - i === 4 && c[i] === 0 && c[i + 1] === 0 && c[i + 2] === 0 && c[i + 3] === 0) break;
      if (end - i < 8) damaged(name, 'video');
      let size = u32(c, i),
        head = 8;
      const type = ascii(c, i + 4, 4);
      if (size === 1) {
        size = u32(c, i + 8) * 4294967296 + u32(c, i + 12);
        head = 16;
      } else if (size === 0) size = end - i;
      if (type === 'uuid') head += 16;
      if (size < head || i + size > end) damaged(name, 'video');
      out.push({ type, at: i, body: i + (type === 'uuid' ? head - 16 : head), end: i + size });
      i += size;
    }
    return out;
  }
  const child = (c, box, type, name) =>
    boxes(c, box.body, box.end, name).find((x) => x.type === type);
  function free(c, box) {
    c.set([102, 114, 101, 101], box.at + 4);
    c.fill(0, box.body, box.end);
  }
  // The bytes of a track's samples, from its sample table.
  function samples(c, stbl, name) {
    const t = (x) => child(c, stbl, x, name);
    const stsz = t('stsz'),
      stsc = t('stsc');
    const stco = t('stco') || t('co64');
    if (!stsz || !stsc || !stco)
      no(
        name,
        'has a track of timed metadata or text whose samples this app cannot find, and they can carry the place as it moves: record it with location off',
      );
    const fixed = u32(c, stsz.body + 4),
      count = u32(c, stsz.body + 8);
    const size = (k) => fixed || u32(c, stsz.body + 12 + 4 * k);
    const runs = [];
    for (let k = 0, n = u32(c, stsc.body + 4); k < n; k++)
      runs.push([u32(c, stsc.body + 8 + 12 * k), u32(c, stsc.body + 12 + 12 * k)]);
    const wide = stco.type === 'co64';
    const chunks = u32(c, stco.body + 4);
    const out = [];
    let s = 0;
    for (let k = 1; k <= chunks && s < count; k++) {
      let per = 0;
      for (const [first, n] of runs) if (first <= k) per = n;
      let at = wide
        ? u32(c, stco.body + 8 + 8 * (k - 1)) * 4294967296 + u32(c, stco.body + 12 + 8 * (k - 1))
        : u32(c, stco.body + 8 + 4 * (k - 1));
      for (let q = 0; q < per && s < count; q++, s++) {
        const n = size(s);
        if (at + n > c.length) damaged(name, 'video');
        out.push([at, n]);
        at += n;
      }
    }
    return out;
  }
  function movie(c, start, end, name, depth) {
    if (depth > 16) no(name, 'nests boxes deeper than the server reads');
    for (const box of boxes(c, start, end, name)) {
      if (box.type === 'cmov')
        no(
          name,
          'has a compressed movie header, which this app cannot read: export it again from the camera app',
        );
      if (box.type === 'trak') {
        const mdia = child(c, box, 'mdia', name);
        const hdlr = mdia && child(c, mdia, 'hdlr', name);
        const kind = hdlr ? ascii(c, hdlr.body + 8, 4) : '';
        if (TRACKS.includes(kind)) {
          movie(c, box.body, box.end, name, depth + 1);
          continue;
        }
        const minf = mdia && child(c, mdia, 'minf', name);
        const stbl = minf && child(c, minf, 'stbl', name);
        if (!stbl || boxes(c, 0, c.length, name).some((x) => x.type === 'moof'))
          no(
            name,
            'has a track of timed metadata or text that this app cannot remove, and it can carry the place as it moves: record it with location off',
          );
        for (const [at, n] of samples(c, stbl, name)) c.fill(0, at, at + n);
        free(c, box);
        continue;
      }
      if (FREE.includes(box.type)) free(c, box);
      else if (['free', 'skip', 'wide'].includes(box.type)) c.fill(0, box.body, box.end);
      else if (DESCEND.includes(box.type)) movie(c, box.body, box.end, name, depth + 1);
    }
  }
  // What the server's backstop looks for anywhere in a file.
  function leftover(b) {
    const t = new TextDecoder('windows-1252').decode(b);
    if (t.includes('com.apple.quicktime.location')) return 'QuickTime location metadata';
    if (/Exif\x00\x00(MM\x00\*|II\*\x00)/.test(t)) return 'EXIF camera data';
    if (/freeGPS |LIGOGPSINFO/.test(t)) return 'a dashcam\u2019s GPS log';
    if (/\$G[PN](RMC|GGA),/.test(t)) return 'a GPS receiver\u2019s position sentence';
    if (
      /[+-]\d{2,6}(\.\d+)?[+-]\d{3,7}(\.\d+)?([+-]\d{1,6}(\.\d+)?)?\/|[+-]\d{2,6}\.\d{2,}[+-]\d{3,7}\.\d{2,}/.test(
        t,
      )
    )
      return 'a position written as text';
    if (
      /[A-Za-z0-9]:(gps[\w.-]{2,}|location[\w.-]*|sublocation[\w.-]*|city|state|country|countrycode|countryname|provincestate|worldregion|shotlocation|latitude|longitude)(?=[=>\/"'\s]|$)/i.test(
        t,
      )
    )
      return 'an XMP property naming a place';
    for (const m of t.matchAll(/udta|loci|\u00a9xyz|gps |gps0|XMP_/g)) {
      const i = m.index;
      if (i >= 4) {
        const n = u32(b, i - 4);
        if (n >= 8 && n <= b.length - (i - 4)) return 'a ' + m[0] + ' box';
      }
    }
    return null;
  }
  function kindOf(b, declared) {
    if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
    if (starts(b, 0, '\x89PNG\r\n\x1a\n')) return 'image/png';
    if (starts(b, 0, 'RIFF') && starts(b, 8, 'WEBP')) return 'image/webp';
    if (['ftyp', 'moov', 'mdat', 'free', 'skip', 'wide', 'pnot'].includes(ascii(b, 4, 4))) {
      const brand = ascii(b, 4, 4) === 'ftyp' ? ascii(b, 8, 4) : '';
      if (HEIF.includes(brand)) return 'image/heif';
      if (brand === 'qt  ' || declared === 'video/quicktime') return 'video/quicktime';
      if (brand === 'M4A ' || brand === 'M4B ' || declared.startsWith('audio/')) return 'audio/mp4';
      return 'video/mp4';
    }
    if (starts(b, 0, 'ID3') || (b[0] === 0xff && (b[1] & 0xe0) === 0xe0)) return 'audio/mpeg';
    return declared.startsWith('image/') ? 'image/other' : '';
  }
  // Images the mission does not take, as JPEG: the pixels only.
  async function toJpeg(file, name, heif) {
    let bmp = null;
    try {
      bmp = await createImageBitmap(file);
    } catch (e) {}
    if (!bmp)
      no(
        name,
        heif
          ? 'is a HEIC photo, which this browser cannot convert: set the camera to Most Compatible (Settings, Camera, Formats), or share the photo as JPEG, and add it again'
          : 'is an image this browser cannot read: send it as JPEG or PNG',
      );
    const canvas = document.createElement('canvas');
    canvas.width = bmp.width;
    canvas.height = bmp.height;
    canvas.getContext('2d').drawImage(bmp, 0, 0);
    bmp.close();
    const blob = await new Promise((r) => canvas.toBlob(r, 'image/jpeg', 0.92));
    if (!blob) no(name, 'could not be converted to JPEG');
    return new Uint8Array(await blob.arrayBuffer());
  }
  async function prepare(file, policy) {
    const name = file.name || 'the file';
    let b = new Uint8Array(await file.arrayBuffer());
    let type = kindOf(b, file.type || '');
    if (type === 'image/heif' || type === 'image/other') {
      b = await toJpeg(file, name, type === 'image/heif');
      type = 'image/jpeg';
    }
    if (!type)
      no(
        name,
        'is not a kind of file this mission takes (JPEG, PNG, WebP, MP4, QuickTime, MP4 audio, MP3)',
      );
    if (policy.location === 'strip') {
      if (type === 'image/jpeg') b = jpeg(b, name);
      else if (type === 'image/png') b = png(b, name);
      else if (type === 'image/webp') b = webp(b, name);
      else if (type === 'audio/mpeg') b = mp3(b);
      else {
        b = b.slice();
        movie(b, 0, b.length, name, 0);
      }
      const left = leftover(b);
      if (left)
        no(
          name,
          'still carries ' +
            left +
            ' where this app cannot remove it, and it can give away where you were: record it with location off (on a phone: Settings, Privacy, Location Services, Camera), or send photos instead',
        );
    }
    if (b.length > policy.max_bytes)
      no(name, 'has ' + b.length + ' bytes, over the mission\u2019s limit of ' + policy.max_bytes);
    const hash = [...new Uint8Array(await crypto.subtle.digest('SHA-256', b))]
      .map((x) => x.toString(16).padStart(2, '0'))
      .join('');
    return {
      hash,
      bytes: b.length,
      type,
      name,
      data: b.buffer.slice(b.byteOffset, b.byteOffset + b.length),
    };
  }
  return { prepare };
})();
