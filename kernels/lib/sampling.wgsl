// Samplers from Philox uniforms: twin of kernels/lib/sampling.ts (see there for sources).
// Needs philox_lib.wgsl and exactmath.wgsl. The stream state is private to the invocation.

var<private> rs_key: vec2<u32>;
var<private> rs_ctr: vec4<u32>;
var<private> rs_buf: vec4<u32>;
var<private> rs_pos: u32;

fn rs_init(key: vec2<u32>, c1: u32, c2: u32, c3: u32) {
  rs_key = key;
  rs_ctr = vec4<u32>(0u, c1, c2, c3);
  rs_pos = 4u;
}

fn rs_uniform() -> f32 {
  if (rs_pos == 4u) {
    rs_buf = philox4x32_10(rs_ctr, rs_key);
    rs_ctr.x = rs_ctr.x + 1u;
    rs_pos = 0u;
  }
  var x = rs_buf.x;
  if (rs_pos == 1u) { x = rs_buf.y; } else if (rs_pos == 2u) { x = rs_buf.z; } else if (rs_pos == 3u) { x = rs_buf.w; }
  rs_pos = rs_pos + 1u;
  return opaque(f32((x >> 8u) | 1u) * 5.9604644775390625e-8);
}

fn rs_lnfact(k: u32) -> f32 {
  switch (k) {
    case 2u: { return xm_f(0x3f317218u); }
    case 3u: { return xm_f(0x3fe55860u); }
    case 4u: { return xm_f(0x404b653cu); }
    case 5u: { return xm_f(0x40993322u); }
    case 6u: { return xm_f(0x40d2893au); }
    case 7u: { return xm_f(0x41086710u); }
    case 8u: { return xm_f(0x4129ac74u); }
    case 9u: { return xm_f(0x414cd449u); }
    default: { return 0.0; }
  }
}

fn log_pois_pmf(k: f32, lam: f32) -> f32 {
  if (k < 10.0) { return (opaque(k * xlog(lam)) - lam) - rs_lnfact(u32(k)); }
  let d = xdiv(k - lam, lam);
  var h: f32;
  if (abs(d) < 0.25) {
    var p = xm_f(0x3bf83e10u);
    p = opaque(p * d) + xm_f(0xbc14f209u);
    p = opaque(p * d) + xm_f(0x3c360b61u);
    p = opaque(p * d) + xm_f(0xbc638e39u);
    p = opaque(p * d) + xm_f(0x3c924925u);
    p = opaque(p * d) + xm_f(0xbcc30c31u);
    p = opaque(p * d) + xm_f(0x3d088889u);
    p = opaque(p * d) + xm_f(0xbd4ccccdu);
    p = opaque(p * d) + xm_f(0x3daaaaabu);
    p = opaque(p * d) + xm_f(0xbe2aaaabu);
    p = opaque(p * d) + xm_f(0x3f000000u);
    h = opaque(ftz(opaque(d * d)) * p);
  } else {
    let e = 1.0 + d;
    h = opaque(e * xlog(e)) - d;
  }
  let rk = xrecip(k);
  let rk2 = opaque(rk * rk);
  let corr = opaque(rk * (xm_f(0x3daaaaabu) - opaque(rk2 * (xm_f(0x3b360b61u) - opaque(rk2 * xm_f(0x3a500d01u))))));
  return (-opaque(lam * h) - (opaque(0.5 * xlog(k)) + xm_f(0x3f6b3f8eu))) - corr;
}

fn rs_poisson(lam: f32) -> f32 {
  if (lam < 10.0) {
    let u = rs_uniform();
    var p = xexp(-lam);
    var F = p;
    var k = 0.0;
    while (u > F && p > xm_f(0x2edbe6ffu)) {
      k = k + 1.0;
      p = ftz(opaque(p * xdiv(lam, k)));
      F = F + p;
    }
    return k;
  }
  let slam = xsqrt(lam);
  let b = opaque(xm_f(0x4021eb85u) * slam) + xm_f(0x3f6e5604u);
  let a = opaque(xm_f(0x3ccb6849u) * b) + xm_f(0xbd71a9fcu);
  let linv = xlog(xdiv(xm_f(0x3f90ff97u), b - xm_f(0x4059999au)) + xm_f(0x3f8fdbf5u));
  let vr = xm_f(0x3f6d7dbfu) - xdiv(xm_f(0x4067d567u), b - 2.0);
  for (var it = 0; it < 64; it++) {
    let U = rs_uniform() - 0.5;
    let V = rs_uniform();
    let us = 0.5 - abs(U);
    let k = floor((opaque((xdiv(2.0 * a, us) + b) * U) + lam) + xm_f(0x3edc28f6u));
    if (us >= xm_f(0x3d8f5c29u) && V <= vr) { return k; }
    if (k < 0.0 || (us < xm_f(0x3c54fdf4u) && V > us)) { continue; }
    let lhs = (xlog(V) + linv) - xlog(xdiv(a, opaque(us * us)) + b);
    if (lhs <= log_pois_pmf(k, lam)) { return k; }
  }
  return floor(lam);
}

fn rs_normal() -> f32 {
  for (var it = 0; it < 64; it++) {
    let x = opaque(2.0 * rs_uniform()) - 1.0;
    let y = opaque(2.0 * rs_uniform()) - 1.0;
    let r2 = opaque(x * x) + opaque(y * y);
    if (r2 < 1.0 && r2 > 0.0) { return opaque(x * xsqrt(xdiv(opaque(-2.0 * xlog(r2)), r2))); }
  }
  return 0.0;
}
