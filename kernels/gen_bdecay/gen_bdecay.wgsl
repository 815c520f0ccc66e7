// gen_bdecay: one B-decay event per item. Twin of kernels/gen_bdecay/ref.ts (see there for the
// physics, its sources and the draw order); four-vectors are vec4 (E, px, py, pz). Building blocks
// from kernels/lib/genkin.wgsl.

fn track_det() -> TrackDet { return TrackDet(P.trk_cmin, P.trk_cmax, P.trk_ptmin, P.trk_ra, P.trk_rb, P.trk_ang, P.mu_eff); }

fn photon_det() -> PhotonDet {
  return PhotonDet(P.g_emin, P.ecl_c0, P.ecl_c1, P.ecl_c2, P.ecl_c3, P.ecl_c4, P.ecl_c5, P.g_ra, P.g_rb, P.g_rc);
}

struct Photon { e: f32, u: vec3<f32>, acc: bool }

// ref.ts photonSeen: genkin's photon_p4 as energy and unit direction.
fn photon_seen(k: vec4<f32>, pd: PhotonDet) -> Photon {
  photon_p4(k, pd, P.g_ang);
  let e = ph_p.x;
  if (e < 0.0) { return Photon(0.0, vec3<f32>(0.0, 0.0, 1.0), false); }
  var ie = 0.0;
  if (e > 0.0) { ie = xrecip(e); }
  return Photon(e, vec3<f32>(fm(ph_p.y, ie), fm(ph_p.z, ie), fm(ph_p.w, ie)), true);
}

fn dist2(u: vec3<f32>, v: vec3<f32>) -> f32 {
  let d = u - v;
  return (fm(d.x, d.x) + fm(d.y, d.y)) + fm(d.z, d.z);
}

// ref.ts pairMred2: M^2 - 4 m^2 of two tracks of mass m without cancellation.
fn pair_mred2(m: f32, a: Track, b: Track) -> f32 {
  var ia = 0.0;
  if (a.pm > 0.0) { ia = xrecip(a.pm); }
  var ib = 0.0;
  if (b.pm > 0.0) { ib = xrecip(b.pm); }
  let ua = vec3<f32>(opaque(a.p.y * ia), opaque(a.p.z * ia), opaque(a.p.w * ia));
  let ub = vec3<f32>(opaque(b.p.y * ib), opaque(b.p.z * ib), opaque(b.p.w * ib));
  let pp = opaque(a.pm * b.pm);
  let de = a.p.x - b.p.x;
  let den = (opaque(a.p.x * b.p.x) + pp) - opaque(m * m);
  var t1 = 0.0;
  if (den > 0.0) { t1 = xdiv(opaque(opaque(2.0 * fm(m, m)) * fm(de, de)), den); }
  return t1 + fm(pp, dist2(ua, ub));
}

// The B of Upsilon(4S) -> B Bbar: cos theta by rejection on 1 - c^2, azimuth from a disc point.
fn b_meson() -> vec4<f32> {
  var c = 0.0;
  for (var it = 0; it < 64; it++) {
    c = 2.0 * rs_uniform() - 1.0;
    if (rs_uniform() <= 1.0 - opaque(c * c)) { break; }
  }
  let cs = disc();
  let p = P.p_b;
  let mb = P.m_b;
  let pt = opaque(p * xsqrt(max(0.0, 1.0 - opaque(c * c))));
  return vec4<f32>(xsqrt(opaque(mb * mb) + opaque(p * p)), ftz(opaque(pt * cs.x)), ftz(opaque(pt * cs.y)), opaque(p * c));
}

// Isotropic two-body decay of pp (mass M) into tb_a, tb_b.
fn decay2(pp: vec4<f32>, M: f32, ma: f32, mb: f32) {
  let c = 2.0 * rs_uniform() - 1.0;
  let cs = disc();
  two_body(pp, M, opaque(M * M), ma, mb, c, cs);
}

// The kaon system's true tracks (CM) and mass hypotheses.
var<private> kq: array<vec4<f32>, 3>;
var<private> km: array<f32, 3>;

fn kaon_system(kmode: u32, k: vec4<f32>) -> u32 {
  let mk = P.m_k;
  let mpi = P.m_pi;
  let mkc = P.m_kc;
  if (kmode == 0u) {
    kq[0] = k;
    km[0] = mkc;
    return 1u;
  }
  if (kmode == 1u) {
    decay2(k, mk, mpi, mpi);
    kq[0] = tb_a;
    kq[1] = tb_b;
    km[0] = mpi;
    km[1] = mpi;
    return 2u;
  }
  if (kmode == 2u) {
    decay2(k, mk, mkc, mpi);
    kq[0] = tb_a;
    kq[1] = tb_b;
    km[0] = mkc;
    km[1] = mpi;
    return 2u;
  }
  decay2(k, mk, P.m_k0, mpi);
  let pi = tb_b;
  decay2(tb_a, P.m_k0, mpi, mpi);
  kq[0] = tb_a;
  kq[1] = tb_b;
  kq[2] = pi;
  km[0] = mpi;
  km[1] = mpi;
  km[2] = mpi;
  return 3u;
}

// proc 2: the combinatorial pseudo-parent -> K(*) gamma gamma: the K system into cb_k, the photons into cb_g1, cb_g2.
var<private> cb_k: vec4<f32>;
var<private> cb_g1: vec4<f32>;
var<private> cb_g2: vec4<f32>;

fn combinatorial() {
  let M = P.c_mlo + opaque(P.c_mw * rs_uniform());
  let q = opaque(P.c_qmax * rs_uniform());
  let c = 2.0 * rs_uniform() - 1.0;
  let cs = disc();
  let pt = opaque(q * xsqrt(max(0.0, 1.0 - opaque(c * c))));
  let par = vec4<f32>(xsqrt(opaque(M * M) + opaque(q * q)), ftz(opaque(pt * cs.x)), ftz(opaque(pt * cs.y)), opaque(q * c));
  let mk = P.m_k;
  let m2 = opaque(M * M);
  let hi = M - mk;
  let wmax = opaque(p_star(m2, M, mk, 0.0) * P.c_wenv);
  var m23 = hi;
  for (var it = 0; it < 64; it++) {
    m23 = opaque(hi * rs_uniform());
    let w = opaque(opaque(p_star(m2, M, mk, m23) * (0.5 * m23)) * xexp(-opaque(m23 * P.c_slope)));
    if (opaque(rs_uniform() * wmax) <= w) { break; }
  }
  let c1 = 2.0 * rs_uniform() - 1.0;
  let cs1 = disc();
  two_body(par, M, m2, mk, m23, c1, cs1);
  cb_k = tb_a;
  decay2(tb_b, m23, 0.0, 0.0);
  cb_g1 = tb_a;
  cb_g2 = tb_b;
}

fn put(l: u32, j: u32, v: f32) { out_ev[OUT_EV_STRIDE * l + j] = v; } // u32

fn llp_event(l: u32) {
  let bm = b_meson();
  let mk = P.m_k;
  let m_s = P.m_x;
  let md = P.m_d;
  decay2(bm, P.m_b, mk, m_s);
  let k = tb_a;
  let sv = tb_b;
  decay2(sv, m_s, md, md);
  let x1 = tb_a;
  let x2 = tb_b;
  let lt = -xlog(rs_uniform());
  let g = P.g_cm;
  let bg = P.bg_cm;
  let sl = boost_z(sv, g, bg);
  let ct = opaque(P.ctau_cm * lt);
  let f = xdiv(ct, m_s);
  let spt = xsqrt(fm(sl.y, sl.y) + fm(sl.z, sl.z));
  put(l, L_FLIGHT, opaque(xsqrt(p3sq(sl)) * f));
  put(l, L_RHO, opaque(spt * f));
  put(l, L_VZ, opaque(sl.w * f));
  put(l, L_T, opaque(P.tau_ns * lt));
  put(l, L_TAU, P.tau_ns);
  put(l, L_CTAU, P.ctau_cm);
  put(l, L_MS, m_s);
  let d = track_det();
  let tk = track(boost_z(k, g, bg), P.m_kc, d);
  let t1 = track(boost_z(x1, g, bg), md, d);
  let t2 = track(boost_z(x2, g, bg), md, d);
  if (!(tk.acc && t1.acc && t2.acc)) { return; }
  put(l, C_ACC, 1.0);
  put(l, L_PK, tk.pm);
  put(l, L_PX1, t1.pm);
  put(l, L_PX2, t2.pm);
  let mr2 = pair_mred2(md, t1, t2);
  put(l, L_MRED, xsqrt(mr2));
  put(l, L_MXX, xsqrt(mr2 + opaque(4.0 * fm(md, md))));
  let xx = t1.p + t2.p;
  put(l, L_PS, xsqrt(p3sq(xx)));
  put(l, L_MKXX, ssqrt(msq(tk.p + xx)));
}

fn bmeson_event(l: u32, pr: u32, kmode: u32) {
  var k: vec4<f32>;
  var g1: vec4<f32>;
  var g2: vec4<f32>;
  if (pr == 1u) {
    let bm = b_meson();
    let mx = P.m_x;
    decay2(bm, P.m_b, P.m_k, mx);
    k = tb_a;
    decay2(tb_b, mx, 0.0, 0.0);
    g1 = tb_a;
    g2 = tb_b;
    put(l, B_MA, mx);
  } else {
    combinatorial();
    k = cb_k;
    g1 = cb_g1;
    g2 = cb_g2;
  }
  let nk = kaon_system(kmode, k);
  let g = P.g_cm;
  let bg = P.bg_cm;
  let d = track_det();
  var ntrk = 0.0;
  var all_in = true;
  var sum = vec4<f32>(0.0);
  for (var j = 0u; j < nk; j++) {
    let t = track(boost_z(kq[j], g, bg), km[j], d);
    if (t.acc) { ntrk += 1.0; } else { all_in = false; }
    sum = sum + t.p;
  }
  let pd = photon_det();
  var a = photon_seen(boost_z(g1, g, bg), pd);
  var b = photon_seen(boost_z(g2, g, bg), pd);
  let ngam = select(0.0, 1.0, a.acc) + select(0.0, 1.0, b.acc);
  put(l, B_NGAM, ngam);
  put(l, B_NTRK, ntrk);
  if (!(all_in && ngam == 2.0)) { return; }
  if (b.e > a.e) {
    let t = a;
    a = b;
    b = t;
  }
  put(l, C_ACC, 1.0);
  put(l, B_PK, xsqrt(p3sq(sum)));
  var mks = km[0];
  if (nk > 1u) { mks = ssqrt(msq(sum)); }
  put(l, B_MK, mks);
  put(l, B_EG1, a.e);
  put(l, B_EG2, b.e);
  put(l, B_CG1, a.u.z);
  put(l, B_CG2, b.u.z);
  put(l, B_MGG, xsqrt(fm(fm(a.e, b.e), dist2(a.u, b.u))));
  let bl = vec4<f32>(
    (sum.x + a.e) + b.e,
    (sum.y + fm(a.e, a.u.x)) + fm(b.e, b.u.x),
    (sum.z + fm(a.e, a.u.y)) + fm(b.e, b.u.y),
    (sum.w + fm(a.e, a.u.z)) + fm(b.e, b.u.z));
  let bc = boost_z(bl, g, -bg);
  let eb = P.e_beam;
  put(l, B_MBC, xsqrt(max(0.0, opaque(eb * eb) - p3sq(bc))));
  put(l, B_DE, bc.x - eb);
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let l = item_index(gid, nwg);
  if (l >= P.item_count) { return; }
  rs_init(vec2<u32>(P.key0, P.key1), P.first + P.item_offset + l, 0u, 0u);
  for (var j = 0u; j < OUT_EV_STRIDE; j++) { put(l, j, 0.0); }
  if (P.proc == 0u) { llp_event(l); } else { bmeson_event(l, P.proc, P.kmode); }
}
