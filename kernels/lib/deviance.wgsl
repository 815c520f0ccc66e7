// Twin of kernels/lib/deviance.ts: the Poisson deviance in f32 (needs exactmath.wgsl before it).

fn dev_f32(n: f32, lam: f32) -> f32 {
  if (n == 0.0) { return 2.0 * lam; }
  if (!(lam > 0.0)) { return xm_f(0x7e967699u); }
  let d = xdiv(lam - n, n);
  var g: f32;
  if (abs(d) < 0.1) {
    var p = xm_f(0x3dcccccdu);
    p = opaque(p * d) + xm_f(0xbde38e39u);
    p = opaque(p * d) + xm_f(0x3e000000u);
    p = opaque(p * d) + xm_f(0xbe124925u);
    p = opaque(p * d) + xm_f(0x3e2aaaabu);
    p = opaque(p * d) + xm_f(0xbe4ccccdu);
    p = opaque(p * d) + xm_f(0x3e800000u);
    p = opaque(p * d) + xm_f(0xbeaaaaabu);
    p = opaque(p * d) + xm_f(0x3f000000u);
    g = opaque(ftz(opaque(d * d)) * p);
  } else {
    g = d - xlog(xdiv(lam, n));
  }
  return opaque((2.0 * n) * g);
}
