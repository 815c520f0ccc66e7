// gen_photons: one photons-family event per item. Twin of kernels/gen_photons/ref.ts (see there for
// the physics, its sources and the draw order); four-vectors are vec4 (E, px, py, pz).

fn photon_det() -> PhotonDet {
  return PhotonDet(P.g_emin, P.ecl_c0, P.ecl_c1, P.ecl_c2, P.ecl_c3, P.ecl_c4, P.ecl_c5, P.g_ra, P.g_rb, P.g_rc);
}

fn gg_cos(t: f32) -> f32 {
  var c = 0.0;
  for (var it = 0; it < 64; it++) {
    let e = xexp(2.0 * opaque(t * (2.0 * rs_uniform() - 1.0)));
    c = xdiv(e - 1.0, e + 1.0);
    if (opaque(rs_uniform() * 2.0) <= 1.0 + opaque(c * c)) { break; }
  }
  return c;
}

fn bhabha_cos(a: f32, ba: f32) -> f32 {
  var c = 0.0;
  for (var it = 0; it < 64; it++) {
    c = 1.0 - xrecip(a + opaque(ba * rs_uniform()));
    let f = 3.0 + opaque(c * c);
    if (opaque(rs_uniform() * 16.0) <= opaque(f * f)) { break; }
  }
  return c;
}

fn born_cos() -> f32 {
  var c = 0.0;
  for (var it = 0; it < 64; it++) {
    c = 2.0 * rs_uniform() - 1.0;
    if (opaque(rs_uniform() * 2.0) <= 1.0 + opaque(c * c)) { break; }
  }
  return c;
}

// ref.ts pairMass2: E1 E2 |n1 - n2|^2.
fn pair_mass2(a: vec4<f32>, b: vec4<f32>) -> f32 {
  if (!(a.x > 0.0 && b.x > 0.0)) { return 0.0; }
  let ia = xrecip(a.x);
  let ib = xrecip(b.x);
  let dx = opaque(a.y * ia) - opaque(b.y * ib);
  let dy = opaque(a.z * ia) - opaque(b.z * ib);
  let dz = opaque(a.w * ia) - opaque(b.w * ib);
  return opaque(opaque(a.x * b.x) * ((fm(dx, dx) + fm(dy, dy)) + fm(dz, dz)));
}

// The three most energetic photons seen (descending), their count and the energy sum.
var<private> top0: vec4<f32>;
var<private> top1: vec4<f32>;
var<private> top2: vec4<f32>;
var<private> n_gam: f32;
var<private> e_tot: f32;

fn see(h: vec4<f32>, pd: PhotonDet) {
  photon_p4(boost_z(h, P.g_cm, P.bg_cm), pd, P.g_ang);
  let e = ph_p.x;
  if (e < 0.0) { return; }
  n_gam = n_gam + 1.0;
  e_tot = e_tot + e;
  // top_i.x is -1 while empty (written as 0 below)
  if (e > top0.x) {
    top2 = top1;
    top1 = top0;
    top0 = ph_p;
  } else if (e > top1.x) {
    top2 = top1;
    top1 = ph_p;
  } else if (e > top2.x) {
    top2 = ph_p;
  }
}

fn put(l: u32, j: u32, v: f32) { out_ev[OUT_EV_STRIDE * l + j] = v; } // u32

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let l = item_index(gid, nwg);
  if (l >= P.item_count) { return; }
  rs_init(vec2<u32>(P.key0, P.key1), P.first + P.item_offset + l, 0u, 0u);
  let rs = P.sqrt_s;
  let mx = P.m_x;
  let isr = P.isr != 0u;
  // ISR (t_min: the xMin cut, st_mode: the angular stratum; 0: none)
  isr_born(rs);
  if (isr) { isr_radiate(IsrSetup(rs, P.t_min, opaque(P.m_min * P.m_min), P.e_beam, P.isr_exp, P.isr_a, P.isr_lr,
    P.st_mode, P.st_f0, P.st_f1, P.st_f2, P.st_f3, P.st_p)); }
  let k1 = isr_k1;
  let k2 = isr_k2;
  let sys = isr_sys;
  let m2 = isr_m2;
  let M = xsqrt(m2);
  // production
  var c: f32;
  if (P.mode == 1u) { c = bhabha_cos(P.bh_a, P.bh_ba); } else if (P.mode == 2u) { c = born_cos(); } else { c = gg_cos(P.gg_t); }
  let cs = disc();
  let empty = vec4<f32>(-1.0, 0.0, 0.0, 0.0);
  top0 = empty;
  top1 = empty;
  top2 = empty;
  n_gam = 0.0;
  e_tot = 0.0;
  let pd = photon_det();
  var ta = vec4<f32>(0.0);
  var tb = vec4<f32>(0.0);
  if (P.mode == 0u) {
    two_body(sys, M, m2, 0.0, 0.0, c, cs);
    let a = tb_a;
    let b = tb_b;
    see(a, pd);
    see(b, pd);
  } else if (P.mode == 1u) {
    two_body(sys, M, m2, P.m_e, P.m_e, c, cs);
    ta = tb_a;
    tb = tb_b;
  } else {
    two_body(sys, M, m2, 0.0, mx, c, cs);
    let gam = tb_a;
    let a = tb_b;
    if (P.mode == 2u) {
      let c2 = 2.0 * rs_uniform() - 1.0;
      let cs2 = disc();
      two_body(a, mx, opaque(mx * mx), 0.0, 0.0, c2, cs2);
      let g1 = tb_a;
      let g2 = tb_b;
      see(gam, pd);
      see(g1, pd);
      see(g2, pd);
    } else {
      see(gam, pd);
    }
  }
  if (isr) {
    see(k1, pd);
    see(k2, pd);
  }
  var n_trk = 0.0;
  if (P.mode == 1u) {
    let td = TrackDet(P.trk_cmin, P.trk_cmax, P.trk_ptmin, P.trk_ra, P.trk_rb, P.trk_ang, P.mu_eff);
    let t1 = track(boost_z(ta, P.g_cm, P.bg_cm), P.m_e, td);
    if (t1.acc) {
      n_trk = n_trk + 1.0;
      e_tot = e_tot + t1.p.x;
    }
    let t2 = track(boost_z(tb, P.g_cm, P.bg_cm), P.m_e, td);
    if (t2.acc) {
      n_trk = n_trk + 1.0;
      e_tot = e_tot + t2.p.x;
    }
  }
  // the photons columns
  let g = P.g_cm;
  let bg = P.bg_cm;
  var t: array<vec4<f32>, 3>;
  t[0] = select(top0, vec4<f32>(0.0), top0.x < 0.0);
  t[1] = select(top1, vec4<f32>(0.0), top1.x < 0.0);
  t[2] = select(top2, vec4<f32>(0.0), top2.x < 0.0);
  put(l, C_NGAM, n_gam);
  for (var i = 0u; i < 3u; i++) {
    let p = t[i];
    put(l, C_EG + i, p.x);
    put(l, C_ECM + i, boost_z(p, g, -bg).x);
    let pa2 = p3sq(p);
    var cth = 0.0;
    if (p.x > 0.0 && pa2 > 0.0) { cth = xdiv(p.w, xsqrt(pa2)); }
    put(l, C_COS + i, cth);
  }
  let m12 = pair_mass2(t[0], t[1]);
  let m13 = pair_mass2(t[0], t[2]);
  let m23 = pair_mass2(t[1], t[2]);
  put(l, C_MGG12, xsqrt(m12));
  put(l, C_MGG13, xsqrt(m13));
  put(l, C_MGG23, xsqrt(m23));
  put(l, C_MGGG, xsqrt((m12 + m13) + m23));
  let r2 = msq(vec4<f32>(P.e_tot - t[0].x, -t[0].y, -t[0].z, P.pz_tot - t[0].w));
  put(l, C_MREC, ssqrt(r2));
  put(l, C_M2REC, r2);
  put(l, C_NTRK, n_trk);
  put(l, C_ETOT, e_tot);
  put(l, C_TRUTH, mx);
  put(l, C_ACC, select(0.0, 1.0, n_gam >= 1.0));
}
