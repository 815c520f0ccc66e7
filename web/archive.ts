// Reading the files of a HEPData resource in the page (issue 20): .tar, .tar.gz / .tgz, .gz and
// .zip, with the platform's DecompressionStream (gzip, deflate-raw) and no other dependency.
// tar: POSIX ustar headers (512-byte blocks, name + prefix, octal size; IEEE 1003.1-2001
// "pax" 'x' records for long paths, GNU 'L' long names); zip: the central directory of PKWARE's
// APPNOTE.TXT 6.3.x (4.3.12, 4.3.16), entries stored (0) or deflated (8), ZIP64 sizes (4.5.3).
import { crc32 } from './zip.js';

export interface ArchiveFile {
  /** Path inside the archive (or the file name itself). */
  readonly name: string;
  readonly bytes: Uint8Array;
}

export class ArchiveError extends Error {
  constructor(source: string, message: string) {
    super(`${source}: ${message}`);
    this.name = 'ArchiveError';
  }
}

/** Limits against decompression bombs in a page (the whole archive is unpacked in memory). */
const MAX_UNPACKED = 1 << 30;

async function decompress(bytes: Uint8Array, format: 'gzip' | 'deflate-raw', source: string): Promise<Uint8Array> {
  const ds = new DecompressionStream(format);
  const reader = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(ds).getReader();
  const parts: Uint8Array[] = [];
  let n = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      n += value.length;
      if (n > MAX_UNPACKED) throw new ArchiveError(source, `unpacks to over ${MAX_UNPACKED} bytes`);
    }
  } catch (e) {
    if (e instanceof ArchiveError) throw e;
    throw new ArchiveError(source, `${format} data is corrupt (${(e as Error).message})`);
  }
  const out = new Uint8Array(n);
  let p = 0;
  for (const a of parts) {
    out.set(a, p);
    p += a.length;
  }
  return out;
}

const dec = new TextDecoder();
const cstr = (b: Uint8Array) => {
  const z = b.indexOf(0);
  return dec.decode(z < 0 ? b : b.subarray(0, z));
};

function octal(b: Uint8Array, source: string, what: string): number {
  // GNU base-256 for sizes over 8 GiB: not needed in a page.
  if (b[0] & 0x80) throw new ArchiveError(source, `${what}: base-256 size field (over 8 GiB) not supported`);
  const s = cstr(b).trim();
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) throw new ArchiveError(source, `${what}: bad octal field '${s}'`);
  return parseInt(s, 8);
}

/** Regular files of a tar archive, in archive order. */
export function readTar(bytes: Uint8Array, source = '<tar>'): ArchiveFile[] {
  const out: ArchiveFile[] = [];
  let off = 0;
  let longName: string | undefined;
  while (off + 512 <= bytes.length) {
    const h = bytes.subarray(off, off + 512);
    if (h.every((x) => x === 0)) break; // end of archive: two zero blocks
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h[i];
    const stored = octal(h.subarray(148, 156), source, `header at byte ${off}: checksum`);
    if (sum !== stored) throw new ArchiveError(source, `header at byte ${off}: checksum ${stored} != ${sum} (not a tar archive, or corrupt)`);
    const size = octal(h.subarray(124, 136), source, `header at byte ${off}: size`);
    const type = String.fromCharCode(h[156] || 0x30);
    const magic = cstr(h.subarray(257, 263));
    const prefix = magic === 'ustar' ? cstr(h.subarray(345, 500)) : '';
    let name = cstr(h.subarray(0, 100));
    if (prefix) name = `${prefix}/${name}`;
    const data = off + 512, end = data + size;
    if (end > bytes.length) throw new ArchiveError(source, `entry '${name}' runs past the end of the archive (truncated)`);
    const body = bytes.subarray(data, end);
    if (type === 'L') longName = cstr(body);
    else if (type === 'x') {
      // pax records: "<len> key=value\n"; only path matters here.
      const m = /(?:^|\n)\d+ path=([^\n]*)\n/.exec(dec.decode(body));
      if (m) longName = m[1];
    } else if (type === 'g') {
      // global pax header: nothing a reader of JSON files needs
    } else {
      if ((type === '0' || type === '7') && !name.endsWith('/')) out.push({ name: longName ?? name, bytes: body });
      longName = undefined;
    }
    off = data + Math.ceil(size / 512) * 512;
  }
  return out;
}

/** Files of a zip archive from its central directory (directories left out). */
export async function readZip(bytes: Uint8Array, source = '<zip>'): Promise<ArchiveFile[]> {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 0xffff); i--) {
    if (v.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ArchiveError(source, 'no end of central directory record (not a zip archive, or truncated)');
  let count = v.getUint16(eocd + 10, true);
  let cd = v.getUint32(eocd + 16, true);
  if (cd === 0xffffffff || count === 0xffff) {
    // ZIP64 end of central directory locator just before the end record (APPNOTE 4.3.15).
    const loc = eocd - 20;
    if (loc < 0 || v.getUint32(loc, true) !== 0x07064b50) throw new ArchiveError(source, 'ZIP64 locator missing');
    const z = Number(v.getBigUint64(loc + 8, true));
    if (v.getUint32(z, true) !== 0x06064b50) throw new ArchiveError(source, 'ZIP64 end record missing');
    count = Number(v.getBigUint64(z + 32, true));
    cd = Number(v.getBigUint64(z + 48, true));
  }
  const out: ArchiveFile[] = [];
  let p = cd;
  for (let k = 0; k < count; k++) {
    if (p + 46 > bytes.length || v.getUint32(p, true) !== 0x02014b50) throw new ArchiveError(source, `central directory entry ${k}: bad signature`);
    const method = v.getUint16(p + 10, true);
    const crc = v.getUint32(p + 16, true);
    let csize = v.getUint32(p + 20, true), usize = v.getUint32(p + 24, true);
    const nlen = v.getUint16(p + 28, true), xlen = v.getUint16(p + 30, true), clen = v.getUint16(p + 32, true);
    let local = v.getUint32(p + 42, true);
    const name = dec.decode(bytes.subarray(p + 46, p + 46 + nlen));
    // ZIP64 extra field (id 1): the 0xffffffff fields in order usize, csize, offset.
    for (let x = p + 46 + nlen; x + 4 <= p + 46 + nlen + xlen; ) {
      const id = v.getUint16(x, true), len = v.getUint16(x + 2, true);
      if (id === 1) {
        let q = x + 4;
        if (usize === 0xffffffff) (usize = Number(v.getBigUint64(q, true)), (q += 8));
        if (csize === 0xffffffff) (csize = Number(v.getBigUint64(q, true)), (q += 8));
        if (local === 0xffffffff) local = Number(v.getBigUint64(q, true));
      }
      x += 4 + len;
    }
    p += 46 + nlen + xlen + clen;
    if (name.endsWith('/')) continue;
    if (local + 30 > bytes.length || v.getUint32(local, true) !== 0x04034b50) throw new ArchiveError(source, `${name}: bad local header`);
    const start = local + 30 + v.getUint16(local + 26, true) + v.getUint16(local + 28, true);
    if (start + csize > bytes.length) throw new ArchiveError(source, `${name}: runs past the end of the archive (truncated)`);
    const raw = bytes.subarray(start, start + csize);
    let data: Uint8Array;
    if (method === 0) data = raw;
    else if (method === 8) data = await decompress(raw, 'deflate-raw', `${source}: ${name}`);
    else throw new ArchiveError(source, `${name}: compression method ${method} not supported (stored or deflate only)`);
    if (data.length !== usize) throw new ArchiveError(source, `${name}: ${data.length} bytes unpacked, the directory says ${usize}`);
    if (crc32(data) !== crc) throw new ArchiveError(source, `${name}: CRC-32 mismatch (corrupt)`);
    out.push({ name, bytes: data });
  }
  return out;
}

/**
 * The files of `bytes` named `name`: a tar / gzipped tar / zip archive is unpacked (recognized by
 * its magic bytes, not its name), a lone .gz is decompressed, anything else is one file.
 */
export async function unpack(name: string, bytes: Uint8Array): Promise<ArchiveFile[]> {
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    const inner = await decompress(bytes, 'gzip', name);
    const base = name.replace(/\.(tgz|gz)$/i, (m) => (m.toLowerCase() === '.tgz' ? '.tar' : ''));
    return isTar(inner) ? readTar(inner, name) : [{ name: base, bytes: inner }];
  }
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5)) return readZip(bytes, name);
  if (isTar(bytes)) return readTar(bytes, name);
  return [{ name, bytes }];
}

function isTar(b: Uint8Array): boolean {
  return b.length >= 512 && cstr(b.subarray(257, 262)) === 'ustar';
}
