// gen_dimuon: one dimuon event per item. Twin of kernels/gen_dimuon/ref.ts (see there for the
// physics, its sources and the draw order); four-vectors are vec4 (E, px, py, pz).

fn track_det() -> TrackDet { return TrackDet(P.trk_cmin, P.trk_cmax, P.trk_ptmin, P.trk_ra, P.trk_rb, P.trk_ang, P.mu_eff); }
fn photon_det() -> PhotonDet {
  return PhotonDet(P.g_emin, P.ecl_c0, P.ecl_c1, P.ecl_c2, P.ecl_c3, P.ecl_c4, P.ecl_c5, P.g_ra, P.g_rb, P.g_rc);
}

fn put(l: u32, j: u32, v: f32) { out_ev[OUT_EV_STRIDE * l + j] = v; } // u32

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let l = item_index(gid, nwg);
  if (l >= P.item_count) { return; }
  rs_init(vec2<u32>(P.key0, P.key1), P.first + P.item_offset + l, 0u, 0u);
  let rs = P.sqrt_s;
  // ISR
  isr_born(rs);
  if (P.isr != 0u) {
    isr_radiate(IsrSetup(rs, P.t_min, opaque(P.m_min * P.m_min), P.e_beam, P.isr_exp, P.isr_a, P.isr_lr,
      P.st_mode, P.st_f0, P.st_f1, P.st_f2, P.st_f3, P.st_p));
  }
  let k1 = isr_k1;
  let k2 = isr_k2;
  let sys = isr_sys;
  let m2 = isr_m2;
  // production: two-body (modes 0, 1) or three-body (mode 2)
  let M = xsqrt(m2);
  var mu_p: vec4<f32>;
  var mu_m: vec4<f32>;
  if (P.mode == 2u) {
    three_body(sys, M, m2, P.m_mu, P.m_mu, P.m_a);
    mu_p = tb_a;
    mu_m = tb_b;
  } else {
    let ma = P.m_a;
    let mb = P.m_b;
    var bt2 = 0.0;
    var kk = 1.0;
    var fmax = 2.0;
    if (P.mode == 1u) {
      let sp = ma + mb;
      let sd = ma - mb;
      let lam = max(0.0, opaque((m2 - opaque(sp * sp)) * (m2 - opaque(sd * sd))));
      bt2 = xdiv(lam, opaque(m2 * m2));
      kk = xdiv(opaque(8.0 * opaque(ma * ma)), m2);
      fmax = bt2 + kk;
    }
    var c = 0.0;
    for (var it = 0; it < 64; it++) {
      c = 2.0 * rs_uniform() - 1.0;
      var f = 1.0 + opaque(c * c);
      if (P.mode == 1u) { f = opaque(bt2 * (1.0 - opaque(c * c))) + kk; }
      if (opaque(rs_uniform() * fmax) <= f) { break; }
    }
    two_body(sys, M, m2, ma, mb, c, disc());
    mu_p = tb_a;
    mu_m = tb_b;
    if (P.mode == 1u) {
      let c2 = 2.0 * rs_uniform() - 1.0;
      let cs2 = disc();
      two_body(tb_a, ma, opaque(ma * ma), P.m_mu, P.m_mu, c2, cs2);
      mu_p = tb_a;
      mu_m = tb_b;
    }
  }
  // lab frame, detector
  let g = P.g_cm;
  let bg = P.bg_cm;
  let lp = boost_z(mu_p, g, bg);
  let lm = boost_z(mu_m, g, bg);
  let td = track_det();
  let tp_ = track(lp, P.m_mu, td);
  let tm_ = track(lm, P.m_mu, td);
  var n_gam = 0.0;
  var e_extra = 0.0;
  if (P.isr != 0u) {
    let seen = isr_photons_seen(k1, k2, g, bg, photon_det());
    n_gam = seen.x;
    e_extra = seen.y;
  }
  // the dimuon columns, the pad word
  dimuon_columns(tp_, tm_, lp, lm, n_gam, e_extra, 0.0, P.e_tot, P.pz_tot, g, bg, P.m_mu);
  for (var j = 0u; j <= DM_ACC; j++) { put(l, j, dm_cols[j]); }
  put(l, DM_ACC + 1u, 0.0);
}
