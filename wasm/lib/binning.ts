// The scan binning's per-event functions, twins of kernels/lib/binning.{ts,wgsl}: the quantised
// coordinates and the cell of an event from exact f32 operations only, and the
// four-lane versions quantise4 / cells4 (each lane the scalar sequence of operations, branches
// as selects; compiled only where called, in the SIMD build of bin_count / bin_scatter).

// @ts-ignore: decorator
@inline export function quantise(v: f32): f32 {
  const t = v * <f32>16777216.0; // a power of two: exact
  if (Mathf.abs(t) >= <f32>8388608.0) return v;
  const f = Mathf.floor(t);
  const k: f32 = t >= f + <f32>0.5 ? f + <f32>1.0 : f;
  if (k == 0) return reinterpret<f32>(reinterpret<u32>(v) & 0x80000000);
  return k * <f32>5.9604644775390625e-8;
}

// @ts-ignore: decorator
@inline export function cellOf(q: f32, q0: f32, s: f32, n: u32): u32 {
  const t = Mathf.floor((q - q0) * s);
  return <u32>Mathf.min(Mathf.max(t, 0), <f32>(n - 1));
}

// Scalar event: quantised coordinates and cell (globals: AssemblyScript has no multiple returns).
export let evQx: f32 = 0;
export let evQy: f32 = 0;

// @ts-ignore: decorator
@inline export function binEvent(x: f32, y: f32, x0: f32, y0: f32, sx: f32, sy: f32, nx: u32, ny: u32, twoD: bool): u32 {
  const a = quantise(x);
  let b: f32 = 0;
  let row: u32 = 0;
  if (twoD) {
    b = quantise(y);
    row = cellOf(b, y0, sy, ny);
  }
  evQx = a; evQy = b;
  return row * nx + cellOf(a, x0, sx, nx);
}

// @ts-ignore: decorator
@inline export function quantise4(v: v128): v128 {
  const t = f32x4.mul(v, f32x4.splat(16777216.0));
  const f = f32x4.floor(t);
  const k = v128.bitselect(f32x4.add(f, f32x4.splat(1.0)), f, f32x4.ge(t, f32x4.add(f, f32x4.splat(0.5))));
  // k 2^-24 has v's sign except where k = 0 (then the scalar's signed zero): v's sign bit on |k 2^-24|
  const r = v128.bitselect(v, f32x4.mul(k, f32x4.splat(5.9604644775390625e-8)), i32x4.splat(0x80000000));
  return v128.bitselect(v, r, f32x4.ge(f32x4.abs(t), f32x4.splat(8388608.0)));
}

// @ts-ignore: decorator
@inline export function cellOf4(q: v128, q0: f32, s: f32, n: u32): v128 {
  // t is finite (never NaN): pmax / pmin (one instruction each) clamp it as max / min do, a -0 truncates to 0
  // like +0, and the clamped value is an integer in [0, n - 1] (< 2^31): the signed truncation is exact
  const t = f32x4.floor(f32x4.mul(f32x4.sub(q, f32x4.splat(q0)), f32x4.splat(s)));
  return i32x4.trunc_sat_f32x4_s(f32x4.pmin(f32x4.splat(<f32>(n - 1)), f32x4.pmax(f32x4.splat(0), t)));
}

/** Cells of four quantised events (qy ignored unless twoD): lane by lane binEvent's row * nx + column. */
// @ts-ignore: decorator
@inline export function cells4(qx: v128, qy: v128, x0: f32, y0: f32, sx: f32, sy: f32, nx: u32, ny: u32, twoD: bool): v128 {
  const col = cellOf4(qx, x0, sx, nx);
  return twoD ? i32x4.add(i32x4.mul(cellOf4(qy, y0, sy, ny), i32x4.splat(nx)), col) : col;
}
