// gen_tautau: one e+e- -> tau+ tau- (gamma) event per item. Twin of kernels/gen_tautau/ref.ts (see
// there for the physics, its sources and the draw order); four-vectors are vec4 (E, px, py, pz).

fn track_det() -> TrackDet { return TrackDet(P.trk_cmin, P.trk_cmax, P.trk_ptmin, P.trk_ra, P.trk_rb, P.trk_ang, P.mu_eff); }
fn photon_det() -> PhotonDet {
  return PhotonDet(P.g_emin, P.ecl_c0, P.ecl_c1, P.ecl_c2, P.ecl_c3, P.ecl_c4, P.ecl_c5, P.g_ra, P.g_rb, P.g_rc);
}

// One tau's visible daughter in the pair's rest frame (ref.ts decayTau).
fn decay_tau(is_mu: bool, h: f32, q: f32, tau: vec4<f32>, c: f32, st: f32, cph: f32, sph: f32, flip: bool) -> vec4<f32> {
  var e = P.pi_e;
  var p = P.pi_p;
  var ct: f32;
  if (is_mu) {
    let d = tau_lepton(h, q, P.mich_emax, P.m_mu, P.mich_xmin);
    e = d.x;
    p = d.y;
    ct = d.z;
  } else {
    ct = tau_pion(h, q);
  }
  let sp = xsqrt(max(0.0, 1.0 - opaque(ct * ct)));
  let cs = disc();
  let pt = opaque(p * sp);
  let v = helicity_frame(vec3<f32>(fm(pt, cs.x), fm(pt, cs.y), opaque(p * ct)), c, st, cph, sph, flip);
  return boost_from(tau, P.m_tau, vec4<f32>(e, v.x, v.y, v.z));
}

fn put(l: u32, j: u32, v: f32) { out_ev[OUT_EV_STRIDE * l + j] = v; } // u32

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let l = item_index(gid, nwg);
  if (l >= P.item_count) { return; }
  rs_init(vec2<u32>(P.key0, P.key1), P.first + P.item_offset + l, 0u, 0u);
  // decay modes
  var mu_m: bool;
  var mu_p: bool;
  if (P.stratum == 0u) {
    mu_m = rs_uniform() < P.f_mu;
    mu_p = rs_uniform() < P.f_mu;
  } else if (P.stratum == 2u) {
    mu_m = rs_uniform() < 0.5;
    mu_p = !mu_m;
  } else {
    mu_m = P.stratum == 1u;
    mu_p = mu_m;
  }
  // identification of the charged daughters (as muons), first: skim stops the event here
  let id_m = rs_uniform() < select(P.id_pi, P.id_mu, mu_m);
  let id_p = rs_uniform() < select(P.id_pi, P.id_mu, mu_p);
  let modes = select(0.0, 1.0, !mu_m) + select(0.0, 2.0, !mu_p);
  if (P.skim != 0u && !(id_m && id_p)) {
    for (var j = 0u; j < OUT_EV_STRIDE; j++) { put(l, j, 0.0); }
    put(l, C_MODES, modes);
    return;
  }
  let rs = P.sqrt_s;
  // ISR (no generator cut, no angular stratum)
  isr_born(rs);
  if (P.isr != 0u) {
    isr_radiate(IsrSetup(rs, 0.0, opaque(P.m_min * P.m_min), P.e_beam, P.isr_exp, P.isr_a, P.isr_lr, 0u, 0.0, 0.0, 0.0, 0.0, 0.0));
  }
  let k1 = isr_k1;
  let k2 = isr_k2;
  let sys = isr_sys;
  let m2 = isr_m2;
  let M = xsqrt(m2);
  // production angle: 1 + c^2 + (1 - beta^2)(1 - c^2) <= 2
  let mt = P.m_tau;
  let omb2 = xdiv(4.0 * opaque(mt * mt), m2);
  var c = 0.0;
  var c2 = 0.0;
  for (var it = 0; it < 64; it++) {
    c = 2.0 * rs_uniform() - 1.0;
    c2 = opaque(c * c);
    if (2.0 * rs_uniform() <= (1.0 + c2) + opaque(omb2 * (1.0 - c2))) { break; }
  }
  let cs = disc();
  // helicities
  let h_m = select(-1.0, 1.0, rs_uniform() < 0.5);
  let same = opaque(omb2 * (1.0 - c2));
  let h_p = select(-h_m, h_m, opaque(rs_uniform() * ((1.0 + c2) + same)) < same);
  // the taus in the pair's rest frame (tau- along n), their decays, boosts to the CM and the lab
  let ps = p_star(m2, M, mt, mt);
  let et = 0.5 * M;
  let st = xsqrt(max(0.0, 1.0 - c2));
  let pt = opaque(ps * st);
  let n = vec3<f32>(opaque(pt * cs.x), opaque(pt * cs.y), opaque(ps * c));
  let d_m = decay_tau(mu_m, h_m, -1.0, vec4<f32>(et, n.x, n.y, n.z), c, st, cs.x, cs.y, false);
  let d_p = decay_tau(mu_p, h_p, 1.0, vec4<f32>(et, -n.x, -n.y, -n.z), c, st, cs.x, cs.y, true);
  let g = P.g_cm;
  let bg = P.bg_cm;
  let lm = boost_z(boost_from(sys, M, d_m), g, bg);
  let lp = boost_z(boost_from(sys, M, d_p), g, bg);
  var tp_ = track(lp, P.m_mu, track_det());
  tp_.id = id_p;
  var tm_ = track(lm, P.m_mu, track_det());
  tm_.id = id_m;
  var n_gam = 0.0;
  var e_extra = 0.0;
  if (P.isr != 0u) {
    let seen = isr_photons_seen(k1, k2, g, bg, photon_det());
    n_gam = seen.x;
    e_extra = seen.y;
  }
  dimuon_columns(tp_, tm_, lp, lm, n_gam, e_extra, 0.0, P.e_tot, P.pz_tot, g, bg, P.m_mu);
  for (var j = 0u; j <= DM_ACC; j++) { put(l, j, dm_cols[j]); }
  put(l, C_MODES, modes);
}
