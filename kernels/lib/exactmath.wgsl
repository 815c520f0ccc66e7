// The engine's own elementary functions: twin of kernels/lib/exactmath.ts (same operations in
// the same order; see there for sources and domains). Every product whose result can reach an
// addition goes through opaque() so that no driver fuses it into an FMA (products by powers of
// two are exact and left alone).

fn xm_f(u: u32) -> f32 { return bitcast<f32>(u); }

fn ftz(x: f32) -> f32 {
  let b = bitcast<u32>(x);
  return select(x, bitcast<f32>(b & 0x80000000u), (b & 0x7fffffffu) < 0x0d800000u); // below 2^-100, see exactmath.ts
}

fn xexp(x_in: f32) -> f32 {
  if (x_in < -86.0) { return 0.0; }
  let x = min(x_in, 88.0);
  let n = floor(opaque(x * xm_f(0x3fb8aa3bu)) + 0.5);
  var r = x - opaque(n * xm_f(0x3f318000u));
  r = r - opaque(n * xm_f(0xb95e8083u));
  let z = ftz(opaque(r * r));
  var p = opaque(xm_f(0x39506967u) * r) + xm_f(0x3ab743ceu);
  p = opaque(p * r) + xm_f(0x3c088908u);
  p = opaque(p * r) + xm_f(0x3d2aa9c1u);
  p = opaque(p * r) + xm_f(0x3e2aaaaau);
  p = opaque(p * r) + xm_f(0x3f000000u);
  p = opaque(p * z) + r + 1.0;
  return opaque(p * bitcast<f32>(u32(i32(n) + 127) << 23u));
}

fn xlog(x: f32) -> f32 {
  if (!(x >= xm_f(0x00800000u))) { return xm_f(0xc2aeac50u); }
  let b = bitcast<u32>(x);
  var e = i32((b >> 23u) & 0xffu) - 126;
  var m = bitcast<f32>((b & 0x007fffffu) | 0x3f000000u);
  if (m < xm_f(0x3f3504f3u)) {
    e = e - 1;
    m = (m + m) - 1.0;
  } else {
    m = m - 1.0;
  }
  let z = opaque(m * m);
  var p = opaque(xm_f(0x3d9021bbu) * m) + xm_f(0xbdebd1b8u);
  p = opaque(p * m) + xm_f(0x3def251au);
  p = opaque(p * m) + xm_f(0xbdfe5d4fu);
  p = opaque(p * m) + xm_f(0x3e11e9bfu);
  p = opaque(p * m) + xm_f(0xbe2aae50u);
  p = opaque(p * m) + xm_f(0x3e4cceacu);
  p = opaque(p * m) + xm_f(0xbe7ffffcu);
  p = opaque(p * m) + xm_f(0x3eaaaaaau);
  let ef = f32(e);
  var y = opaque((p * m) * z);
  y = y + opaque(ef * xm_f(0xb95e8083u));
  y = y - opaque(0.5 * z);
  var r = m + y;
  r = r + opaque(ef * xm_f(0x3f318000u));
  return r;
}

fn xrecip(x: f32) -> f32 {
  let b = bitcast<u32>(x);
  let s = b & 0x80000000u;
  let a = clamp(bitcast<f32>(b & 0x7fffffffu), xm_f(0x01000000u), xm_f(0x7e000000u));
  var y = bitcast<f32>(0x7ef311c3u - bitcast<u32>(a));
  y = opaque(y * (2.0 - opaque(a * y)));
  y = opaque(y * (2.0 - opaque(a * y)));
  y = opaque(y * (2.0 - opaque(a * y)));
  let e = ftz(1.0 - opaque(a * y));
  y = y + opaque(ftz(y * e));
  return bitcast<f32>(bitcast<u32>(y) | s);
}

fn xdiv(a: f32, b: f32) -> f32 {
  let y = xrecip(b);
  let q = ftz(opaque(a * y));
  let r = ftz(a - opaque(ftz(q * b)));
  return ftz(q + opaque(ftz(r * y)));
}

fn xsqrt(x: f32) -> f32 {
  if (!(x >= xm_f(0x03800000u))) { return 0.0; }
  let h = 0.5 * x;
  var y = bitcast<f32>(0x5f3759dfu - (bitcast<u32>(x) >> 1u));
  y = opaque(y * (1.5 - opaque((h * y) * y)));
  y = opaque(y * (1.5 - opaque((h * y) * y)));
  y = opaque(y * (1.5 - opaque((h * y) * y)));
  let s = opaque(x * y);
  let d = ftz(x - opaque(s * s));
  return s + opaque(ftz((0.5 * y) * d));
}
