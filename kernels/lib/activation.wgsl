// The MLP kernels' activations and guard (mlp, mlp_train): twins kernels/lib/activation.ts,
// wasm/lib/activation.ts. Needs exactmath.wgsl (xexp, xrecip, ftz).

fn guard(v: f32) -> f32 {
  let c = clamp(v, -18446744073709551616.0, 18446744073709551616.0); // 2^64
  return select(c, 0.0, abs(v) < 9.094947017729282e-13); // 2^-40
}

fn xtanh(x: f32) -> f32 {
  let z = abs(x);
  if (z > 44.0) { return select(1.0, -1.0, x < 0.0); }
  if (z >= 0.625) {
    let e = xexp(z + z);
    let r = 1.0 - opaque(2.0 * xrecip(e + 1.0));
    return select(r, -r, x < 0.0);
  }
  let s = ftz(opaque(x * x));
  var p = opaque(bitcast<f32>(0xbbbaf0eau) * s) + bitcast<f32>(0x3ca9134eu);
  p = opaque(p * s) + bitcast<f32>(0xbd5c1e2du);
  p = opaque(p * s) + bitcast<f32>(0x3e088393u);
  p = opaque(p * s) + bitcast<f32>(0xbeaaaa99u);
  return x + opaque(ftz((p * s) * x));
}

fn xsigmoid(x: f32) -> f32 { return xrecip(1.0 + xexp(-x)); }

fn activate(act: u32, alpha: f32, a: f32) -> f32 {
  switch act {
    case 1u: { return select(0.0, a, a > 0.0); }
    case 2u: { return select(a, opaque(alpha * a), a < 0.0); }
    case 3u: { return xtanh(a); }
    case 4u: { return xsigmoid(a); }
    default: { return a; }
  }
}
