// gen_dimuon: one dimuon event per item. Twin of kernels/gen_dimuon/ref.ts (see there for the
// physics, its sources and the draw order); four-vectors are vec4 (E, px, py, pz).

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

var<private> tb_a: vec4<f32>;
var<private> tb_b: vec4<f32>;

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

// mode 2: mu+ mu- Z' by flat three-body phase space (ref.ts threeBody); mu+ into tb_a, mu- into tb_b.
fn three_body(sys: vec4<f32>, M: f32, m2: f32) {
  let mm = P.m_mu;
  let mz = P.m_a;
  let lo = mm + mz;
  let hi = M - mm;
  let wmax = opaque(p_star(m2, M, mm, lo) * p_star(opaque(hi * hi), hi, mm, mz));
  var m23 = lo;
  for (var it = 0; it < 256; it++) {
    m23 = lo + opaque((hi - lo) * rs_uniform());
    let w = opaque(p_star(m2, M, mm, m23) * p_star(opaque(m23 * m23), m23, mm, mz));
    if (opaque(rs_uniform() * wmax) <= w) { break; }
  }
  let c1 = 2.0 * rs_uniform() - 1.0;
  let cs1 = disc();
  two_body(vec4<f32>(M, 0.0, 0.0, 0.0), M, m2, mm, m23, c1, cs1);
  let a = tb_a;
  let x = tb_b;
  let c2 = 2.0 * rs_uniform() - 1.0;
  let cs2 = disc();
  two_body(x, m23, opaque(m23 * m23), mm, mz, c2, cs2);
  let b = tb_a;
  let cb = 2.0 * rs_uniform() - 1.0;
  let sb = xsqrt(max(0.0, 1.0 - opaque(cb * cb)));
  let al = disc();
  let ga = disc();
  tb_a = boost_from(sys, M, rot(a, al.x, al.y, cb, sb, ga.x, ga.y));
  tb_b = boost_from(sys, M, rot(b, al.x, al.y, cb, sb, ga.x, ga.y));
}

fn isr_photon(x: f32, uc: f32, dir: f32) -> vec4<f32> {
  let r = xexp(opaque(uc * P.isr_lr));
  var omc = 2.0 * r - P.isr_a;
  if (omc < 9.094947017729282e-13) { omc = 0.0; }
  let st = xsqrt(opaque(omc * (2.0 - omc)));
  let cs = disc();
  let e = opaque(x * P.e_beam);
  let pt = opaque(e * st);
  return vec4<f32>(e, ftz(opaque(pt * cs.x)), ftz(opaque(pt * cs.y)), select(-opaque(e * (1.0 - omc)), opaque(e * (1.0 - omc)), dir > 0.0));
}

fn stratum_in() -> f32 {
  let v = opaque(rs_uniform() * P.st_p);
  let w0 = P.st_f1 - P.st_f0;
  if (v < w0) { return P.st_f0 + v; }
  return P.st_f2 + (v - w0);
}

fn stratum_out() -> f32 {
  let v = opaque(rs_uniform() * (1.0 - P.st_p));
  let o0 = P.st_f0;
  let o1 = P.st_f2 - P.st_f1;
  if (v < o0) { return v; }
  let v1 = v - o0;
  if (v1 < o1) { return P.st_f1 + v1; }
  return P.st_f3 + (v1 - o1);
}

fn stratum_pair() -> vec2<f32> {
  if (P.st_mode == 2u) {
    let a = stratum_out();
    return vec2<f32>(a, stratum_out());
  }
  let p = P.st_p;
  let q = 1.0 - p;
  let r = opaque(rs_uniform() * (1.0 - opaque(q * q)));
  if (r < opaque(p * p)) {
    let a = stratum_in();
    return vec2<f32>(a, stratum_in());
  }
  if (r < p) {
    let a = stratum_in();
    return vec2<f32>(a, stratum_out());
  }
  let a = stratum_out();
  return vec2<f32>(a, stratum_in());
}

fn isr_x(u: f32) -> f32 {
  let x = xexp(opaque(P.isr_exp * xlog(u)));
  return select(x, 0.0, x < 5.9604644775390625e-8);
}

struct Track { p: vec4<f32>, pm: f32, acc: bool, id: bool }

fn track(q: vec4<f32>) -> Track {
  let pt2 = fm(q.y, q.y) + fm(q.z, q.z);
  let pa = xsqrt(pt2 + fm(q.w, q.w));
  let pt = xsqrt(pt2);
  let acc = pt > P.trk_ptmin && q.w > opaque(P.trk_cmin * pa) && q.w < opaque(P.trk_cmax * pa);
  let n1 = rs_normal();
  let n2 = rs_normal();
  let n3 = rs_normal();
  let id = rs_uniform() < P.mu_eff;
  let ra = opaque(P.trk_ra * pt);
  let rb = xdiv(opaque(P.trk_rb * q.x), pa);
  let rel = xsqrt(opaque(ra * ra) + opaque(rb * rb));
  let pm = opaque(pa * max(0.0, 1.0 + opaque(rel * n1)));
  let ipa = xrecip(pa);
  let dx = opaque(q.y * ipa);
  let dy = opaque(q.z * ipa);
  let dz = opaque(q.w * ipa);
  let st = opaque(pt * ipa);
  var ist = 0.0;
  if (st > 0.0) { ist = xrecip(st); }
  let a2 = opaque(P.trk_ang * n2);
  let a3 = opaque(P.trk_ang * n3);
  let ex = ftz(opaque(dz * opaque(dx * ist)));
  let ey = ftz(opaque(dz * opaque(dy * ist)));
  let ux = (dx + fm(a2, ex)) - fm(a3, dy);
  let uy = (dy + fm(a2, ey)) + fm(a3, dx);
  let uz = dz - fm(a2, st);
  let sc = xdiv(pm, xsqrt((fm(ux, ux) + fm(uy, uy)) + fm(uz, uz)));
  let m = P.m_mu;
  return Track(vec4<f32>(xsqrt(opaque(m * m) + opaque(pm * pm)), ftz(opaque(sc * ux)), ftz(opaque(sc * uy)), ftz(opaque(sc * uz))), pm, acc, id);
}

fn photon(k: vec4<f32>) -> f32 {
  let n = rs_normal();
  let e = k.x;
  let z = k.w;
  let in_ecl = (z > opaque(P.ecl_c0 * e) && z < opaque(P.ecl_c1 * e)) ||
    (z > opaque(P.ecl_c2 * e) && z < opaque(P.ecl_c3 * e)) ||
    (z > opaque(P.ecl_c4 * e) && z < opaque(P.ecl_c5 * e));
  if (!(e > P.g_emin && in_ecl)) { return -1.0; }
  let a = xdiv(P.g_ra, e);
  let b = xdiv(P.g_rb, xsqrt(xsqrt(e)));
  let c = P.g_rc;
  let rel = xsqrt((opaque(a * a) + opaque(b * b)) + opaque(c * c));
  return opaque(e * max(0.0, 1.0 + opaque(rel * n)));
}

fn put(l: u32, j: u32, v: f32) { out_ev[OUT_EV_STRIDE * l + j] = v; } // u32

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let l = item_index(gid, nwg);
  if (l >= P.item_count) { return; }
  rs_init(vec2<u32>(P.key0, P.key1), P.first + P.item_offset + l, 0u, 0u);
  let rs = P.sqrt_s;
  // ISR
  var k1 = vec4<f32>(0.0);
  var k2 = vec4<f32>(0.0);
  var sys = vec4<f32>(rs, 0.0, 0.0, 0.0);
  var m2 = opaque(rs * rs);
  if (P.isr != 0u) {
    let t = P.t_min;
    let m_min2 = opaque(P.m_min * P.m_min);
    var ok = false;
    for (var it = 0; it < 64 && !ok; it++) {
      var u1: f32;
      var u2: f32;
      if (t > 0.0) {
        let sel = rs_uniform();
        let a = rs_uniform();
        let b = rs_uniform();
        if (opaque(sel * (1.0 + t)) < 1.0) {
          u1 = t + opaque((1.0 - t) * a);
          u2 = b;
        } else {
          u1 = opaque(t * a);
          u2 = t + opaque((1.0 - t) * b);
        }
      } else {
        u1 = rs_uniform();
        u2 = rs_uniform();
      }
      let x1 = isr_x(u1);
      let x2 = isr_x(u2);
      var uc = vec2<f32>(-1.0, -1.0);
      if (P.st_mode != 0u) { uc = stratum_pair(); }
      var uc1 = uc.x;
      if (uc1 < 0.0) { uc1 = rs_uniform(); }
      k1 = isr_photon(x1, uc1, 1.0);
      var uc2 = uc.y;
      if (uc2 < 0.0) { uc2 = rs_uniform(); }
      k2 = isr_photon(x2, uc2, -1.0);
      sys = vec4<f32>((rs - k1.x) - k2.x, -k1.y - k2.y, -k1.z - k2.z, -k1.w - k2.w);
      m2 = msq(sys);
      ok = m2 > m_min2;
    }
    if (!ok) {
      k1 = vec4<f32>(0.0);
      k2 = vec4<f32>(0.0);
      sys = vec4<f32>(rs, 0.0, 0.0, 0.0);
      m2 = opaque(rs * rs);
    }
  }
  // production: two-body (modes 0, 1) or three-body (mode 2)
  let M = xsqrt(m2);
  var mu_p: vec4<f32>;
  var mu_m: vec4<f32>;
  if (P.mode == 2u) {
    three_body(sys, M, m2);
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
  let tp_ = track(lp);
  let tm_ = track(lm);
  var n_gam = 0.0;
  var e_extra = 0.0;
  if (P.isr != 0u) {
    let e1 = photon(boost_z(k1, g, bg));
    let e2 = photon(boost_z(k2, g, bg));
    n_gam = select(0.0, 1.0, e1 >= 0.0) + select(0.0, 1.0, e2 >= 0.0);
    e_extra = max(e1, 0.0) + max(e2, 0.0);
  }
  // the dimuon columns
  for (var j = 0u; j < OUT_EV_STRIDE; j++) { put(l, j, 0.0); }
  let ok_p = tp_.acc && tp_.id;
  let ok_m = tm_.acc && tm_.id;
  let e_tot = P.e_tot;
  let pz_tot = P.pz_tot;
  let tp = lp + lm;
  put(l, C_TMMUMU, ssqrt(msq(tp)));
  put(l, C_TMREC, ssqrt(msq(vec4<f32>(e_tot - tp.x, -tp.y, -tp.z, pz_tot - tp.w))));
  put(l, C_NGAM, n_gam);
  put(l, C_EEXTRA, e_extra);
  put(l, C_NEXTRA, ((select(0.0, 1.0, tp_.acc) + select(0.0, 1.0, tm_.acc)) - select(0.0, 1.0, ok_p)) - select(0.0, 1.0, ok_m));
  if (!(ok_p && ok_m)) { return; }
  let a = tp_.p;
  let b = tm_.p;
  put(l, C_ACC, 1.0);
  put(l, C_MU1, a.y);
  put(l, C_MU1 + 1u, a.z);
  put(l, C_MU1 + 2u, a.w);
  put(l, C_MU2, b.y);
  put(l, C_MU2 + 1u, b.z);
  put(l, C_MU2 + 2u, b.w);
  put(l, C_PMU1, tp_.pm);
  put(l, C_PMU2, tm_.pm);
  var c1 = 0.0;
  if (tp_.pm > 0.0) { c1 = xdiv(a.w, tp_.pm); }
  var c2 = 0.0;
  if (tm_.pm > 0.0) { c2 = xdiv(b.w, tm_.pm); }
  put(l, C_CMU1, c1);
  put(l, C_CMU2, c2);
  let pr = a + b;
  put(l, C_MMUMU, ssqrt(msq(pr)));
  let r2 = msq(vec4<f32>(e_tot - pr.x, -pr.y, -pr.z, pz_tot - pr.w));
  put(l, C_MREC, ssqrt(r2));
  put(l, C_M2REC, r2);
  put(l, C_PT, xsqrt(fm(pr.y, pr.y) + fm(pr.z, pr.z)));
  let pc = boost_z(pr, g, -bg);
  let pcm = xsqrt(p3sq(pc));
  put(l, C_PCM, pcm);
  var crec = 0.0;
  if (pcm > 0.0) { crec = -xdiv(pc.w, pcm); }
  put(l, C_CREC, crec);
  let mp = xsqrt(max(msq(pc), opaque(P.m_mu * P.m_mu)));
  let ar = boost_from(vec4<f32>(pc.x, -pc.y, -pc.z, -pc.w), mp, boost_z(a, g, -bg));
  var v = vec4<f32>(0.0, 0.0, 0.0, 1.0);
  if (pcm > 0.0) { v = pc; }
  let num = (fm(ar.y, v.y) + fm(ar.z, v.z)) + fm(ar.w, v.w);
  let den2 = opaque(p3sq(ar) * p3sq(v));
  var chel = 0.0;
  if (den2 > 0.0) { chel = xdiv(num, xsqrt(den2)); }
  put(l, C_CHEL, chel);
}
