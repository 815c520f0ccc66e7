// Polarized tau decays: twin of kernels/lib/taudecay.ts (see there for the physics, sources, the
// samplers and the bound). Needs exactmath.wgsl and sampling.wgsl before it. Rest-frame results
// with z along the tau's flight; helicity_frame rotates into the parent frame.

fn tau_fm(a: f32, b: f32) -> f32 { return ftz(opaque(a * b)); }

// x from x^2 (3 - 2x) on (x_min, 1): 5 uniforms per try, at most 8 tries (then x_min).
fn michel_x(x_min: f32) -> f32 {
  for (var it = 0u; it < 8u; it = it + 1u) {
    let sel = rs_uniform();
    let u1 = rs_uniform();
    let u2 = rs_uniform();
    let u3 = rs_uniform();
    let u4 = rs_uniform();
    let hi12 = max(u1, u2);
    let lo12 = min(u1, u2);
    var x: f32;
    if (opaque(sel * 3.0) < 2.0) {
      x = max(hi12, u3);
    } else {
      let hi34 = max(u3, u4);
      let lo34 = min(u3, u4);
      x = max(min(hi12, hi34), max(lo12, lo34));
    }
    if (x > x_min) { return x; }
  }
  return x_min;
}

// cos from (1 + b c) / 2 on [-1, 1], |b| <= 1: 3 uniforms.
fn linear_cos(b: f32) -> f32 {
  let sel = rs_uniform();
  let c1 = 2.0 * rs_uniform() - 1.0;
  let c2 = 2.0 * rs_uniform() - 1.0;
  if (sel < abs(b)) {
    let c = max(c1, c2);
    return select(c, -c, b < 0.0);
  }
  return c1;
}

// tau -> l nu nu in the tau rest frame: (E, |p|, cos to the flight direction).
fn tau_lepton(pol: f32, q: f32, emax: f32, m: f32, x_min: f32) -> vec3<f32> {
  let x = michel_x(x_min);
  let a = select(pol, -pol, q < 0.0);
  let b = xdiv(opaque(a * (2.0 * x - 1.0)), 3.0 - 2.0 * x);
  let c = linear_cos(b);
  let e = max(opaque(x * emax), m);
  return vec3<f32>(e, xsqrt(max(0.0, opaque(e * e) - opaque(m * m))), c);
}

// tau -> l nu nu unpolarised, boosted with the tau (taudecay.ts tauLeptonic): the lepton. Calls genkin.wgsl's
// disc and boost_from (a kernel that includes this library includes genkin.wgsl too).
fn tau_leptonic(tau: vec4<f32>, m_tau: f32, q: f32, m: f32, emax: f32, x_min: f32) -> vec4<f32> {
  let d = tau_lepton(0.0, q, emax, m, x_min);
  let cs = disc();
  let pt = opaque(d.y * xsqrt(max(0.0, 1.0 - opaque(d.z * d.z))));
  return boost_from(tau, m_tau, vec4<f32>(d.x, ftz(opaque(pt * cs.x)), ftz(opaque(pt * cs.y)), opaque(d.y * d.z)));
}

// tau -> pi nu: the pion's cos to the tau's flight direction.
fn tau_pion(pol: f32, q: f32) -> f32 {
  return linear_cos(select(-pol, pol, q < 0.0));
}

// v (x along e_theta, y along e_phi, z along n) in the parent frame; flip: z along -n, y along -e_phi.
fn helicity_frame(v: vec3<f32>, c: f32, st: f32, cph: f32, sph: f32, flip: bool) -> vec3<f32> {
  let zz = select(v.z, -v.z, flip);
  let yy = select(v.y, -v.y, flip);
  let r = tau_fm(c, v.x) + tau_fm(st, zz);
  return vec3<f32>(tau_fm(r, cph) - tau_fm(yy, sph), tau_fm(r, sph) + tau_fm(yy, cph), tau_fm(c, zz) - tau_fm(st, v.x));
}
