// Event-generator kinematics: twin of kernels/lib/genkin.ts (see there for the physics, sources,
// draw order and bounds). Needs exactmath.wgsl and sampling.wgsl before it. Four-vectors are
// vec4 (E, px, py, pz). The detector response reads its params sub-blocks as TrackDet / PhotonDet
// (genkin.ts TRACK_PARAMS / PHOTON_PARAMS order), which the kernel builds from its P.

fn fm(a: f32, b: f32) -> f32 { return ftz(opaque(a * b)); }

fn msq(q: vec4<f32>) -> f32 { return ((fm(q.x, q.x) - fm(q.y, q.y)) - fm(q.z, q.z)) - fm(q.w, q.w); }
fn p3sq(q: vec4<f32>) -> f32 { return (fm(q.y, q.y) + fm(q.z, q.z)) + fm(q.w, q.w); }
fn ssqrt(m2: f32) -> f32 {
  if (m2 >= 0.0) { return xsqrt(m2); }
  return -xsqrt(-m2);
}

fn boost_from(pp: vec4<f32>, M: f32, q: vec4<f32>) -> vec4<f32> {
  let bp = (fm(pp.y, q.y) + fm(pp.z, q.z)) + fm(pp.w, q.w);
  let iM = xrecip(M);
  let f = opaque((xdiv(bp, pp.x + M) + q.x) * iM);
  return vec4<f32>(opaque((fm(pp.x, q.x) + bp) * iM), q.y + fm(f, pp.y), q.z + fm(f, pp.z), q.w + fm(f, pp.w));
}

fn boost_z(q: vec4<f32>, g: f32, bg: f32) -> vec4<f32> {
  return vec4<f32>(opaque(g * q.x) + opaque(bg * q.w), q.y, q.z, opaque(g * q.w) + opaque(bg * q.x));
}

fn disc() -> vec2<f32> {
  for (var it = 0; it < 64; it++) {
    let u = 2.0 * rs_uniform() - 1.0;
    let v = 2.0 * rs_uniform() - 1.0;
    let r2 = opaque(u * u) + opaque(v * v);
    if (r2 < 1.0) {
      let ir = xrecip(r2);
      return vec2<f32>(opaque((opaque(u * u) - opaque(v * v)) * ir), opaque((2.0 * opaque(u * v)) * ir));
    }
  }
  return vec2<f32>(1.0, 0.0);
}

fn p_star(m2: f32, M: f32, ma: f32, mb: f32) -> f32 {
  let sp = ma + mb;
  let sd = ma - mb;
  let lam = max(0.0, opaque((m2 - opaque(sp * sp)) * (m2 - opaque(sd * sd))));
  return xdiv(xsqrt(lam), 2.0 * M);
}

// two_body's and three_body's results.
var<private> tb_a: vec4<f32>;
var<private> tb_b: vec4<f32>;
var<private> tb_c: vec4<f32>;

fn two_body(pp: vec4<f32>, M: f32, m2: f32, ma: f32, mb: f32, c: f32, cs: vec2<f32>) {
  let p = p_star(m2, M, ma, mb);
  let st = xsqrt(max(0.0, 1.0 - opaque(c * c)));
  let pt = opaque(p * st);
  let x = ftz(opaque(pt * cs.x));
  let y = ftz(opaque(pt * cs.y));
  let z = opaque(p * c);
  let p2 = opaque(p * p);
  tb_a = boost_from(pp, M, vec4<f32>(xsqrt(opaque(ma * ma) + p2), x, y, z));
  tb_b = boost_from(pp, M, vec4<f32>(xsqrt(opaque(mb * mb) + p2), -x, -y, -z));
}

fn rot(q: vec4<f32>, ca: f32, sa: f32, cb: f32, sb: f32, cg: f32, sg: f32) -> vec4<f32> {
  let x1 = fm(cg, q.y) - fm(sg, q.z);
  let y1 = fm(sg, q.y) + fm(cg, q.z);
  let x2 = fm(cb, x1) + fm(sb, q.w);
  let z2 = fm(cb, q.w) - fm(sb, x1);
  return vec4<f32>(q.x, fm(ca, x2) - fm(sa, y1), fm(sa, x2) + fm(ca, y1), z2);
}

// sys -> a b c by flat three-body phase space (genkin.ts threeBody): a into tb_a, b into tb_b, c into tb_c.
fn three_body(sys: vec4<f32>, M: f32, m2: f32, ma: f32, mb: f32, mc: f32) {
  let lo = mb + mc;
  let hi = M - ma;
  let wmax = opaque(p_star(m2, M, ma, lo) * p_star(opaque(hi * hi), hi, mb, mc));
  var m23 = lo;
  for (var it = 0; it < 256; it++) {
    m23 = lo + opaque((hi - lo) * rs_uniform());
    let w = opaque(p_star(m2, M, ma, m23) * p_star(opaque(m23 * m23), m23, mb, mc));
    if (opaque(rs_uniform() * wmax) <= w) { break; }
  }
  let c1 = 2.0 * rs_uniform() - 1.0;
  let cs1 = disc();
  two_body(vec4<f32>(M, 0.0, 0.0, 0.0), M, m2, ma, m23, c1, cs1);
  let a = tb_a;
  let x = tb_b;
  let c2 = 2.0 * rs_uniform() - 1.0;
  let cs2 = disc();
  two_body(x, m23, opaque(m23 * m23), mb, mc, c2, cs2);
  let b = tb_a;
  let c = tb_b;
  let cb = 2.0 * rs_uniform() - 1.0;
  let sb = xsqrt(max(0.0, 1.0 - opaque(cb * cb)));
  let al = disc();
  let ga = disc();
  tb_a = boost_from(sys, M, rot(a, al.x, al.y, cb, sb, ga.x, ga.y));
  tb_b = boost_from(sys, M, rot(b, al.x, al.y, cb, sb, ga.x, ga.y));
  tb_c = boost_from(sys, M, rot(c, al.x, al.y, cb, sb, ga.x, ga.y));
}

fn isr_uniforms(t: f32) -> vec2<f32> {
  if (t > 0.0) {
    let sel = rs_uniform();
    let a = rs_uniform();
    let b = rs_uniform();
    if (opaque(sel * (1.0 + t)) < 1.0) { return vec2<f32>(t + opaque((1.0 - t) * a), b); }
    return vec2<f32>(opaque(t * a), t + opaque((1.0 - t) * b));
  }
  let u1 = rs_uniform();
  return vec2<f32>(u1, rs_uniform());
}

fn isr_x(u: f32, isr_exp: f32) -> f32 {
  let x = xexp(opaque(isr_exp * xlog(u)));
  return select(x, 0.0, x < 5.9604644775390625e-8);
}

fn isr_photon(x: f32, uc: f32, dir: f32, e_beam: f32, isr_a: f32, isr_lr: f32) -> vec4<f32> {
  let r = xexp(opaque(uc * isr_lr));
  var omc = 2.0 * r - isr_a;
  if (omc < 9.094947017729282e-13) { omc = 0.0; }
  let st = xsqrt(opaque(omc * (2.0 - omc)));
  let cs = disc();
  let e = opaque(x * e_beam);
  let pt = opaque(e * st);
  return vec4<f32>(e, ftz(opaque(pt * cs.x)), ftz(opaque(pt * cs.y)), select(-opaque(e * (1.0 - omc)), opaque(e * (1.0 - omc)), dir > 0.0));
}

// genkin.ts IsrSetup.
struct IsrSetup {
  rs: f32, t: f32, m_min2: f32, e_beam: f32, isr_exp: f32, isr_a: f32, isr_lr: f32,
  st_mode: u32, st_f0: f32, st_f1: f32, st_f2: f32, st_f3: f32, st_p: f32,
}

fn stratum_in(q: IsrSetup) -> f32 {
  let v = opaque(rs_uniform() * q.st_p);
  let w0 = q.st_f1 - q.st_f0;
  if (v < w0) { return q.st_f0 + v; }
  return q.st_f2 + (v - w0);
}

fn stratum_out(q: IsrSetup) -> f32 {
  let v = opaque(rs_uniform() * (1.0 - q.st_p));
  let o0 = q.st_f0;
  let o1 = q.st_f2 - q.st_f1;
  if (v < o0) { return v; }
  let v1 = v - o0;
  if (v1 < o1) { return q.st_f1 + v1; }
  return q.st_f3 + (v1 - o1);
}

fn stratum_pair(q: IsrSetup) -> vec2<f32> {
  if (q.st_mode == 2u) {
    let a = stratum_out(q);
    return vec2<f32>(a, stratum_out(q));
  }
  let p = q.st_p;
  let r0 = 1.0 - p;
  let r = opaque(rs_uniform() * (1.0 - opaque(r0 * r0)));
  if (r < opaque(p * p)) {
    let a = stratum_in(q);
    return vec2<f32>(a, stratum_in(q));
  }
  if (r < p) {
    let a = stratum_in(q);
    return vec2<f32>(a, stratum_out(q));
  }
  let a = stratum_out(q);
  return vec2<f32>(a, stratum_in(q));
}

// genkin.ts jointIn / jointOut / jointPair: the joint stratum of energy and angle (st_mode 3, 4).
fn joint_in(q: IsrSetup) -> vec2<f32> {
  let u = q.t + opaque((1.0 - q.t) * rs_uniform());
  return vec2<f32>(u, stratum_in(q));
}

fn joint_out(q: IsrSetup, g: f32) -> vec2<f32> {
  if (opaque(rs_uniform() * (1.0 - g)) < q.t) {
    let u = opaque(q.t * rs_uniform());
    return vec2<f32>(u, rs_uniform());
  }
  let u = q.t + opaque((1.0 - q.t) * rs_uniform());
  return vec2<f32>(u, stratum_out(q));
}

fn joint_pair(q: IsrSetup) -> vec4<f32> {
  let g = opaque((1.0 - q.t) * q.st_p);
  if (q.st_mode == 4u) {
    let a = joint_out(q, g);
    let b = joint_out(q, g);
    return vec4<f32>(a, b);
  }
  let r0 = 1.0 - g;
  let r = opaque(rs_uniform() * (1.0 - opaque(r0 * r0)));
  if (r < opaque(g * g)) {
    let a = joint_in(q);
    let b = joint_in(q);
    return vec4<f32>(a, b);
  }
  if (r < g) {
    let a = joint_in(q);
    let b = joint_out(q, g);
    return vec4<f32>(a, b);
  }
  let a = joint_out(q, g);
  let b = joint_in(q);
  return vec4<f32>(a, b);
}

// isr_radiate's results (genkin.ts Isr).
var<private> isr_k1: vec4<f32>;
var<private> isr_k2: vec4<f32>;
var<private> isr_sys: vec4<f32>;
var<private> isr_m2: f32;

// No radiation: the full CM (the kernels' start, and isr_radiate's fallback).
fn isr_born(rs: f32) {
  isr_k1 = vec4<f32>(0.0);
  isr_k2 = vec4<f32>(0.0);
  isr_sys = vec4<f32>(rs, 0.0, 0.0, 0.0);
  isr_m2 = opaque(rs * rs);
}

fn isr_radiate(q: IsrSetup) {
  let rs = q.rs;
  var ok = false;
  for (var it = 0; it < 64 && !ok; it++) {
    var u: vec2<f32>;
    var uc = vec2<f32>(-1.0, -1.0);
    if (q.st_mode >= 3u) {
      let j = joint_pair(q);
      u = vec2<f32>(j.x, j.z);
      uc = vec2<f32>(j.y, j.w);
    } else {
      u = isr_uniforms(q.t);
      if (q.st_mode != 0u) { uc = stratum_pair(q); }
    }
    let x1 = isr_x(u.x, q.isr_exp);
    let x2 = isr_x(u.y, q.isr_exp);
    var uc1 = uc.x;
    if (uc1 < 0.0) { uc1 = rs_uniform(); }
    isr_k1 = isr_photon(x1, uc1, 1.0, q.e_beam, q.isr_a, q.isr_lr);
    var uc2 = uc.y;
    if (uc2 < 0.0) { uc2 = rs_uniform(); }
    isr_k2 = isr_photon(x2, uc2, -1.0, q.e_beam, q.isr_a, q.isr_lr);
    isr_sys = vec4<f32>((rs - isr_k1.x) - isr_k2.x, -isr_k1.y - isr_k2.y, -isr_k1.z - isr_k2.z, -isr_k1.w - isr_k2.w);
    isr_m2 = msq(isr_sys);
    ok = isr_m2 > q.m_min2;
  }
  if (!ok) { isr_born(rs); }
}

// genkin.ts TRACK_PARAMS: trk_cmin, trk_cmax, trk_ptmin, trk_ra, trk_rb, trk_ang, mu_eff.
struct TrackDet { cmin: f32, cmax: f32, ptmin: f32, ra: f32, rb: f32, ang: f32, id_eff: f32 }
struct Track { p: vec4<f32>, pm: f32, acc: bool, id: bool }

// genkin.ts turn: q's direction turned by a2 along e_theta and a3 sin(theta) along e_phi, not normalised.
fn turn(q: vec4<f32>, pa: f32, pt: f32, a2: f32, a3: f32) -> vec3<f32> {
  let ipa = xrecip(pa);
  let dx = opaque(q.y * ipa);
  let dy = opaque(q.z * ipa);
  let dz = opaque(q.w * ipa);
  let st = opaque(pt * ipa);
  var ist = 0.0;
  if (st > 0.0) { ist = xrecip(st); }
  let ex = ftz(opaque(dz * opaque(dx * ist)));
  let ey = ftz(opaque(dz * opaque(dy * ist)));
  return vec3<f32>((dx + fm(a2, ex)) - fm(a3, dy), (dy + fm(a2, ey)) + fm(a3, dx), dz - fm(a2, st));
}

fn track(q: vec4<f32>, m: f32, d: TrackDet) -> Track {
  let pt2 = fm(q.y, q.y) + fm(q.z, q.z);
  let pa = xsqrt(pt2 + fm(q.w, q.w));
  let pt = xsqrt(pt2);
  let acc = pt > d.ptmin && q.w > opaque(d.cmin * pa) && q.w < opaque(d.cmax * pa);
  let n1 = rs_normal();
  let n2 = rs_normal();
  let n3 = rs_normal();
  let id = rs_uniform() < d.id_eff;
  let ra = opaque(d.ra * pt);
  let rb = xdiv(opaque(d.rb * q.x), pa);
  let rel = xsqrt(opaque(ra * ra) + opaque(rb * rb));
  let pm = opaque(pa * max(0.0, 1.0 + opaque(rel * n1)));
  let u = turn(q, pa, pt, opaque(d.ang * n2), opaque(d.ang * n3));
  let ux = u.x;
  let uy = u.y;
  let uz = u.z;
  let sc = xdiv(pm, xsqrt((fm(ux, ux) + fm(uy, uy)) + fm(uz, uz)));
  return Track(vec4<f32>(xsqrt(opaque(m * m) + opaque(pm * pm)), ftz(opaque(sc * ux)), ftz(opaque(sc * uy)), ftz(opaque(sc * uz))), pm, acc, id);
}

// genkin.ts PHOTON_PARAMS: g_emin, ecl_c0 .. ecl_c5, g_ra, g_rb, g_rc.
struct PhotonDet { emin: f32, c0: f32, c1: f32, c2: f32, c3: f32, c4: f32, c5: f32, ra: f32, rb: f32, rc: f32 }

fn photon(k: vec4<f32>, d: PhotonDet) -> f32 {
  let n = rs_normal();
  let e = k.x;
  let z = k.w;
  let in_ecl = (z > opaque(d.c0 * e) && z < opaque(d.c1 * e)) ||
    (z > opaque(d.c2 * e) && z < opaque(d.c3 * e)) ||
    (z > opaque(d.c4 * e) && z < opaque(d.c5 * e));
  if (!(e > d.emin && in_ecl)) { return -1.0; }
  let a = xdiv(d.ra, e);
  let b = xdiv(d.rb, xsqrt(xsqrt(e)));
  let c = d.rc;
  let rel = xsqrt((opaque(a * a) + opaque(b * b)) + opaque(c * c));
  return opaque(e * max(0.0, 1.0 + opaque(rel * n)));
}

// genkin.ts isrPhotonsSeen: (photons seen, their summed smeared energy) of the ISR photons k1, k2.
fn isr_photons_seen(k1: vec4<f32>, k2: vec4<f32>, g: f32, bg: f32, d: PhotonDet) -> vec2<f32> {
  let e1 = photon(boost_z(k1, g, bg), d);
  let e2 = photon(boost_z(k2, g, bg), d);
  return vec2<f32>(select(0.0, 1.0, e1 >= 0.0) + select(0.0, 1.0, e2 >= 0.0), max(e1, 0.0) + max(e2, 0.0));
}

// genkin.ts photonP4: the measured photon into ph_p (ph_p.x = -1 when not seen).
var<private> ph_p: vec4<f32>;

fn photon_p4(k: vec4<f32>, d: PhotonDet, ang: f32) {
  let e = photon(k, d);
  let n2 = rs_normal();
  let n3 = rs_normal();
  if (e < 0.0) {
    ph_p = vec4<f32>(-1.0, 0.0, 0.0, 0.0);
    return;
  }
  let pt2 = fm(k.y, k.y) + fm(k.z, k.z);
  let pa = xsqrt(pt2 + fm(k.w, k.w));
  let u = turn(k, pa, xsqrt(pt2), opaque(ang * n2), opaque(ang * n3));
  let sc = xdiv(e, xsqrt((fm(u.x, u.x) + fm(u.y, u.y)) + fm(u.z, u.z)));
  ph_p = vec4<f32>(e, ftz(opaque(sc * u.x)), ftz(opaque(sc * u.y)), ftz(opaque(sc * u.z)));
}

// The dimuon family's words (genkin.ts DIMUON_WORDS), filled by dimuon_columns into dm_cols.
const DM_MU1 = 0u;
const DM_MU2 = 3u;
const DM_PMU1 = 6u;
const DM_PMU2 = 7u;
const DM_CMU1 = 8u;
const DM_CMU2 = 9u;
const DM_MMUMU = 10u;
const DM_MREC = 11u;
const DM_M2REC = 12u;
const DM_PT = 13u;
const DM_PCM = 14u;
const DM_CREC = 15u;
const DM_CHEL = 16u;
const DM_EEXTRA = 17u;
const DM_NGAM = 18u;
const DM_NEXTRA = 19u;
const DM_TMMUMU = 20u;
const DM_TMREC = 21u;
const DM_ACC = 22u;
var<private> dm_cols: array<f32, 23>;

// The dimuon columns from the two tracks (genkin.ts dimuonColumns): tp_ the mu+ candidate of true lab momentum lp, tm_ the mu- of lm;
// extra_trk: accepted tracks of other particles (added to n_extra_tracks).
fn dimuon_columns(tp_: Track, tm_: Track, lp: vec4<f32>, lm: vec4<f32>, n_gam: f32, e_extra: f32, extra_trk: f32, e_tot: f32, pz_tot: f32, g: f32, bg: f32, m_mu: f32) {
  for (var j = 0u; j <= DM_ACC; j++) { dm_cols[j] = 0.0; }
  let ok_p = tp_.acc && tp_.id;
  let ok_m = tm_.acc && tm_.id;
  let tp = lp + lm;
  dm_cols[DM_TMMUMU] = ssqrt(msq(tp));
  dm_cols[DM_TMREC] = ssqrt(msq(vec4<f32>(e_tot - tp.x, -tp.y, -tp.z, pz_tot - tp.w)));
  dm_cols[DM_NGAM] = n_gam;
  dm_cols[DM_EEXTRA] = e_extra;
  dm_cols[DM_NEXTRA] = (((select(0.0, 1.0, tp_.acc) + select(0.0, 1.0, tm_.acc)) - select(0.0, 1.0, ok_p)) - select(0.0, 1.0, ok_m)) + extra_trk;
  if (!(ok_p && ok_m)) { return; }
  let a = tp_.p;
  let b = tm_.p;
  dm_cols[DM_ACC] = 1.0;
  dm_cols[DM_MU1] = a.y;
  dm_cols[DM_MU1 + 1u] = a.z;
  dm_cols[DM_MU1 + 2u] = a.w;
  dm_cols[DM_MU2] = b.y;
  dm_cols[DM_MU2 + 1u] = b.z;
  dm_cols[DM_MU2 + 2u] = b.w;
  dm_cols[DM_PMU1] = tp_.pm;
  dm_cols[DM_PMU2] = tm_.pm;
  var c1 = 0.0;
  if (tp_.pm > 0.0) { c1 = xdiv(a.w, tp_.pm); }
  var c2 = 0.0;
  if (tm_.pm > 0.0) { c2 = xdiv(b.w, tm_.pm); }
  dm_cols[DM_CMU1] = c1;
  dm_cols[DM_CMU2] = c2;
  let pr = a + b;
  dm_cols[DM_MMUMU] = ssqrt(msq(pr));
  let r2 = msq(vec4<f32>(e_tot - pr.x, -pr.y, -pr.z, pz_tot - pr.w));
  dm_cols[DM_MREC] = ssqrt(r2);
  dm_cols[DM_M2REC] = r2;
  dm_cols[DM_PT] = xsqrt(fm(pr.y, pr.y) + fm(pr.z, pr.z));
  let pc = boost_z(pr, g, -bg);
  let pcm = xsqrt(p3sq(pc));
  dm_cols[DM_PCM] = pcm;
  var crec = 0.0;
  if (pcm > 0.0) { crec = -xdiv(pc.w, pcm); }
  dm_cols[DM_CREC] = crec;
  let mp = xsqrt(max(msq(pc), opaque(m_mu * m_mu)));
  let ar = boost_from(vec4<f32>(pc.x, -pc.y, -pc.z, -pc.w), mp, boost_z(a, g, -bg));
  var v = vec4<f32>(0.0, 0.0, 0.0, 1.0);
  if (pcm > 0.0) { v = pc; }
  let num = (fm(ar.y, v.y) + fm(ar.z, v.z)) + fm(ar.w, v.w);
  let den2 = opaque(p3sq(ar) * p3sq(v));
  var chel = 0.0;
  if (den2 > 0.0) { chel = xdiv(num, xsqrt(den2)); }
  dm_cols[DM_CHEL] = chel;
}
