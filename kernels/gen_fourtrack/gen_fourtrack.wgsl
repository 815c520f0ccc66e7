// gen_fourtrack: one fourtrack event per item. Twin of kernels/gen_fourtrack/ref.ts (see there for the
// physics, its sources, the bounds and the draw order); four-vectors are vec4 (E, px, py, pz).

// The photons seen so far (the event's four charged particles: lib/fourtrack ev_*).
var<private> ev_ngam: f32;
var<private> ev_eextra: f32;

fn track_det(kind: u32) -> TrackDet {
  if (kind == KIND_MU) { return TrackDet(P.trk_cmin, P.trk_cmax, P.trk_ptmin, P.trk_ra, P.trk_rb, P.trk_ang, P.mu_eff); }
  if (kind == KIND_PI) { return TrackDet(P.trk_cmin_pi, P.trk_cmax_pi, P.trk_ptmin_pi, P.trk_ra_pi, P.trk_rb_pi, P.trk_ang_pi, P.mu_eff_pi); }
  return TrackDet(P.trk_cmin_e, P.trk_cmax_e, P.trk_ptmin_e, P.trk_ra_e, P.trk_rb_e, P.trk_ang_e, P.mu_eff_e);
}
fn photon_det() -> PhotonDet {
  return PhotonDet(P.g_emin, P.ecl_c0, P.ecl_c1, P.ecl_c2, P.ecl_c3, P.ecl_c4, P.ecl_c5, P.g_ra, P.g_rb, P.g_rc);
}

fn add_photon(k: vec4<f32>) {
  let en = photon(boost_z(k, P.g_cm, P.bg_cm), photon_det());
  if (en >= 0.0) {
    ev_ngam = ev_ngam + 1.0;
    ev_eextra = ev_eextra + en;
  }
}

fn ucos() -> f32 { return 2.0 * rs_uniform() - 1.0; }

// Isotropic two-body decay of pp (mass M) into (ma, mb): tb_a, tb_b.
fn decay2(pp: vec4<f32>, M: f32, ma: f32, mb: f32) {
  let c = ucos();
  let cs = disc();
  two_body(pp, M, opaque(M * M), ma, mb, c, cs);
}

fn rest3(pp: vec4<f32>, a: vec4<f32>, b: vec4<f32>) -> vec4<f32> { return (pp - a) - b; }

fn tau_rho_nu(tau: vec4<f32>) -> vec4<f32> {
  let mr = P.m_rho;
  let m0 = P.m_pi0;
  decay2(tau, P.m_tau, mr, 0.0);
  let rho = tb_a;
  decay2(rho, mr, P.m_pi, m0);
  let pi = tb_a;
  let pi0 = tb_b;
  decay2(pi0, m0, 0.0, 0.0);
  let g2 = tb_b;
  add_photon(tb_a);
  add_photon(g2);
  return pi;
}

fn one_prong(tau: vec4<f32>, q: f32) {
  let u = rs_uniform();
  if (u < P.br_e) {
    add_track(tau_leptonic(tau, P.m_tau, q, P.m_e, P.emax_e, P.xmin_e), KIND_E, q);
  } else if (u < P.br_mu) {
    add_track(tau_leptonic(tau, P.m_tau, q, P.m_mu, P.emax_mu, P.xmin_mu), KIND_MU, q);
  } else if (u < P.br_pi) {
    decay2(tau, P.m_tau, P.m_pi, 0.0);
    add_track(tb_a, KIND_PI, q);
  } else {
    add_track(tau_rho_nu(tau), KIND_PI, q);
  }
}

fn a1_mass() -> f32 {
  let m0 = P.m_a1;
  for (var it = 0; it < 64; it++) {
    let u = ucos();
    let v = ucos();
    if (opaque(u * u) + opaque(v * v) < 1.0) {
      let m = m0 + xdiv(opaque(P.a1_hw * v), abs(u));
      if (m > P.a1_lo && m < P.a1_hi) { return m; }
    }
  }
  return m0;
}

fn three_prong(tau: vec4<f32>, q: f32) {
  let m = a1_mass();
  let mp = P.m_pi;
  decay2(tau, P.m_tau, m, 0.0);
  let a1 = tb_a;
  three_body(a1, m, opaque(m * m), mp, mp, mp);
  let p1 = tb_a;
  let p2 = tb_b;
  add_track(p1, KIND_PI, q);
  add_track(p2, KIND_PI, q);
  add_track(rest3(a1, p1, p2), KIND_PI, -q);
}

fn isr_system() -> vec4<f32> {
  isr_radiate(IsrSetup(P.sqrt_s, 0.0, opaque(P.m_min * P.m_min), P.e_beam, P.isr_exp, P.isr_a, P.isr_lr, 0u, 0.0, 0.0, 0.0, 0.0, 0.0));
  let k2 = isr_k2;
  let sys = isr_sys;
  add_photon(isr_k1);
  add_photon(k2);
  return sys;
}

// tau-, tau+ into tb_a, tb_b.
fn tau_pair(sys: vec4<f32>, M: f32, m2: f32) {
  let mt = P.m_tau;
  let omb = xdiv(4.0 * opaque(mt * mt), m2);
  var c = 0.0;
  for (var it = 0; it < 64; it++) {
    c = ucos();
    let cc = opaque(c * c);
    if (2.0 * rs_uniform() <= (1.0 + cc) + opaque(omb * (1.0 - cc))) { break; }
  }
  let cs = disc();
  two_body(sys, M, m2, mt, mt, c, cs);
}

fn gamma_star_mass() -> f32 {
  let r = P.sp_r;
  let t0 = P.sp_t0;
  let t1 = P.sp_t1;
  let mt2 = opaque(P.m_tau * P.m_tau);
  var m = 0.0;
  for (var it = 0; it < 64; it++) {
    let t = xsqrt(t0 + opaque(rs_uniform() * (t1 - t0)));
    m = opaque(r * xexp(-t));
    let rr = xdiv(4.0 * mt2, opaque(m * m));
    let f = opaque(xsqrt(max(0.0, 1.0 - rr)) * (1.0 + 0.5 * rr));
    if (rs_uniform() <= f) { break; }
  }
  return m;
}

// The j-th pion (in track order) of charge q becomes a muon.
fn relabel(q: f32, j: u32) {
  var m = 0u;
  for (var i = 0u; i < 4u; i++) {
    if (ev_k[i] == KIND_PI && ev_q[i] == q) {
      if (m == j) { ev_k[i] = KIND_MU; } // u32
      m = m + 1u; // u32
    }
  }
}

fn force_fakes() {
  var n_mu = 0u;
  var mu_q = 0.0;
  var n_pos = 0u;
  var n_neg = 0u;
  for (var i = 0u; i < 4u; i++) {
    if (ev_k[i] == KIND_MU) {
      n_mu = n_mu + 1u; // u32
      mu_q = ev_q[i];
    } else if (ev_k[i] == KIND_PI) {
      if (ev_q[i] > 0.0) { n_pos = n_pos + 1u; } else { n_neg = n_neg + 1u; } // u32
    }
  }
  if (n_mu == 1u) {
    let n_opp = select(n_pos, n_neg, mu_q > 0.0);
    if (n_opp == 0u) { return; }
    let j = min(n_opp - 1u, u32(floor(opaque(rs_uniform() * f32(n_opp)))));
    relabel(-mu_q, j);
  } else if (n_mu == 0u && n_pos > 0u && n_neg > 0u) {
    let nn = n_pos * n_neg; // u32
    let k = min(nn - 1u, u32(floor(opaque(rs_uniform() * f32(nn)))));
    relabel(1.0, k / n_neg); // u32
    relabel(-1.0, k % n_neg); // u32
  }
}

fn put(l: u32, j: u32, v: f32) { out_ev[OUT_EV_STRIDE * l + j] = v; } // u32

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let l = item_index(gid, nwg);
  if (l >= P.item_count) { return; }
  rs_init(vec2<u32>(P.key0, P.key1), P.first + P.item_offset + l, 0u, 0u);
  let mode = P.mode;
  let rs = P.sqrt_s;
  ev_n = 0u;
  ev_ngam = 0.0;
  ev_eextra = 0.0;
  let cm = vec4<f32>(rs, 0.0, 0.0, 0.0);
  var truth = 0.0;
  // ---- production and decays (CM frame)
  if (mode == 4u) {
    let n0 = floor(opaque(rs_uniform() * 3.0));
    let m_rest = opaque(n0 * (P.m_pi0 + P.qq_x));
    let m2pi = 2.0 * P.m_pi;
    let mA = m2pi + opaque(rs_uniform() * P.qq_w);
    let mB = m2pi + opaque(rs_uniform() * P.qq_w);
    var a: vec4<f32>;
    var b: vec4<f32>;
    var r = cm;
    if (n0 == 0.0) {
      decay2(cm, rs, mA, mB);
      a = tb_a;
      b = tb_b;
    } else {
      three_body(cm, rs, opaque(rs * rs), mA, mB, m_rest);
      a = tb_a;
      b = tb_b;
      r = rest3(cm, a, b);
    }
    decay2(a, mA, P.m_pi, P.m_pi);
    add_track(tb_a, KIND_PI, 1.0);
    add_track(tb_b, KIND_PI, -1.0);
    decay2(b, mB, P.m_pi, P.m_pi);
    add_track(tb_a, KIND_PI, 1.0);
    add_track(tb_b, KIND_PI, -1.0);
    if (n0 == 1.0) {
      decay2(r, m_rest, 0.0, 0.0);
      let g2 = tb_b;
      add_photon(tb_a);
      add_photon(g2);
    } else if (n0 == 2.0) {
      let m0 = P.m_pi0;
      decay2(r, m_rest, m0, m0);
      let z2 = tb_b;
      decay2(tb_a, m0, 0.0, 0.0);
      var g2 = tb_b;
      add_photon(tb_a);
      add_photon(g2);
      decay2(z2, m0, 0.0, 0.0);
      g2 = tb_b;
      add_photon(tb_a);
      add_photon(g2);
    }
  } else if (mode == 2u || mode == 3u) {
    let mt = P.m_tau;
    let mm = P.m_mu;
    var sys = cm;
    if (mode == 2u && P.isr != 0u) { sys = isr_system(); }
    let m2 = msq(sys);
    let M = xsqrt(m2);
    var mx = P.m_x;
    if (mode == 3u) { mx = gamma_star_mass(); }
    truth = mx;
    three_body(sys, M, m2, mm, mm, mx);
    let a = tb_a;
    let b = tb_b;
    add_track(a, KIND_MU, 1.0);
    add_track(b, KIND_MU, -1.0);
    decay2(rest3(sys, a, b), mx, mt, mt);
    let tp = tb_b;
    one_prong(tb_a, -1.0);
    one_prong(tp, 1.0);
  } else {
    var sys = cm;
    if (P.isr != 0u) { sys = isr_system(); }
    let m2 = msq(sys);
    tau_pair(sys, xsqrt(m2), m2);
    let tm = tb_a;
    let tp = tb_b;
    let flip = rs_uniform() < 0.5;
    let t1 = select(tm, tp, flip);
    let q1 = select(-1.0, 1.0, flip);
    if (mode == 1u) {
      decay2(t1, P.m_tau, P.m_l, P.m_x);
      add_track(tb_a, P.lep_kind, q1);
      truth = P.m_x;
    } else {
      one_prong(t1, q1);
    }
    three_prong(select(tp, tm, flip), -q1);
  }
  if (P.force_fake != 0u) { force_fakes(); }
  // ---- detector (lab frame) and the fourtrack columns (lib/fourtrack), the pads
  let d = FtDet(track_det(KIND_MU), track_det(KIND_PI), track_det(KIND_E), P.m_e, P.m_mu, P.m_pi, P.e_tot, P.pz_tot, P.g_cm, P.bg_cm, P.g_tau, P.bg_tau);
  fourtrack_columns(d, ev_ngam, ev_eextra, truth);
  for (var j = 0u; j <= F_ACC; j++) { put(l, j, ft_cols[j]); }
  for (var j = F_ACC + 1u; j < OUT_EV_STRIDE; j++) { put(l, j, 0.0); }
}
