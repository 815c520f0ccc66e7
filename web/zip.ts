// A minimal ZIP writer (stored entries, no compression) for downloading a HEPData submission as
// one archive: local file headers, central directory and end record as in PKWARE's APPNOTE.TXT
// 6.3.x (sections 4.3.7, 4.3.12, 4.3.16); CRC-32 with the reflected polynomial 0xEDB88320 (4.4.7).
const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32(b: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < b.length; i++) c = CRC_TABLE[(c ^ b[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A .zip of the named texts (UTF-8 names and contents; all entries dated 1980-01-01). */
export function zipStore(files: readonly { name: string; text: string }[]): Uint8Array<ArrayBuffer> {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [], central: Uint8Array[] = [];
  let off = 0;
  const seen = new Set<string>();
  for (const f of files) {
    if (!f.name || f.name.startsWith('/') || f.name.includes('..')) throw new Error(`zip: bad entry name '${f.name}'`);
    if (seen.has(f.name)) throw new Error(`zip: duplicate entry '${f.name}'`);
    seen.add(f.name);
    const name = enc.encode(f.name), data = enc.encode(f.text), crc = crc32(data);
    if (data.length >= 0xffffffff || off >= 0xffffffff) throw new Error(`zip: ${f.name}: over 4 GiB (no ZIP64 here)`);
    const local = new Uint8Array(30 + name.length), lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true); // local file header signature
    lv.setUint16(4, 20, true); // version needed 2.0
    lv.setUint16(6, 0x0800, true); // flags: UTF-8 names
    lv.setUint16(8, 0, true); // stored
    lv.setUint16(10, 0, true); // time 00:00
    lv.setUint16(12, 0x21, true); // date 1980-01-01
    lv.setUint32(14, crc, true);
    lv.setUint32(18, data.length, true);
    lv.setUint32(22, data.length, true);
    lv.setUint16(26, name.length, true);
    local.set(name, 30);
    const cd = new Uint8Array(46 + name.length), cv = new DataView(cd.buffer);
    cv.setUint32(0, 0x02014b50, true); // central directory header signature
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(8, 0x0800, true);
    cv.setUint16(10, 0, true);
    cv.setUint16(12, 0, true);
    cv.setUint16(14, 0x21, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, data.length, true);
    cv.setUint32(24, data.length, true);
    cv.setUint16(28, name.length, true);
    cv.setUint32(42, off, true); // offset of the local header
    cd.set(name, 46);
    parts.push(local, data);
    central.push(cd);
    off += local.length + data.length;
  }
  const cdSize = central.reduce((a, c) => a + c.length, 0);
  const end = new Uint8Array(22), ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true); // end of central directory signature
  ev.setUint16(8, files.length, true);
  ev.setUint16(10, files.length, true);
  ev.setUint32(12, cdSize, true);
  ev.setUint32(16, off, true);
  const out = new Uint8Array(off + cdSize + 22);
  let p = 0;
  for (const a of [...parts, ...central, end]) {
    out.set(a, p);
    p += a.length;
  }
  return out;
}
