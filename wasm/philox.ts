// Philox4x32-10 (Salmon et al., SC11, sec. 4.2), twin of kernels/philox/philox_lib.wgsl.
// The SIMD build computes four blocks per step: the 32x32->64 products come from
// i64x2.extmul, the four results are transposed back to item order before the store.

import { mulhi4, storeT4 } from './lib/exactmath4';
import { Bufs, OUT_WORDS_STRIDE, Params } from './gen/philox';

const M0: u32 = 0xd2511f53;
const M1: u32 = 0xcd9e8d57;
const W0: u32 = 0x9e3779b9;
const W1: u32 = 0xbb67ae85;
const TWO_M24: f32 = 5.9604644775390625e-8;

// Scalar block: results land in r0..r3 (globals keep the function allocation-free).
let r0: u32 = 0, r1: u32 = 0, r2: u32 = 0, r3: u32 = 0;

// @ts-ignore: decorator
@inline export function philoxBlock(c0: u32, c1: u32, c2: u32, c3: u32, k0: u32, k1: u32): void {
  for (let r = 0; r < 10; r++) {
    if (r > 0) { k0 += W0; k1 += W1; }
    const p0 = <u64>M0 * <u64>c0;
    const p1 = <u64>M1 * <u64>c2;
    const n0 = <u32>(p1 >> 32) ^ c1 ^ k0;
    const n2 = <u32>(p0 >> 32) ^ c3 ^ k1;
    c1 = <u32>p1; c3 = <u32>p0; c0 = n0; c2 = n2;
  }
  r0 = c0; r1 = c1; r2 = c2; r3 = c3;
}
export function philoxR0(): u32 { return r0; }
export function philoxR1(): u32 { return r1; }
export function philoxR2(): u32 { return r2; }
export function philoxR3(): u32 { return r3; }

// @ts-ignore: decorator
@inline export function uniformBits(x: u32): u32 {
  return reinterpret<u32>(<f32>(x >> 8) * TWO_M24);
}

// Four blocks at once (lanes are blocks): results in Q0..Q3 (lazy: compiled only where used,
// i.e. in the SIMD build).
// @ts-ignore: decorator
@lazy export let Q0: v128 = i32x4.splat(0);
// @ts-ignore: decorator
@lazy export let Q1: v128 = i32x4.splat(0);
// @ts-ignore: decorator
@lazy export let Q2: v128 = i32x4.splat(0);
// @ts-ignore: decorator
@lazy export let Q3: v128 = i32x4.splat(0);

// @ts-ignore: decorator
@inline export function philoxBlock4(x0: v128, x1: v128, x2: v128, x3: v128, k0: u32, k1: u32): void {
  const m0 = i32x4.splat(M0), m1 = i32x4.splat(M1);
  for (let r = 0; r < 10; r++) {
    if (r > 0) { k0 += W0; k1 += W1; }
    const hi0 = mulhi4(x0, m0), lo0 = i32x4.mul(x0, m0);
    const hi1 = mulhi4(x2, m1), lo1 = i32x4.mul(x2, m1);
    x0 = v128.xor(v128.xor(hi1, x1), i32x4.splat(k0));
    x1 = lo1;
    x2 = v128.xor(v128.xor(hi0, x3), i32x4.splat(k1));
    x3 = lo0;
  }
  Q0 = x0; Q1 = x1; Q2 = x2; Q3 = x3;
}

// @ts-ignore: decorator
@inline function uniform4(x: v128): v128 {
  return f32x4.mul(f32x4.convert_i32x4_u(i32x4.shr_u(x, 8)), f32x4.splat(TWO_M24));
}

export function philox(params: usize, bufs: usize): void {
  const P = changetype<Params>(params);
  const off = P.item_offset, n = P.item_count, k0 = P.key0, k1 = P.key1;
  const c0 = P.ctr0, c1 = P.ctr1, c2 = P.ctr2, c3 = P.ctr3, fmt = P.format;
  const out = changetype<Bufs>(bufs).out_words;
  let l: u32 = 0;
  if (ASC_FEATURE_SIMD) {
    for (; l + 4 <= n; l += 4) {
      philoxBlock4(i32x4.add(i32x4.splat(c0 + off + l), i32x4(0, 1, 2, 3)), i32x4.splat(c1), i32x4.splat(c2), i32x4.splat(c3), k0, k1);
      let x0 = Q0, x1 = Q1, x2 = Q2, x3 = Q3;
      if (fmt == 1) { x0 = uniform4(x0); x1 = uniform4(x1); x2 = uniform4(x2); x3 = uniform4(x3); }
      storeT4(out + <usize>l * OUT_WORDS_STRIDE, OUT_WORDS_STRIDE, x0, x1, x2, x3); // lanes are blocks, memory holds blocks
    }
  }
  for (; l < n; l++) {
    philoxBlock(c0 + off + l, c1, c2, c3, k0, k1);
    const p = out + <usize>l * OUT_WORDS_STRIDE;
    if (fmt == 1) {
      store<u32>(p, uniformBits(r0)); store<u32>(p, uniformBits(r1), 4);
      store<u32>(p, uniformBits(r2), 8); store<u32>(p, uniformBits(r3), 12);
    } else {
      store<u32>(p, r0); store<u32>(p, r1, 4); store<u32>(p, r2, 8); store<u32>(p, r3, 12);
    }
  }
}
