// Philox4x32-10 in GLSL ES 3.00 `uint` (wraps mod 2^32: GLSL ES 3.00 spec, sections 4.1.3 and 5.9),
// the WebGL2 twin of philox_lib.wgsl and ref.ts. Float textures carry 32-bit words as 16-bit halves.
uint ds_mulhi(uint a, uint b) {
  uint a0 = a & 0xffffu, a1 = a >> 16u, b0 = b & 0xffffu, b1 = b >> 16u;
  uint p01 = a0 * b1, p10 = a1 * b0;
  uint mid = ((a0 * b0) >> 16u) + (p01 & 0xffffu) + (p10 & 0xffffu);
  return a1 * b1 + (p01 >> 16u) + (p10 >> 16u) + (mid >> 16u);
}
uvec4 ds_philox10(uvec4 c, uvec2 k) {
  for (int r = 0; r < 10; r++) {
    if (r > 0) { k.x += 0x9e3779b9u; k.y += 0xbb67ae85u; }
    uint hi0 = ds_mulhi(0xd2511f53u, c.x), lo0 = 0xd2511f53u * c.x;
    uint hi1 = ds_mulhi(0xcd9e8d57u, c.z), lo1 = 0xcd9e8d57u * c.z;
    c = uvec4(hi1 ^ c.y ^ k.x, lo1, hi0 ^ c.w ^ k.y, lo0);
  }
  return c;
}
uint ds_u32(float lo, float hi) { return uint(lo) | (uint(hi) << 16u); }
uint ds_uniform_bits(uint x) { return floatBitsToUint(float(x >> 8u) * 5.9604644775390625e-8); }
vec2 ds_halves(uint x) { return vec2(float(x & 0xffffu), float(x >> 16u)); }
// gpu.js natives (float arguments only: gpu.js parses their signatures)
// Thread t: half t & 1 of block t >> 1 (words 0-1 or 2-3, as 16-bit halves).
vec4 dsPhilox(float t, float offLo, float offHi, float k0l, float k0h, float k1l, float k1h, float c0l, float c0h, float c1l, float c1h, float c2l, float c2h, float c3l, float c3h, float fmt) {
  uint ti = uint(t);
  uint l = ti >> 1u;
  uvec4 c = uvec4(ds_u32(c0l, c0h) + ds_u32(offLo, offHi) + l, ds_u32(c1l, c1h), ds_u32(c2l, c2h), ds_u32(c3l, c3h));
  uvec4 r = ds_philox10(c, uvec2(ds_u32(k0l, k0h), ds_u32(k1l, k1h)));
  if (fmt > 0.5) r = uvec4(ds_uniform_bits(r.x), ds_uniform_bits(r.y), ds_uniform_bits(r.z), ds_uniform_bits(r.w));
  if ((ti & 1u) == 0u) return vec4(ds_halves(r.x), ds_halves(r.y));
  return vec4(ds_halves(r.z), ds_halves(r.w));
}
