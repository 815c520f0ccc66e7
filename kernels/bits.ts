// f32 <-> u32 bit patterns: how kernels' inputs, params and outputs travel between backends.
const F = new Float32Array(1);
const U = new Uint32Array(F.buffer);

/** The bit pattern of v rounded to f32. */
export function f32ToBits(v: number): number {
  F[0] = v;
  return U[0];
}

/** The f32 whose bit pattern is u. */
export function bitsToF32(u: number): number {
  U[0] = u;
  return F[0];
}
