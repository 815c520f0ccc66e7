// Double-f32 arithmetic: twin of kernels/lib/df32.ts (same operations, same order; sources and
// domain there). A df32 value is vec2<f32>(hi, lo). Needs kernels/lib/exactmath.wgsl before it.
// Every product is wrapped in opaque() (no FMA contraction); so is every sum whose rounding error
// is recovered afterwards (s in TwoSum / Fast2Sum, t in the split), so that no compiler can
// simplify (s - a) to b.

fn df_mulf(a: f32, b: f32) -> f32 { return ftz(opaque(a * b)); }

fn df_from_f32(x: f32) -> vec2<f32> { return vec2<f32>(ftz(x), 0.0); }

fn two_sum(a: f32, b: f32) -> vec2<f32> {
  let s = opaque(a + b);
  let bb = opaque(s - a);
  return vec2<f32>(s, (a - (s - bb)) + (b - bb));
}

fn fast_two_sum(a: f32, b: f32) -> vec2<f32> {
  let s = opaque(a + b);
  return vec2<f32>(s, b - (s - a));
}

fn df_fin(hi: f32, lo: f32) -> vec2<f32> {
  let s = opaque(hi + lo);
  return vec2<f32>(ftz(s), ftz(lo - (s - hi)));
}

fn df_split(a: f32) -> vec2<f32> {
  let t = opaque(xm_f(0x45800800u) * a);
  let hi = opaque(t - opaque(t - a));
  return vec2<f32>(hi, a - hi);
}

fn two_prod(a: f32, b: f32) -> vec2<f32> {
  let p = df_mulf(a, b);
  let A = df_split(a);
  let B = df_split(b);
  var e = opaque(A.x * B.x) - p;
  e = e + opaque(A.x * B.y);
  e = e + opaque(A.y * B.x);
  e = e + opaque(A.y * B.y);
  return vec2<f32>(p, ftz(e));
}

fn df_neg(a: vec2<f32>) -> vec2<f32> { return vec2<f32>(-a.x, -a.y); }

fn df_add(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  let s = two_sum(a.x, b.x);
  let t = two_sum(a.y, b.y);
  let u = fast_two_sum(s.x, s.y + t.x);
  return df_fin(u.x, u.y + t.y);
}

fn df_sub(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> { return df_add(a, df_neg(b)); }

fn df_add_f(a: vec2<f32>, b: f32) -> vec2<f32> {
  let s = two_sum(a.x, b);
  return df_fin(s.x, s.y + a.y);
}

fn df_mul(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  let p = two_prod(a.x, b.x);
  let c = df_mulf(a.x, b.y) + df_mulf(a.y, b.x);
  return df_fin(p.x, p.y + c);
}

fn df_mul_f(a: vec2<f32>, b: f32) -> vec2<f32> {
  let p = two_prod(a.x, b);
  return df_fin(p.x, p.y + df_mulf(a.y, b));
}

fn df_scale(a: vec2<f32>, pow2: f32) -> vec2<f32> { return vec2<f32>(df_mulf(a.x, pow2), df_mulf(a.y, pow2)); }

fn df_div(a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  let y = xrecip(b.x);
  let q1 = df_mulf(a.x, y);
  var r = df_sub(a, df_mul_f(b, q1));
  let q2 = df_mulf(r.x, y);
  r = df_sub(r, df_mul_f(b, q2));
  let q3 = df_mulf(r.x, y);
  return df_add_f(df_fin(q1, q2), q3);
}

fn df_lt(a: vec2<f32>, b: vec2<f32>) -> bool { return a.x < b.x || (a.x == b.x && a.y < b.y); }

fn df_expm1_small(x: vec2<f32>) -> vec2<f32> {
  let r = df_scale(x, xm_f(0x3d000000u));
  let t = xm_f(0x3c088889u) + df_mulf(r.x, xm_f(0x3ab60b61u) + df_mulf(r.x, xm_f(0x39500d01u)));
  let u3 = df_add_f(vec2<f32>(xm_f(0x3d2aaaabu), xm_f(0xb0aaaaabu)), df_mulf(r.x, t));
  let u2 = df_add(vec2<f32>(xm_f(0x3e2aaaabu), xm_f(0xb1aaaaabu)), df_mul(r, u3));
  let u1 = df_add_f(df_mul(r, u2), 0.5);
  var s = df_add(r, df_mul(r, df_mul(r, u1)));
  for (var i = 0; i < 5; i++) { s = df_add(df_scale(s, 2.0), df_mul(s, s)); }
  return s;
}

fn df_exp(a: vec2<f32>) -> vec2<f32> {
  if (a.x < -70.0) { return vec2<f32>(0.0, 0.0); }
  var x = a;
  if (a.x > 88.0) { x = vec2<f32>(88.0, 0.0); }
  let k = floor(opaque(x.x * xm_f(0x3fb8aa3bu)) + 0.5);
  var r = df_add_f(x, -opaque(k * xm_f(0x3f317200u)));
  r = df_sub(r, two_prod(k, xm_f(0x35bfbe8eu)));
  r = df_add_f(r, -df_mulf(k, xm_f(0x29779abdu)));
  let v = df_add_f(df_expm1_small(r), 1.0);
  return df_scale(v, bitcast<f32>(u32(i32(k) + 127) << 23u));
}

fn df_log(a: vec2<f32>) -> vec2<f32> {
  var x = a;
  if (!(x.x >= xm_f(0x0d800000u))) { x = vec2<f32>(xm_f(0x0d800000u), 0.0); }
  if (x.x > xm_f(0x7e000000u)) { x = vec2<f32>(xm_f(0x7e000000u), 0.0); }
  let b = bitcast<u32>(x.x);
  var e = i32((b >> 23u) & 0xffu) - 126;
  var mh = bitcast<f32>((b & 0x007fffffu) | 0x3f000000u);
  if (mh < xm_f(0x3f3504f3u)) {
    e = e - 1;
    mh = mh + mh;
  }
  let m = vec2<f32>(mh, df_mulf(x.y, bitcast<f32>(u32(127 - e) << 23u)));
  let y0 = xlog(mh);
  let E = df_expm1_small(vec2<f32>(-y0, 0.0));
  let d = df_add_f(df_add_f(df_mul(m, E), mh - 1.0), m.y);
  let half = df_mulf(0.5 * d.x, d.x);
  let ef = f32(e);
  var s = df_add(two_sum(opaque(ef * xm_f(0x3f317200u)), y0), d);
  s = df_add(s, df_add_f(two_prod(ef, xm_f(0x35bfbe8eu)), df_mulf(ef, xm_f(0x29779abdu)) - half));
  return s;
}

fn df_acc_add(acc: vec2<f32>, x: f32) -> vec2<f32> {
  let s = two_sum(acc.x, x);
  return vec2<f32>(s.x, acc.y + s.y);
}

fn df_acc_value(acc: vec2<f32>) -> vec2<f32> { return df_fin(acc.x, acc.y); }
