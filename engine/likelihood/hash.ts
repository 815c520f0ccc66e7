// SHA-256 (FIPS 180-4) and MD5 (RFC 1321) of UTF-8 text, synchronous and dependency-free so
// workspace digests work the same in Node and the browser (pyhf patchsets carry either).

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);
const hex = (words: ArrayLike<number>, littleEndian: boolean): string => {
  let h = '';
  for (let k = 0; k < words.length; k++) {
    const w = words[k] >>> 0;
    const bytes = littleEndian ? [w & 255, (w >>> 8) & 255, (w >>> 16) & 255, w >>> 24] : [w >>> 24, (w >>> 16) & 255, (w >>> 8) & 255, w & 255];
    for (const b of bytes) h += b.toString(16).padStart(2, '0');
  }
  return h;
};
// Message padded to a multiple of 64 bytes with the bit length (big- or little-endian).
const pad = (m: Uint8Array, littleEndian: boolean): DataView => {
  const n = (((m.length + 8) >> 6) + 1) << 6;
  const b = new Uint8Array(n);
  b.set(m);
  b[m.length] = 0x80;
  const v = new DataView(b.buffer);
  const bits = m.length * 8;
  const hi = Math.floor(bits / 2 ** 32);
  if (littleEndian) {
    v.setUint32(n - 8, bits >>> 0, true);
    v.setUint32(n - 4, hi, true);
  } else {
    v.setUint32(n - 8, hi);
    v.setUint32(n - 4, bits >>> 0);
  }
  return v;
};

const K256 = Uint32Array.from(
  '428a2f98 71374491 b5c0fbcf e9b5dba5 3956c25b 59f111f1 923f82a4 ab1c5ed5 d807aa98 12835b01 243185be 550c7dc3 72be5d74 80deb1fe 9bdc06a7 c19bf174 e49b69c1 efbe4786 0fc19dc6 240ca1cc 2de92c6f 4a7484aa 5cb0a9dc 76f988da 983e5152 a831c66d b00327c8 bf597fc7 c6e00bf3 d5a79147 06ca6351 14292967 27b70a85 2e1b2138 4d2c6dfc 53380d13 650a7354 766a0abb 81c2c92e 92722c85 a2bfe8a1 a81a664b c24b8b70 c76c51a3 d192e819 d6990624 f40e3585 106aa070 19a4c116 1e376c08 2748774c 34b0bcb5 391c0cb3 4ed8aa4a 5b9cca4f 682e6ff3 748f82ee 78a5636f 84c87814 8cc70208 90befffa a4506ceb bef9a3f7 c67178f2'
    .split(' ')
    .map((x) => parseInt(x, 16)),
);

export function sha256Hex(text: string): string {
  const v = pad(utf8(text), false);
  const h = Uint32Array.from([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const w = new Uint32Array(64);
  const rotr = (x: number, r: number) => (x >>> r) | (x << (32 - r));
  for (let off = 0; off < v.byteLength; off += 64) {
    for (let t = 0; t < 16; t++) w[t] = v.getUint32(off + 4 * t);
    for (let t = 16; t < 64; t++) {
      const s0 = rotr(w[t - 15], 7) ^ rotr(w[t - 15], 18) ^ (w[t - 15] >>> 3);
      const s1 = rotr(w[t - 2], 17) ^ rotr(w[t - 2], 19) ^ (w[t - 2] >>> 10);
      w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    let [a, b, c, d, e, f, g, hh] = h;
    for (let t = 0; t < 64; t++) {
      const t1 = (hh + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K256[t] + w[t]) >>> 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) >>> 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) >>> 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) >>> 0;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    h[5] += f;
    h[6] += g;
    h[7] += hh;
  }
  return hex(h, false);
}

const S5 = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
const K5 = Uint32Array.from({ length: 64 }, (_, k) => Math.floor(Math.abs(Math.sin(k + 1)) * 2 ** 32));

export function md5Hex(text: string): string {
  const v = pad(utf8(text), true);
  const h = Uint32Array.from([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476]);
  const m = new Uint32Array(16);
  for (let off = 0; off < v.byteLength; off += 64) {
    for (let t = 0; t < 16; t++) m[t] = v.getUint32(off + 4 * t, true);
    let [a, b, c, d] = h;
    for (let t = 0; t < 64; t++) {
      const r = t >> 4;
      let f: number, g: number;
      if (r === 0) (f = (b & c) | (~b & d)), (g = t);
      else if (r === 1) (f = (d & b) | (~d & c)), (g = (5 * t + 1) & 15);
      else if (r === 2) (f = b ^ c ^ d), (g = (3 * t + 5) & 15);
      else (f = c ^ (b | ~d)), (g = (7 * t) & 15);
      const s = S5[(r << 2) | (t & 3)];
      const x = (a + f + K5[t] + m[g]) >>> 0;
      a = d;
      d = c;
      c = b;
      b = (b + ((x << s) | (x >>> (32 - s)))) >>> 0;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
  }
  return hex(h, true);
}
