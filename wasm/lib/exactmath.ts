// Twin of kernels/lib/exactmath.ts: same operations, same order (WebAssembly never fuses a*b+c).

/** An f32 constant written as its bits. */
// @ts-ignore: decorator
@inline export function F(u: u32): f32 { return reinterpret<f32>(u); }

/** Horner: ((c0 x + c1) x + c2) ... + c(n-1), coefficients as f32 bits at c (memory.data). */
// @ts-ignore: decorator
@inline export function horner(x: f32, c: usize, n: i32): f32 {
  let p = load<f32>(c);
  for (let i = 1; i < n; i++) p = p * x + load<f32>(c + (<usize>i << 2));
  return p;
}

export function ftz(x: f32): f32 {
  const b = reinterpret<u32>(x);
  return (b & 0x7fffffff) < 0x0d800000 ? // below 2^-100, see exactmath.ts
    reinterpret<f32>(b & 0x80000000) : x;
}

export function xexp(x: f32): f32 {
  if (x < -86.0) return 0.0;
  if (x > 88.0) x = 88.0;
  const n = Mathf.floor(x * F(0x3fb8aa3b) + 0.5);
  let r = x - n * F(0x3f318000);
  r = r - n * F(0xb95e8083);
  const z = ftz(r * r);
  let p = F(0x39506967) * r + F(0x3ab743ce);
  p = p * r + F(0x3c088908);
  p = p * r + F(0x3d2aa9c1);
  p = p * r + F(0x3e2aaaaa);
  p = p * r + F(0x3f000000);
  p = p * z + r + 1.0;
  return p * reinterpret<f32>(<u32>(<i32>n + 127) << 23);
}

export function xlog(x: f32): f32 {
  if (!(x >= F(0x00800000))) return F(0xc2aeac50);
  const b = reinterpret<u32>(x);
  let e = <i32>((b >> 23) & 0xff) - 126;
  let m = reinterpret<f32>((b & 0x007fffff) | 0x3f000000);
  if (m < F(0x3f3504f3)) {
    e -= 1;
    m = (m + m) - 1.0;
  } else {
    m = m - 1.0;
  }
  const z = m * m;
  let p = F(0x3d9021bb) * m + F(0xbdebd1b8);
  p = p * m + F(0x3def251a);
  p = p * m + F(0xbdfe5d4f);
  p = p * m + F(0x3e11e9bf);
  p = p * m + F(0xbe2aae50);
  p = p * m + F(0x3e4cceac);
  p = p * m + F(0xbe7ffffc);
  p = p * m + F(0x3eaaaaaa);
  const ef = <f32>e;
  let y = (p * m) * z;
  y = y + ef * F(0xb95e8083);
  y = y - 0.5 * z;
  let r = m + y;
  r = r + ef * F(0x3f318000);
  return r;
}

export function xrecip(x: f32): f32 {
  const b = reinterpret<u32>(x);
  const s = b & 0x80000000;
  let a = reinterpret<f32>(b & 0x7fffffff);
  if (a < F(0x01000000)) a = F(0x01000000);
  if (a > F(0x7e000000)) a = F(0x7e000000);
  let y = reinterpret<f32>(0x7ef311c3 - reinterpret<u32>(a));
  y = y * (2.0 - a * y);
  y = y * (2.0 - a * y);
  y = y * (2.0 - a * y);
  const e = ftz(1.0 - a * y);
  y = y + ftz(y * e);
  return reinterpret<f32>(reinterpret<u32>(y) | s);
}

export function xdiv(a: f32, b: f32): f32 {
  const y = xrecip(b);
  const q = ftz(a * y);
  const r = ftz(a - ftz(q * b));
  return ftz(q + ftz(r * y));
}

export function xsqrt(x: f32): f32 {
  if (!(x >= F(0x03800000))) return 0.0;
  const h: f32 = 0.5 * x;
  let y = reinterpret<f32>(0x5f3759df - (reinterpret<u32>(x) >> 1));
  y = y * (1.5 - (h * y) * y);
  y = y * (1.5 - (h * y) * y);
  y = y * (1.5 - (h * y) * y);
  const s = x * y;
  const d = ftz(x - s * s);
  return s + ftz((0.5 * y) * d);
}
