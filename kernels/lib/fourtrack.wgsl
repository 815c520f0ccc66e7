// The 'fourtrack' family's detector response and columns: twin of kernels/lib/fourtrack.ts (see
// there for the definitions and the draw order). Needs exactmath, sampling and genkin before it, and
// the kernel's constants FOURTRACK_WORDS (F_*, KIND_*: KernelDesc.constants). The kernel adds its
// event's four charged particles (CM frame) with add_track, then fourtrack_columns fills ft_cols
// (words 0 .. F_ACC), which the kernel copies out.

var<private> ev_p: array<vec4<f32>, 4>;
var<private> ev_k: array<u32, 4>;
var<private> ev_q: array<f32, 4>;
var<private> ev_n: u32;
var<private> ft_cols: array<f32, 26>;

fn add_track(p: vec4<f32>, kind: u32, q: f32) {
  ev_p[ev_n] = p;
  ev_k[ev_n] = kind; // u32
  ev_q[ev_n] = q;
  ev_n = ev_n + 1u; // u32
}

// fourtrack.ts FtDet: the three track sub-blocks (muon, pion, electron), masses, the lab's initial state, the CM and pseudo-rest-frame boosts.
struct FtDet { mu: TrackDet, pi: TrackDet, e: TrackDet, m_e: f32, m_mu: f32, m_pi: f32, e_tot: f32, pz_tot: f32, g: f32, bg: f32, g_tau: f32, bg_tau: f32 }

fn cos_num(a: vec4<f32>, b: vec4<f32>) -> f32 { return (fm(a.y, b.y) + fm(a.z, b.z)) + fm(a.w, b.w); }
fn cos_between(a: vec4<f32>, b: vec4<f32>) -> f32 {
  let d2 = fm(p3sq(a), p3sq(b));
  if (d2 > 0.0) { return xdiv(cos_num(a, b), xsqrt(d2)); }
  return 0.0;
}

fn fourtrack_columns(d: FtDet, n_gam: f32, e_extra: f32, truth: f32) {
  // ---- detector (lab frame): the tracks in order
  let g = d.g;
  let bg = d.bg;
  let mmu = d.m_mu;
  var L: array<vec4<f32>, 4>;
  var c: array<vec4<f32>, 4>;
  var pc: array<f32, 4>;
  var id: array<bool, 4>;
  var n_trk = 0.0;
  var q_sum = 0.0;
  var n_mu = 0.0;
  for (var i = 0u; i < 4u; i++) {
    let kind = ev_k[i];
    var m = d.m_pi;
    var td = d.e;
    if (kind == KIND_MU) { m = mmu; td = d.mu; } else if (kind == KIND_PI) { td = d.pi; } else { m = d.m_e; }
    let t = track(boost_z(ev_p[i], g, bg), m, td);
    var p = t.p;
    if (t.id && kind != KIND_MU) { p.x = xsqrt(opaque(mmu * mmu) + opaque(t.pm * t.pm)); }
    L[i] = p;
    c[i] = boost_z(p, g, -bg);
    pc[i] = xsqrt(p3sq(c[i]));
    id[i] = t.id;
    if (t.acc) {
      n_trk = n_trk + 1.0;
      q_sum = q_sum + ev_q[i];
      if (t.id) { n_mu = n_mu + 1.0; }
    }
  }
  // ---- the fourtrack columns
  for (var j = 0u; j <= F_ACC; j++) { ft_cols[j] = 0.0; }
  ft_cols[F_NTRK] = n_trk;
  ft_cols[F_QSUM] = q_sum;
  ft_cols[F_NMU] = n_mu;
  ft_cols[F_NGAM] = n_gam;
  ft_cols[F_EEXTRA] = e_extra;
  ft_cols[F_TRUTH] = truth;
  if (n_trk != 4.0) { return; }
  ft_cols[F_ACC] = 1.0;
  let all = ((L[0] + L[1]) + L[2]) + L[3];
  ft_cols[F_M4] = ssqrt(msq(all));
  ft_cols[F_PT4] = xsqrt(fm(all.y, all.y) + fm(all.z, all.z));
  var bi = -1;
  var bj = -1;
  var best_p = -1.0;
  for (var i = 0; i < 4; i++) {
    for (var j = 0; j < 4; j++) {
      if (ev_q[i] > 0.0 && ev_q[j] < 0.0 && id[i] && id[j] && pc[i] + pc[j] > best_p) {
        bi = i;
        bj = j;
        best_p = pc[i] + pc[j];
      }
    }
  }
  ft_cols[F_MREC] = -1.0;
  if (bi >= 0) {
    ft_cols[F_HASMM] = 1.0;
    var k1 = -1;
    var k2 = -1;
    for (var k = 0; k < 4; k++) {
      if (k == bi || k == bj) { continue; }
      if (k1 < 0) { k1 = k; } else { k2 = k; }
    }
    let pair = L[bi] + L[bj];
    let rest = L[k1] + L[k2];
    ft_cols[F_MMM] = ssqrt(msq(pair));
    let rec = vec4<f32>(d.e_tot - pair.x, -pair.y, -pair.z, d.pz_tot - pair.w);
    let r2 = msq(rec);
    var mrec = -1.0;
    if (r2 > 0.0) { mrec = xsqrt(r2); }
    ft_cols[F_MREC] = mrec;
    ft_cols[F_PMU1] = max(pc[bi], pc[bj]);
    ft_cols[F_PMU2] = min(pc[bi], pc[bj]);
    ft_cols[F_PTRK1] = max(pc[k1], pc[k2]);
    ft_cols[F_PTRK2] = min(pc[k1], pc[k2]);
    ft_cols[F_MTRK] = ssqrt(msq(rest));
    ft_cols[F_CRT] = cos_between(boost_z(rec, g, -bg), boost_z(rest, g, -bg));
    ft_cols[F_CMM] = cos_between(c[bi], c[bj]);
  }
  var lone = 0u;
  var n_lone = 0u;
  for (var i = 0u; i < 4u; i++) {
    var opp = true;
    for (var k = 0u; k < 4u; k++) {
      if (k != i && !(cos_num(c[i], c[k]) < 0.0)) { opp = false; }
    }
    if (opp) {
      lone = i;
      n_lone = n_lone + 1u; // u32
    }
  }
  if (n_lone != 1u) { return; }
  ft_cols[F_IS3X1] = 1.0;
  var three = vec4<f32>(0.0);
  for (var k = 0u; k < 4u; k++) {
    if (k != lone) { three = three + c[k]; }
  }
  let is_e = ev_k[lone] == KIND_E;
  var lk = 3.0;
  if (is_e) { lk = 1.0; } else if (id[lone]) { lk = 2.0; }
  ft_cols[F_LEPK] = lk;
  var ml = mmu;
  if (is_e) { ml = d.m_e; }
  let lv = c[lone];
  let pl = pc[lone];
  ft_cols[F_PLEP] = pl;
  var cl = 0.0;
  if (pl > 0.0) { cl = xdiv(lv.w, pl); }
  ft_cols[F_CLEP] = cl;
  ft_cols[F_M3] = ssqrt(msq(three));
  ft_cols[F_E3] = three.x;
  let q3 = xsqrt(p3sq(three));
  var nl = 0.0;
  if (q3 > 0.0) { nl = xdiv(cos_num(three, lv), q3); }
  ft_cols[F_EPS] = opaque(d.g_tau * xsqrt(opaque(ml * ml) + opaque(pl * pl))) + opaque(d.bg_tau * nl);
}
