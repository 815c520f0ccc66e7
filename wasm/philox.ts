// Philox4x32-10 (Salmon et al., SC11, sec. 4.2), twin of kernels/philox/philox_lib.wgsl.
// The SIMD build computes four blocks per step: the 32x32->64 products come from
// i64x2.extmul, the four results are transposed back to item order before the store.

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

// @ts-ignore: decorator
@inline function mulhi4(a: v128, m: v128): v128 {
  const lo = i64x2.extmul_low_i32x4_u(a, m);
  const hi = i64x2.extmul_high_i32x4_u(a, m);
  return v128.shuffle<u32>(lo, hi, 1, 3, 5, 7);
}

// @ts-ignore: decorator
@inline function uniform4(x: v128): v128 {
  return f32x4.mul(f32x4.convert_i32x4_u(i32x4.shr_u(x, 8)), f32x4.splat(TWO_M24));
}

// params: [item_offset, item_count, opaque_zero, reserved, key0, key1, ctr0, ctr1, ctr2, ctr3,
// format]; bufs: [out_words]
export function philox4x32_10(params: usize, bufs: usize): void {
  const off = load<u32>(params), n = load<u32>(params, 4);
  const k0 = load<u32>(params, 16), k1 = load<u32>(params, 20);
  const c0 = load<u32>(params, 24), c1 = load<u32>(params, 28), c2 = load<u32>(params, 32), c3 = load<u32>(params, 36);
  const fmt = load<u32>(params, 40);
  const out = <usize>load<u32>(bufs);
  let l: u32 = 0;
  if (ASC_FEATURE_SIMD) {
    const m0 = i32x4.splat(M0), m1 = i32x4.splat(M1);
    for (; l + 4 <= n; l += 4) {
      const base = c0 + off + l;
      let x0 = i32x4.add(i32x4.splat(base), i32x4(0, 1, 2, 3));
      let x1 = i32x4.splat(c1), x2 = i32x4.splat(c2), x3 = i32x4.splat(c3);
      let ka = k0, kb = k1;
      for (let r = 0; r < 10; r++) {
        if (r > 0) { ka += W0; kb += W1; }
        const hi0 = mulhi4(x0, m0), lo0 = i32x4.mul(x0, m0);
        const hi1 = mulhi4(x2, m1), lo1 = i32x4.mul(x2, m1);
        x0 = v128.xor(v128.xor(hi1, x1), i32x4.splat(ka));
        x1 = lo1;
        x2 = v128.xor(v128.xor(hi0, x3), i32x4.splat(kb));
        x3 = lo0;
      }
      if (fmt == 1) { x0 = uniform4(x0); x1 = uniform4(x1); x2 = uniform4(x2); x3 = uniform4(x3); }
      // 4x4 transpose: lanes are blocks, rows must be blocks in memory.
      const t0 = v128.shuffle<u32>(x0, x1, 0, 4, 1, 5), t1 = v128.shuffle<u32>(x0, x1, 2, 6, 3, 7);
      const t2 = v128.shuffle<u32>(x2, x3, 0, 4, 1, 5), t3 = v128.shuffle<u32>(x2, x3, 2, 6, 3, 7);
      const p = out + (<usize>l << 4);
      v128.store(p, v128.shuffle<u64>(t0, t2, 0, 2));
      v128.store(p, v128.shuffle<u64>(t0, t2, 1, 3), 16);
      v128.store(p, v128.shuffle<u64>(t1, t3, 0, 2), 32);
      v128.store(p, v128.shuffle<u64>(t1, t3, 1, 3), 48);
    }
  }
  for (; l < n; l++) {
    philoxBlock(c0 + off + l, c1, c2, c3, k0, k1);
    const p = out + (<usize>l << 4);
    if (fmt == 1) {
      store<u32>(p, uniformBits(r0)); store<u32>(p, uniformBits(r1), 4);
      store<u32>(p, uniformBits(r2), 8); store<u32>(p, uniformBits(r3), 12);
    } else {
      store<u32>(p, r0); store<u32>(p, r1, 4); store<u32>(p, r2, 8); store<u32>(p, r3, 12);
    }
  }
}
