// gen_eemumu: one two-photon e+e- -> e+e- mu+ mu- event per item. Twin of kernels/gen_eemumu/ref.ts
// (see there for the physics, its sources, the bounds and the draw order); four-vectors are vec4
// (E, px, py, pz). The envelope table in_env: sections of NC words (ENV_* offsets).

const TRIALS: i32 = 256;
const TRIALS_R: i32 = 1024;
const TRIALS_B: i32 = 1024;
const TAIL_PICK: f32 = 0.75;
const TAIL_C0: f32 = 0.05;
const TAIL_B_MAX: f32 = 729.0;
const PRE_MARGIN: f32 = 1.0001;

fn track_det() -> TrackDet { return TrackDet(P.trk_cmin, P.trk_cmax, P.trk_ptmin, P.trk_ra, P.trk_rb, P.trk_ang, P.mu_eff); }
fn track_det_e() -> TrackDet { return TrackDet(P.trk_cmin_e, P.trk_cmax_e, P.trk_ptmin_e, P.trk_ra_e, P.trk_rb_e, P.trk_ang_e, P.mu_eff_e); }

fn put(l: u32, j: u32, v: f32) { out_ev[OUT_EV_STRIDE * l + j] = v; } // u32

fn tab_f(off: u32, c: u32) -> f32 { return bitcast<f32>(in_env[off + c]); } // u32

// ref.ts pickCell: the count of cells with cum <= k in 12 fixed halvings (NC = 2^12), branch-free.
fn pick_cell(off: u32, k: u32) -> u32 {
  var pos = 0u; // u32
  for (var step = NC >> 1u; step > 0u; step = step >> 1u) { // u32
    pos = select(pos, pos + step, in_env[off + pos + step - 1u] <= k); // u32
  }
  return pos;
}

fn bits23(u: f32) -> u32 {
  let m = u32(opaque(u * 16777216.0)); // exact: u is a multiple of 2^-24
  return (m - 1u) >> 1u; // u32
}

fn in_table(off: u32, c: u32) -> bool {
  if (c == 0u) { return in_env[off] > 0u; } // u32
  return in_env[off + c] - in_env[off + c - 1u] > 0u; // u32
}

struct Lep { ok: bool, y: f32, e2: f32, p2: f32, ey: f32, dp: f32, qmin: f32, lq0: f32, r: f32, two_pp: f32 }

fn lepton(y: f32) -> Lep {
  let E = P.e_beam;
  let pb = P.p_beam;
  let me = P.m_e;
  let e2 = opaque(E * (1.0 - y));
  if (!(e2 > me)) { return Lep(false, y, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0); }
  let p2 = xsqrt(opaque((e2 - me) * (e2 + me)));
  let ey = E - e2;
  let dp = xdiv(opaque(ey * (E + e2)), pb + p2);
  let plus = (opaque(E * e2) - opaque(me * me)) + opaque(pb * p2);
  let mey = opaque(me * opaque(E * y));
  let qmin = xdiv(2.0 * fm(mey, mey), plus);
  let lq0 = xlog(qmin);
  let lq1 = xlog(2.0 * plus);
  return Lep(true, y, e2, p2, ey, dp, qmin, lq0, lq1 - lq0, opaque((2.0 * pb) * p2));
}

fn lnq2_at(L: Lep, omc: f32) -> f32 { return xlog(L.qmin + opaque(L.two_pp * omc)); }

fn omc_at_pt(L: Lep, pt: f32) -> f32 {
  let x = xdiv(pt, L.p2);
  let x2 = opaque(x * x);
  return xdiv(x2, 1.0 + xsqrt(1.0 - x2));
}

struct Pho { q: f32, pt: f32, omc: f32, qb: f32, qs: f32 }

fn photon_at(L: Lep, t: f32) -> Pho {
  let q = xexp(t);
  let omc = min(2.0, max(0.0, xdiv(q - L.qmin, L.two_pp)));
  let pt2 = fm(opaque(L.p2 * L.p2), fm(omc, 2.0 - omc));
  let pt = xsqrt(pt2);
  let qb = (L.ey + L.dp) + fm(L.p2, omc);
  let qs = xdiv(pt2 - q, qb);
  return Pho(q, pt, omc, qb, qs);
}

fn flux_max(y: f32) -> f32 { return opaque(1.0 - y) + 0.5 * opaque(y * y); }
fn r_bound(l0: f32, lny: f32, y: f32) -> f32 { return 2.0 * ((l0 - lny) - y); }
fn flux(y: f32, q: f32) -> f32 {
  let me = P.m_e;
  let f = flux_max(y) - xdiv(fm(opaque(me * me), opaque(y * y)), q);
  return max(0.0, f);
}

fn dd_sigma(w2: f32, q1: f32, q2: f32) -> f32 {
  let mm = P.m_mu;
  let iw2 = xrecip(w2);
  let x = opaque((4.0 * opaque(mm * mm)) * iw2);
  let b2 = opaque(1.0 - x); // opaque: no compiler may fold 2 - (1 - x) into 1 + x below
  let b = xsqrt(b2);
  let omb = xdiv(x, 1.0 + b);
  let L = xlog(xdiv(1.0 + b, omb));
  let br = opaque((3.0 - opaque(b2 * b2)) * L) - opaque((2.0 * b) * (2.0 - b2));
  let sig = opaque(opaque(P.c_sig * iw2) * br);
  return opaque(opaque(sig * xdiv(w2, w2 + q1)) * xdiv(w2, w2 + q2));
}

// (lo, hi, 1) or (0, 0, 0): the tail interval of ln Q^2 (ref.ts tailInterval)
fn tail_interval(L: Lep, yo: f32, omc_esc: f32) -> vec3<f32> {
  let none = vec3<f32>(0.0);
  if (!(L.p2 > 0.5)) { return none; }
  let omc_pt = omc_at_pt(L, 0.5);
  if (!(omc_pt < omc_esc)) { return none; }
  let num = opaque(opaque(L.y * yo) * P.s) - P.wmin2;
  if (!(num > 0.0)) { return none; }
  let lo = lnq2_at(L, omc_pt);
  let hi = min(lnq2_at(L, omc_esc), xlog(xdiv(num, max(0.001, 1.0 - yo))));
  if (lo < hi) { return vec3<f32>(lo, hi, 1.0); }
  return none;
}

// (escape's upper ln Q^2, J's lower ln Q^2) of a region with r_pt = rpt (ref.ts rIntervals)
fn r_intervals(L: Lep, omc_esc: f32, rpt: f32) -> vec2<f32> {
  let e_hi = lnq2_at(L, omc_esc);
  if (!(L.p2 > rpt)) { return vec2<f32>(e_hi, e_hi + 1.0); }
  let omc_pt = omc_at_pt(L, rpt);
  if (!(omc_pt < omc_esc)) { return vec2<f32>(e_hi, e_hi + 1.0); }
  return vec2<f32>(e_hi, lnq2_at(L, omc_pt));
}

var<private> cf_em: vec4<f32>;
var<private> cf_ep: vec4<f32>;
var<private> cf_sys: vec4<f32>;
var<private> cf_w2: f32;

fn configure(L1: Lep, L2: Lep, g1: Pho, g2: Pho, c1: vec2<f32>, c2: vec2<f32>) {
  let x1 = fm(g1.pt, c1.x);
  let y1 = fm(g1.pt, c1.y);
  let x2 = fm(g2.pt, c2.x);
  let y2 = fm(g2.pt, c2.y);
  cf_em = vec4<f32>(L1.e2, x1, y1, L1.p2 - fm(L1.p2, g1.omc));
  cf_ep = vec4<f32>(L2.e2, x2, y2, -(L2.p2 - fm(L2.p2, g2.omc)));
  let sp = g1.qb + g2.qs;
  let sm = g1.qs + g2.qb;
  cf_sys = vec4<f32>(0.5 * (sp + sm), -(x1 + x2), -(y1 + y2), 0.5 * (sp - sm));
  let dot = fm(x1, x2) + fm(y1, y2);
  cf_w2 = (((fm(g1.qb, g2.qb) - g1.q) - g2.q) - 2.0 * dot) + fm(g1.qs, g2.qs);
}

fn sys_in_r(sys: vec4<f32>, rp: f32, rc: f32) -> bool {
  let pz2 = fm(sys.w, sys.w);
  let p2 = (fm(sys.y, sys.y) + fm(sys.z, sys.z)) + pz2;
  return p2 >= opaque(rp * rp) && pz2 < opaque(opaque(rc * rc) * p2);
}

// whether a configuration lies in the region (rpt, rp, rc) (ref.ts inRegion): R's r_* or the inner region's r2_*
fn in_region(L1: Lep, L2: Lep, t1: f32, t2: f32, sys: vec4<f32>, rpt: f32, rp: f32, rc: f32) -> bool {
  let r1 = r_intervals(L1, P.omc_esc1, rpt);
  let r2 = r_intervals(L2, P.omc_esc2, rpt);
  let esc1 = t1 <= r1.x;
  let esc2 = t2 <= r2.x;
  if (!(esc1 && esc2 && (t1 >= r1.y || t2 >= r2.y))) { return false; }
  return sys_in_r(sys, rp, rc);
}

fn in_r(L1: Lep, L2: Lep, t1: f32, t2: f32, sys: vec4<f32>) -> bool { return in_region(L1, L2, t1, t2, sys, P.r_pt, P.r_p, P.r_cos); }

// the chosen configuration and its weight (ch_ok false: the bounded loop failed)
var<private> ch_ok: bool;
var<private> ch_em: vec4<f32>;
var<private> ch_ep: vec4<f32>;
var<private> ch_sys: vec4<f32>;
var<private> ch_w2: f32;
var<private> ch_weight: f32;

fn choose_cf(weight: f32) {
  ch_ok = true;
  ch_em = cf_em;
  ch_ep = cf_ep;
  ch_sys = cf_sys;
  ch_w2 = cf_w2;
  ch_weight = weight;
}

fn sample_bulk() {
  let l0 = xlog(xdiv(2.0 * P.e_beam, P.m_e)); // ln(2 E / m_e) (ref.ts rBound)
  let box = P.tail != 0u;
  let outside = P.stratum == 2u;
  let outside_b = P.stratum == 4u;
  var S = 0.0;
  var res_em = vec4<f32>(0.0);
  var res_ep = vec4<f32>(0.0);
  var res_sys = vec4<f32>(0.0);
  var res_w2 = 0.0;
  var res_b = 0.0;
  ch_ok = false;
  for (var it = 0; it < TRIALS; it++) {
    let u_acc = rs_uniform();
    var uc = 1.0;
    if (box) { uc = rs_uniform(); }
    var comp = 0u;
    var off = ENV_CUM;
    if (uc < 0.25) { comp = 1u; off = ENV_CUM_T1; } else if (uc < 0.5) { comp = 2u; off = ENV_CUM_T2; }
    let cell = pick_cell(off, bits23(rs_uniform()));
    let ci = cell >> 6u; // u32
    let cj = cell & 63u; // u32
    let v = P.ly + opaque((f32(ci) + rs_uniform()) * P.dv);
    let d = P.ly + opaque((f32(cj) + rs_uniform()) * P.dd);
    if (!(abs(d) <= -v)) { continue; }
    let lny1 = 0.5 * (v + d);
    let lny2 = 0.5 * (v - d);
    let y1 = xexp(lny1);
    let y2 = xexp(lny2);
    let t1_cell = box && in_table(ENV_CUM_T1, cell);
    let t2_cell = box && in_table(ENV_CUM_T2, cell);
    // ref.ts: the early rejection before the leptons
    if (!t1_cell && !t2_cell && u_acc >= opaque(opaque(opaque(opaque(flux_max(y1) * flux_max(y2)) * opaque(r_bound(l0, lny1, y1) * r_bound(l0, lny2, y2))) * tab_f(ENV_INV_R, cell)) * PRE_MARGIN)) {
      if (opaque(P.e_beam * (1.0 - y1)) > P.m_e && opaque(P.e_beam * (1.0 - y2)) > P.m_e) { // ref.ts leptonExists
        rs_uniform();
        rs_uniform();
      }
      continue;
    }
    let L1 = lepton(y1);
    let L2 = lepton(y2);
    if (!L1.ok || !L2.ok) { continue; }
    var i1 = vec3<f32>(0.0);
    var i2 = vec3<f32>(0.0);
    if (t1_cell) { i1 = tail_interval(L1, L2.y, P.omc_esc1); }
    if (t2_cell) { i2 = tail_interval(L2, L1.y, P.omc_esc2); }
    let u1 = rs_uniform();
    let u2 = rs_uniform();
    var t1 = L1.lq0 + opaque(L1.r * u1);
    if (comp == 1u && i1.z > 0.0) { t1 = i1.x + opaque((i1.y - i1.x) * u1); }
    var t2 = L2.lq0 + opaque(L2.r * u2);
    if (comp == 2u && i2.z > 0.0) { t2 = i2.x + opaque((i2.y - i2.x) * u2); }
    let in1 = i1.z > 0.0 && t1 >= i1.x && t1 <= i1.y;
    let in2 = i2.z > 0.0 && t2 >= i2.x && t2 <= i2.y;
    var G = 1.0;
    var bf = 1.0;
    if (box) {
      var tf1 = 1.0;
      if (i1.z > 0.0) { tf1 = select(0.0, xdiv(L1.r, i1.y - i1.x), in1); }
      var tf2 = 1.0;
      if (i2.z > 0.0) { tf2 = select(0.0, xdiv(L2.r, i2.y - i2.x), in2); }
      G = 0.5 + 0.25 * (opaque(tab_f(ENV_RHO1, cell) * tf1) + opaque(tab_f(ENV_RHO2, cell) * tf2));
      bf = 0.5;
    }
    let in_t = in1 || in2;
    let r12 = opaque(L1.r * L2.r);
    // ref.ts: the early rejection before the photons
    if (!in_t && opaque(u_acc * G) >= opaque(opaque(opaque(opaque(opaque(flux_max(L1.y) * flux_max(L2.y)) * r12) * bf) * tab_f(ENV_INV_R, cell)) * PRE_MARGIN)) { continue; }
    let g1 = photon_at(L1, t1);
    let g2 = photon_at(L2, t2);
    let f12 = xdiv(opaque(opaque(opaque(flux(L1.y, g1.q) * flux(L2.y, g2.q)) * r12) * bf), G);
    if (!in_t && u_acc >= opaque(f12 * tab_f(ENV_INV_R, cell))) { continue; }
    let c1 = disc();
    let c2 = disc();
    configure(L1, L2, g1, g2, c1, c2);
    if (!(cf_w2 > P.wmin2)) { continue; }
    if (outside && in_r(L1, L2, t1, t2, cf_sys)) { continue; }
    if (outside_b && in_b(L1, L2, t1, t2)) { continue; }
    let a = opaque(opaque(f12 * dd_sigma(cf_w2, g1.q, g2.q)) * tab_f(ENV_INV_H, cell));
    if (in_t && a > 0.0) {
      var pt = 0.0;
      if (in1) { pt = g1.pt; }
      if (in2) { pt = max(pt, g2.pt); }
      let rr = pt * 2.0;
      let r2 = opaque(rr * rr);
      let b = min(TAIL_B_MAX, opaque(opaque(r2 * r2) * r2));
      let ab = opaque(a * b);
      S = S + ab;
      if (opaque(rs_uniform() * S) < ab) {
        res_em = cf_em;
        res_ep = cf_ep;
        res_sys = cf_sys;
        res_w2 = cf_w2;
        res_b = b;
      }
    }
    if (!(u_acc < a)) { continue; }
    if (S == 0.0) { choose_cf(1.0); return; }
    let sc = S + TAIL_C0;
    var pick_res = in_t;
    var wt = 0.0;
    if (in_t) {
      wt = xdiv(S, res_b);
    } else if (opaque(rs_uniform() * sc) < opaque(TAIL_PICK * S)) {
      pick_res = true;
      wt = xdiv(sc, opaque(TAIL_PICK * res_b));
    } else {
      wt = xdiv(sc, 0.25 * S + TAIL_C0);
    }
    if (pick_res) {
      cf_em = res_em;
      cf_ep = res_ep;
      cf_sys = res_sys;
      cf_w2 = res_w2;
    }
    choose_cf(wt);
    return;
  }
}

// R's proposal (ref.ts sampleR): cell = ((((k 4 + part) 4 + tb) 32 + row) 64 + col) among R_CELLS
fn pick_cell_r(k: u32) -> u32 {
  var lo = 0u; // u32
  var hi = R_CELLS - 1u; // u32
  while (lo < hi) {
    let mid = (lo + hi) >> 1u; // u32
    if (in_env[ENV_CUM_R + mid] > k) { hi = mid; } else { lo = mid + 1u; } // u32
  }
  return lo;
}

// the other photon's part edges (ref.ts R_TQ): ln Q_o^2, GeV^2
fn r_tq(j: u32) -> f32 { return select(select(-1.5, -3.0, j == 1u), -4.625, j == 0u); } // u32

// R (stratum 1), or R minus the inner region r2_* (stratum 5: its trials count as rejected) (ref.ts sampleR)
fn sample_r() {
  ch_ok = false;
  let inner = P.stratum == 5u;
  let ys_min = xdiv(P.r_p, P.e_beam);
  for (var it = 0; it < TRIALS_R; it++) {
    let u_acc = rs_uniform();
    let cell = pick_cell_r(bits23(rs_uniform()));
    let k = cell >> 15u; // u32
    let part = (cell >> 13u) & 3u; // u32
    let tb = (cell >> 11u) & 3u; // u32
    let ci = (cell >> 6u) & 31u; // u32
    let cj = cell & 63u; // u32
    let v = P.ly + opaque((f32(ci) + rs_uniform()) * P.dd);
    let u = P.ly + opaque((f32(cj) + rs_uniform()) * P.dv);
    if (!(v <= u)) { continue; }
    let yk = xexp(v - u);
    let yo = xexp(u);
    let y1 = select(yo, yk, k == 0u); // u32
    let y2 = select(yk, yo, k == 0u); // u32
    if (!(y1 + y2 >= ys_min)) { continue; }
    let L1 = lepton(y1);
    let L2 = lepton(y2);
    if (!L1.ok || !L2.ok) { continue; }
    let r1 = r_intervals(L1, P.omc_esc1, P.r_pt);
    let r2 = r_intervals(L2, P.omc_esc2, P.r_pt);
    let lj1 = max(0.0, r1.x - r1.y);
    let lj2 = max(0.0, r2.x - r2.y);
    let lj = select(lj2, lj1, k == 0u); // u32
    if (!(lj > 0.0)) { continue; }
    let o_lo = select(L1.lq0, L2.lq0, k == 0u); // u32
    let o_hi = select(r1.x - lj1, r2.x, k == 0u); // u32
    var lo = o_lo;
    var hi = o_hi;
    if (part > 0u) { lo = max(o_lo, r_tq(part - 1u)); } // u32
    if (part < 3u) { hi = min(o_hi, r_tq(part)); } // u32
    let lo_len = hi - lo;
    if (!(lo_len > 0.0)) { continue; }
    let ljb = lj * 0.25;
    let area = opaque(ljb * lo_len);
    let u1 = rs_uniform();
    let u2 = rs_uniform();
    let tk = select(r2.y, r1.y, k == 0u) + opaque(ljb * (f32(tb) + select(u2, u1, k == 0u))); // u32
    let to = lo + opaque(lo_len * select(u1, u2, k == 0u)); // u32
    let t1 = select(to, tk, k == 0u); // u32
    let t2 = select(tk, to, k == 0u); // u32
    let g1 = photon_at(L1, t1);
    let g2 = photon_at(L2, t2);
    let f12 = opaque(opaque(flux(y1, g1.q) * flux(y2, g2.q)) * area);
    if (u_acc >= opaque(f12 * tab_f(ENV_INV_RR, cell))) { continue; }
    let c1 = disc();
    let c2 = disc();
    configure(L1, L2, g1, g2, c1, c2);
    if (!(cf_w2 > P.wmin2) || !sys_in_r(cf_sys, P.r_p, P.r_cos)) { continue; }
    if (inner && in_region(L1, L2, t1, t2, cf_sys, P.r2_pt, P.r2_p, P.r2_cos)) { continue; }
    let a = opaque(opaque(f12 * dd_sigma(cf_w2, g1.q, g2.q)) * tab_f(ENV_INV_HR, cell));
    if (u_acc < a) { choose_cf(1.0); return; }
  }
}

// B's ln Q^2 interval of a lepton (ref.ts bInterval): (lo, hi)
fn b_interval(L: Lep, omc_lo: f32, omc_hi: f32) -> vec2<f32> {
  return vec2<f32>(lnq2_at(L, omc_lo), min(lnq2_at(L, omc_hi), L.lq0 + L.r));
}

// whether both leptons' ln Q^2 lie in their B intervals (ref.ts inB)
fn in_b(L1: Lep, L2: Lep, t1: f32, t2: f32) -> bool {
  let b1 = b_interval(L1, P.omc_b1lo, P.omc_b1hi);
  let b2 = b_interval(L2, P.omc_b2lo, P.omc_b2hi);
  return t1 >= b1.x && t1 <= b1.y && t2 >= b2.x && t2 <= b2.y;
}

// the stratum B (ref.ts sampleB): both leptons' ln Q^2 flat in their B intervals, (v, d) from B's cells
fn sample_b() {
  ch_ok = false;
  for (var it = 0; it < TRIALS_B; it++) {
    let u_acc = rs_uniform();
    let cell = pick_cell(ENV_CUM_B, bits23(rs_uniform()));
    let ci = cell >> 6u; // u32
    let cj = cell & 63u; // u32
    let v = P.ly + opaque((f32(ci) + rs_uniform()) * P.dv);
    let d = P.ly + opaque((f32(cj) + rs_uniform()) * P.dd);
    if (!(abs(d) <= -v)) { continue; }
    let y1 = xexp(0.5 * (v + d));
    let y2 = xexp(0.5 * (v - d));
    let L1 = lepton(y1);
    let L2 = lepton(y2);
    if (!L1.ok || !L2.ok) { continue; }
    let b1 = b_interval(L1, P.omc_b1lo, P.omc_b1hi);
    let b2 = b_interval(L2, P.omc_b2lo, P.omc_b2hi);
    let l1 = b1.y - b1.x;
    let l2 = b2.y - b2.x;
    if (!(l1 > 0.0 && l2 > 0.0)) { continue; }
    let u1 = rs_uniform();
    let u2 = rs_uniform();
    let g1 = photon_at(L1, b1.x + opaque(l1 * u1));
    let g2 = photon_at(L2, b2.x + opaque(l2 * u2));
    let f12 = opaque(opaque(flux(y1, g1.q) * flux(y2, g2.q)) * opaque(l1 * l2));
    if (u_acc >= opaque(f12 * tab_f(ENV_INV_RB, cell))) { continue; }
    let c1 = disc();
    let c2 = disc();
    configure(L1, L2, g1, g2, c1, c2);
    if (!(cf_w2 > P.wmin2)) { continue; }
    let a = opaque(opaque(f12 * dd_sigma(cf_w2, g1.q, g2.q)) * tab_f(ENV_INV_HB, cell));
    if (u_acc < a) { choose_cf(1.0); return; }
  }
}

// the muon pair of the chosen system: tb_a = mu-, tb_b = mu+ (ref.ts muonPair)
fn muon_pair(sys: vec4<f32>, w2: f32) {
  let mm = P.m_mu;
  let x = xdiv(4.0 * opaque(mm * mm), w2);
  let b2 = opaque(1.0 - x); // opaque: as in dd_sigma
  let b = xsqrt(b2);
  let ob = 1.0 + b;
  let omb = xdiv(x, ob);
  let lr = xlog(xdiv(omb, ob));
  var c = 0.0;
  for (var it = 0; it < 64; it++) {
    let r = xexp(opaque(rs_uniform() * lr));
    let c0 = xdiv(1.0 - opaque(ob * r), b);
    c = select(-c0, c0, rs_uniform() < 0.5);
    let s2 = opaque((1.0 - c) * (1.0 + c));
    let den = x + opaque(b2 * s2);
    let num = ((1.0 + opaque((2.0 * b2) * s2)) - opaque(b2 * b2)) - opaque(opaque(b2 * b2) * opaque(s2 * s2));
    if (opaque((2.0 * rs_uniform()) * den) <= num) { break; }
  }
  let W = xsqrt(w2);
  two_body(sys, W, w2, mm, mm, c, disc());
}

fn accepted(q: vec4<f32>) -> bool {
  let pt2 = fm(q.y, q.y) + fm(q.z, q.z);
  let pa = xsqrt(pt2 + fm(q.w, q.w));
  return xsqrt(pt2) > P.trk_ptmin && q.w > opaque(P.trk_cmin * pa) && q.w < opaque(P.trk_cmax * pa);
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let l = item_index(gid, nwg);
  if (l >= P.item_count) { return; }
  rs_init(vec2<u32>(P.key0, P.key1), P.first + P.item_offset + l, 0u, 0u);
  for (var j = 0u; j < OUT_EV_STRIDE; j++) { put(l, j, 0.0); }
  if (P.stratum == 1u || P.stratum == 5u) { sample_r(); } else if (P.stratum == 3u) { sample_b(); } else { sample_bulk(); }
  if (!ch_ok) { return; }
  muon_pair(ch_sys, ch_w2);
  let mu_m = tb_a;
  let mu_p = tb_b;
  if (P.family == 1u) {
    // the fourtrack family: mu-, mu+, e-, e+ through lib/fourtrack (ref.ts genEvent)
    ev_n = 0u;
    add_track(mu_m, KIND_MU, -1.0);
    add_track(mu_p, KIND_MU, 1.0);
    add_track(ch_em, KIND_E, -1.0);
    add_track(ch_ep, KIND_E, 1.0);
    let d = FtDet(track_det(), track_det(), track_det_e(), P.m_e, P.m_mu, P.m_mu, P.e_tot, P.pz_tot, P.g_cm, P.bg_cm, P.g_tau, P.bg_tau);
    fourtrack_columns(d, 0.0, 0.0, 0.0);
    for (var j = 0u; j <= F_ACC; j++) { put(l, j, ft_cols[j]); }
    put(l, F_WEIGHT, ch_weight);
    return;
  }
  let g = P.g_cm;
  let bg = P.bg_cm;
  let lp = boost_z(mu_p, g, bg);
  let lm = boost_z(mu_m, g, bg);
  let td = track_det();
  let tp_ = track(lp, P.m_mu, td);
  let tm_ = track(lm, P.m_mu, td);
  let extra = select(0.0, 1.0, accepted(boost_z(ch_em, g, bg))) + select(0.0, 1.0, accepted(boost_z(ch_ep, g, bg)));
  // the dimuon columns (genkin dimuon_columns), the weight
  dimuon_columns(tp_, tm_, lp, lm, 0.0, 0.0, extra, P.e_tot, P.pz_tot, g, bg, P.m_mu);
  for (var j = 0u; j <= DM_ACC; j++) { put(l, j, dm_cols[j]); }
  put(l, C_WEIGHT, ch_weight);
}
