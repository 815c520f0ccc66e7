// gen_fourmuon: one four-muon event per item. Twin of kernels/gen_fourmuon/ref.ts (see there for the
// physics, its sources and the draw order); four-vectors are vec4 (E, px, py, pz), the kinematics
// and the detector response from genkin.wgsl.

// The gamma* mass of the uniform u from the table in_spec ([c | m | s], n + 1 words each): bounded binary search.
fn tab_mass(n: u32, u: f32) -> f32 {
  var a = 0u;
  var b = n;
  for (var it = 0; it < 32 && b - a > 1u; it++) {
    let mid = (a + b) >> 1u; // u32
    if (in_spec[mid] < u) { a = mid; } else { b = mid; }
  }
  return in_spec[n + 1u + a] + fm(u - in_spec[a], in_spec[2u * (n + 1u) + a]);
}

fn put(l: u32, j: u32, v: f32) { out_ev[OUT_EV_STRIDE * l + j] = v; } // u32

fn okf(t: Track) -> f32 { return select(0.0, 1.0, t.acc && t.id); }

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let l = item_index(gid, nwg);
  if (l >= P.item_count) { return; }
  rs_init(vec2<u32>(P.key0, P.key1), P.first + P.item_offset + l, 0u, 0u);
  let mm = P.m_mu;
  let rs = P.sqrt_s;
  var mx = P.m_x;
  if (P.mode == 1u) { mx = tab_mass(P.n_tab, rs_uniform()); }
  // ISR: retried until the system can make mu mu X (no generator cut, no angular stratum)
  var k1 = vec4<f32>(0.0);
  var k2 = vec4<f32>(0.0);
  var sys = vec4<f32>(rs, 0.0, 0.0, 0.0);
  var m2 = opaque(rs * rs);
  if (P.isr != 0u) {
    let m_min = mx + 2.0 * mm;
    isr_radiate(IsrSetup(rs, 0.0, opaque(m_min * m_min), P.e_beam, P.isr_exp, P.isr_a, P.isr_lr, 0u, 0.0, 0.0, 0.0, 0.0, 0.0));
    k1 = isr_k1;
    k2 = isr_k2;
    sys = isr_sys;
    m2 = isr_m2;
  }
  // mu+ mu- X (flat phase space), X -> mu+ mu- (tau+ tau-, each -> mu nu nu) isotropic
  let M = xsqrt(m2);
  three_body(sys, M, m2, mm, mm, mx);
  let a = tb_a;
  let b = tb_b;
  let x = tb_c;
  var md = mm;
  if (P.mode == 2u) { md = P.m_tau; }
  let cx = 2.0 * rs_uniform() - 1.0;
  let csx = disc();
  two_body(x, mx, opaque(mx * mx), md, md, cx, csx);
  var c = tb_a;
  var d = tb_b;
  if (P.mode == 2u) {
    c = tau_leptonic(c, md, 1.0, mm, P.emax_mu, P.xmin_mu);
    d = tau_leptonic(d, md, -1.0, mm, P.emax_mu, P.xmin_mu);
  }
  // lab frame, detector: tracks a, b, c, d, then the ISR photons
  let g = P.g_cm;
  let bg = P.bg_cm;
  let td = TrackDet(P.trk_cmin, P.trk_cmax, P.trk_ptmin, P.trk_ra, P.trk_rb, P.trk_ang, P.mu_eff);
  let ta = track(boost_z(a, g, bg), mm, td);
  let tb = track(boost_z(b, g, bg), mm, td);
  let tc = track(boost_z(c, g, bg), mm, td);
  let tdd = track(boost_z(d, g, bg), mm, td);
  var n_gam = 0.0;
  var e_extra = 0.0;
  if (P.isr != 0u) {
    let seen = isr_photons_seen(k1, k2, g, bg, PhotonDet(P.g_emin, P.ecl_c0, P.ecl_c1, P.ecl_c2, P.ecl_c3, P.ecl_c4, P.ecl_c5, P.g_ra, P.g_rb, P.g_rc));
    n_gam = seen.x;
    e_extra = seen.y;
  }
  // the four-muon columns
  for (var j = 0u; j < OUT_EV_STRIDE; j++) { put(l, j, 0.0); }
  let n_acc = ((select(0.0, 1.0, ta.acc) + select(0.0, 1.0, tb.acc)) + select(0.0, 1.0, tc.acc)) + select(0.0, 1.0, tdd.acc);
  let n_mu = ((okf(ta) + okf(tb)) + okf(tc)) + okf(tdd);
  put(l, C_EEXTRA, e_extra);
  put(l, C_NGAM, n_gam);
  put(l, C_NEXTRA, n_acc - n_mu);
  put(l, C_TRUTH, mx);
  if (n_mu < 4.0) { return; }
  // each charge's muons by measured |p|, the harder first (a before c, b before d on a tie)
  var mu = array<vec4<f32>, 4>(ta.p, tc.p, tb.p, tdd.p);
  if (tc.pm > ta.pm) { mu[0] = tc.p; mu[1] = ta.p; }
  if (tdd.pm > tb.pm) { mu[2] = tdd.p; mu[3] = tb.p; }
  put(l, C_ACC, 1.0);
  for (var j = 0u; j < 4u; j++) {
    put(l, C_MU + 3u * j, mu[j].y); // u32
    put(l, C_MU + 3u * j + 1u, mu[j].z); // u32
    put(l, C_MU + 3u * j + 2u, mu[j].w); // u32
  }
  put(l, C_M4, ssqrt(msq((mu[0] + mu[1]) + (mu[2] + mu[3]))));
  let e_tot = P.e_tot;
  let pz_tot = P.pz_tot;
  for (var j = 0u; j < 4u; j++) {
    let pr = mu[j >> 1u] + mu[2u + (j & 1u)]; // u32
    put(l, C_MPAIR + j, ssqrt(msq(pr)));
    put(l, C_MREC + j, ssqrt(msq(vec4<f32>(e_tot - pr.x, -pr.y, -pr.z, pz_tot - pr.w))));
  }
}
