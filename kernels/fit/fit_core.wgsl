// Maximum-likelihood fits of binned HistFactory likelihoods: the fit body shared by the fit and
// toyfit kernels, twin of fitOne in kernels/fit/ref.ts (its DESIGN block; layout
// kernels/fit/layout.ts). Same operations in the same order; every product through opaque().
// Needs exactmath.wgsl, df32.wgsl, deviance.wgsl, the kernel's `in_model` input and its
// `fn fit_data(i: u32) -> f32` (word i of the data blocks: a shared input or a private toy block).
// fit_one leaves theta in f_th, t in f_dev, iterations and status in f_iters, f_status; warm 1 starts
// the free parameters from f_th (the previous fit of this invocation) instead of init.
// Record kinds (layout.ts): 0 REC_LINEAR, 1 REC_NORMSYS (code 4), 2 REC_NORMSYS1 (code 1).
// Status (ref.ts STATUS): 0 max_iter, 1 converged, 2 noise floor of t, 3 no descent.

// MAXP, MAXA, MAXM, REC_*, and every word offset into the model and the items (MODEL_*, PARAM_*,
// BIN_*, ENTRY_*, ADD_*, MUL_*, CONS_*, ITEM_*) are WGSL consts the host generates from
// kernels/fit/layout.ts (desc.constants): none is spelled here. MAXP = OUT_PARS_STRIDE.
const TRI = MAXP * (MAXP + 1u) / 2u; // u32

// Per-item state (the reference's module arrays).
var<private> f_th: array<f32, MAXP>;
var<private> f_th2: array<f32, MAXP>;
var<private> f_lo: array<f32, MAXP>;
var<private> f_hi: array<f32, MAXP>;
var<private> f_free: array<u32, MAXP>;
var<private> f_act: array<u32, MAXP>;
var<private> f_g: array<f32, MAXP>;
var<private> f_dg: array<f32, MAXP>;
var<private> f_H: array<f32, TRI>;
var<private> f_step: array<f32, MAXP>;
var<private> f_rhs: array<f32, MAXP>;
var<private> f_dl: array<f32, MAXP>;
var<private> f_rdl: array<f32, MAXP>;
var<private> f_vv: array<f32, MAXP>;
var<private> f_x: array<f32, MAXP>;
var<private> f_jv: array<f32, MAXP>;
var<private> f_mark: array<u32, MAXP>;
var<private> f_tl: array<u32, MAXP>;
var<private> e_addp: array<u32, MAXA>;
var<private> e_addd: array<f32, MAXA>;
var<private> e_addd2: array<f32, MAXA>;
var<private> e_mulp: array<u32, MAXM>;
var<private> e_mulf: array<f32, MAXM>;
var<private> e_muld: array<f32, MAXM>;
var<private> e_muld2: array<f32, MAXM>;
var<private> e_pre: array<f32, MAXM>;
var<private> f_acc: vec2<f32>;
var<private> f_nt: u32;
var<private> e_base: f32;
var<private> e_F: f32;
var<private> e_na: u32;
var<private> e_nm: u32;
// The result of fit_one: theta in f_th, t (df32), iterations, status.
var<private> f_dev: vec2<f32>;
var<private> f_iters: u32;
var<private> f_status: u32;

fn mf(w: u32) -> f32 { return bitcast<f32>(in_model[w]); }

fn tri(i: u32, j: u32) -> u32 {
  if (i >= j) { return (i * (i + 1u)) / 2u + j; } // u32
  return (j * (j + 1u)) / 2u + i; // u32
}

fn add_j(p: u32, c: f32) {
  if (f_free[p] == 0u) { return; }
  if (f_mark[p] == 0u) {
    f_mark[p] = 1u;
    f_tl[f_nt] = p;
    f_nt = f_nt + 1u;
  }
  f_jv[p] = f_jv[p] + ftz(c);
}

fn add_h(p: u32, q: u32, c: f32) {
  let k = tri(p, q);
  f_H[k] = f_H[k] + ftz(c);
}

fn clear_j() {
  for (var a = 0u; a < f_nt; a++) {
    f_jv[f_tl[a]] = 0.0;
    f_mark[f_tl[a]] = 0u;
  }
  f_nt = 0u;
}

fn poisson_derivs(n: f32, lam: f32) {
  let rl = xrecip(lam);
  let r = opaque(n * rl);
  let wg = 1.0 - r;
  let wh = opaque(r * rl);
  for (var a = 0u; a < f_nt; a++) {
    let p = f_tl[a];
    let J = f_jv[p];
    f_g[p] = f_g[p] + ftz(opaque(wg * J));
    f_dg[p] = f_dg[p] + ftz(opaque(ftz(opaque(rl * J)) * J));
    let whJ = opaque(wh * J);
    for (var b = 0u; b <= a; b++) { add_h(p, f_tl[b], opaque(whJ * f_jv[f_tl[b]])); }
  }
  clear_j();
}

fn read_entry(w_in: u32, t: ptr<private, array<f32, MAXP>>) -> u32 {
  var w = w_in;
  let nA = in_model[w + ENTRY_NADD];
  let nM = in_model[w + ENTRY_NMUL];
  var base = mf(w + ENTRY_NOM);
  w = w + ENTRY_WORDS;
  for (var a = 0u; a < nA; a++) {
    let p = in_model[w + ADD_P];
    let du = mf(w + ADD_DU);
    let dd = mf(w + ADD_DD);
    let S = mf(w + ADD_S);
    let A = mf(w + ADD_A);
    let edge = mf(w + ADD_EDGE);
    w = w + ADD_WORDS;
    let al = (*t)[p];
    var dv: f32;
    var dp: f32;
    var dq: f32;
    if (al >= edge) {
      dv = opaque(al * du);
      dp = du;
      dq = 0.0;
    } else if (al < -edge) {
      dv = opaque(al * dd);
      dp = dd;
      dq = 0.0;
    } else {
      let a2 = opaque(al * al);
      let aA = opaque(al * A);
      dv = opaque(al * (S + opaque(aA * (15.0 + opaque(a2 * (-10.0 + opaque(3.0 * a2)))))));
      dp = S + opaque(aA * (30.0 + opaque(a2 * (-40.0 + opaque(18.0 * a2)))));
      dq = opaque(A * (30.0 + opaque(a2 * (-120.0 + opaque(90.0 * a2)))));
    }
    base = base + ftz(dv);
    e_addp[a] = p;
    e_addd[a] = dp;
    e_addd2[a] = dq;
  }
  var Fp = 1.0;
  for (var k = 0u; k < nM; k++) {
    let p = in_model[w + MUL_P];
    let al = (*t)[p];
    var f: f32;
    var fd: f32;
    var fq: f32;
    if (in_model[w + MUL_KIND] == REC_LINEAR) {
      f = al;
      fd = 1.0;
      fq = 0.0;
      w = w + MUL_LINEAR_WORDS;
    } else if (in_model[w + MUL_KIND] == REC_NORMSYS1) {
      let lu = mf(w + MUL_LNUP);
      let ld = mf(w + MUL_LNDN);
      if (al >= 0.0) {
        f = xexp(opaque(al * lu));
        fd = opaque(lu * f);
        fq = opaque(lu * fd);
      } else {
        f = xexp(opaque((-al) * ld));
        fd = opaque((-ld) * f);
        fq = opaque((-ld) * fd);
      }
      w = w + MUL_NORMSYS1_WORDS;
    } else {
      let lu = mf(w + MUL_LNUP);
      let ld = mf(w + MUL_LNDN);
      if (al >= 1.0) {
        f = xexp(opaque(al * lu));
        fd = opaque(lu * f);
        fq = opaque(lu * fd);
      } else if (al <= -1.0) {
        f = xexp(opaque((-al) * ld));
        fd = opaque((-ld) * f);
        fq = opaque((-ld) * fd);
      } else {
        let a1 = mf(w + MUL_A1);
        let a2 = mf(w + MUL_A2);
        let a3 = mf(w + MUL_A3);
        let a4 = mf(w + MUL_A4);
        let a5 = mf(w + MUL_A5);
        let a6 = mf(w + MUL_A6);
        var pv = a6;
        var pd = opaque(6.0 * a6);
        var pq = opaque(30.0 * a6);
        pv = opaque(pv * al) + a5;
        pd = opaque(pd * al) + opaque(5.0 * a5);
        pq = opaque(pq * al) + opaque(20.0 * a5);
        pv = opaque(pv * al) + a4;
        pd = opaque(pd * al) + opaque(4.0 * a4);
        pq = opaque(pq * al) + opaque(12.0 * a4);
        pv = opaque(pv * al) + a3;
        pd = opaque(pd * al) + opaque(3.0 * a3);
        pq = opaque(pq * al) + opaque(6.0 * a3);
        pv = opaque(pv * al) + a2;
        pd = opaque(pd * al) + opaque(2.0 * a2);
        pq = opaque(pq * al) + opaque(2.0 * a2);
        pv = opaque(pv * al) + a1;
        pd = opaque(pd * al) + a1;
        f = 1.0 + opaque(pv * al);
        fd = pd;
        fq = pq;
      }
      w = w + MUL_NORMSYS_WORDS;
    }
    e_mulp[k] = p;
    e_mulf[k] = f;
    e_muld[k] = fd;
    e_muld2[k] = fq;
    e_pre[k] = Fp;
    Fp = ftz(opaque(Fp * f));
  }
  e_base = base;
  e_F = Fp;
  e_na = nA;
  e_nm = nM;
  return w;
}

fn prod_except(k1: u32, k2: u32) -> f32 {
  var r = 1.0;
  for (var j = 0u; j < e_nm; j++) {
    if (j != k1 && j != k2) { r = opaque(r * e_mulf[j]); }
  }
  return r;
}

fn entry_j() {
  for (var a = 0u; a < e_na; a++) { add_j(e_addp[a], opaque(e_addd[a] * e_F)); }
  var suf = 1.0;
  for (var kk = i32(e_nm) - 1; kk >= 0; kk--) {
    let k = u32(kk);
    add_j(e_mulp[k], opaque(opaque(e_base * e_muld[k]) * opaque(e_pre[k] * suf)));
    suf = opaque(suf * e_mulf[k]);
  }
}

fn entry_h(w2: f32) {
  for (var a = 0u; a < e_na; a++) {
    let p = e_addp[a];
    if (f_free[p] == 0u) { continue; }
    add_h(p, p, opaque(w2 * opaque(e_addd2[a] * e_F)));
    for (var k = 0u; k < e_nm; k++) {
      let q = e_mulp[k];
      if (f_free[q] == 0u) { continue; }
      let c = opaque(w2 * opaque(opaque(e_addd[a] * e_muld[k]) * prod_except(k, k)));
      add_h(p, q, select(c, 2.0 * c, p == q));
    }
  }
  for (var k = 0u; k < e_nm; k++) {
    let p = e_mulp[k];
    if (f_free[p] == 0u) { continue; }
    let bw = opaque(w2 * e_base);
    if (e_muld2[k] != 0.0) { add_h(p, p, opaque(bw * opaque(e_muld2[k] * prod_except(k, k)))); }
    for (var j = 0u; j < k; j++) {
      let q = e_mulp[j];
      if (f_free[q] == 0u) { continue; }
      let c = opaque(bw * opaque(opaque(e_muld[k] * e_muld[j]) * prod_except(j, k)));
      add_h(p, q, select(c, 2.0 * c, p == q));
    }
  }
}

const LAM_MIN = 9.313225746154785e-10; // 2^-30

fn sweep(m: u32, d: u32, t: ptr<private, array<f32, MAXP>>, derivs: u32) {
  let np = in_model[m + MODEL_NPARAMS];
  let nb = in_model[m + MODEL_NBINS];
  let nG = in_model[m + MODEL_NGAUSS];
  let nQ = in_model[m + MODEL_NPOIS];
  if (derivs == 1u) {
    for (var p = 0u; p < np; p++) {
      f_g[p] = 0.0;
      f_dg[p] = 0.0;
    }
    for (var k = 0u; k < (np * (np + 1u)) / 2u; k++) { f_H[k] = 0.0; } // u32
  } else {
    f_acc = vec2<f32>(0.0, 0.0);
  }
  var w = m + in_model[m + MODEL_BINS_OFF];
  for (var b = 0u; b < nb; b++) {
    let nE = in_model[w + BIN_NENTRIES];
    w = w + BIN_WORDS;
    let w0 = w;
    var lam = 0.0;
    for (var e = 0u; e < nE; e++) {
      w = read_entry(w, t);
      lam = lam + ftz(opaque(e_base * e_F));
      if (derivs == 1u) { entry_j(); }
    }
    let n = fit_data(d + b);
    var clamped = 0u;
    if (!(lam >= LAM_MIN)) {
      lam = LAM_MIN;
      clamped = 1u;
      clear_j();
    }
    if (derivs == 1u) {
      poisson_derivs(n, lam);
      if (clamped == 0u) {
        let w2 = 1.0 - opaque(n * xrecip(lam));
        var v = w0;
        for (var e = 0u; e < nE; e++) {
          v = read_entry(v, t);
          entry_h(w2);
        }
      }
    } else {
      f_acc = df_add_f(f_acc, dev_f32(n, lam));
    }
  }
  let c = m + in_model[m + MODEL_CONS_OFF];
  for (var i = 0u; i < nG; i++) {
    let ci = c + CONS_WORDS * i; // u32
    let p = in_model[ci + CONS_P];
    let iv = mf(ci + CONS_VALUE);
    let a = fit_data(d + nb + i);
    let r = (*t)[p] - a;
    if (derivs == 1u) {
      if (f_free[p] != 0u) {
        f_g[p] = f_g[p] + opaque(r * iv);
        add_h(p, p, iv);
        f_dg[p] = f_dg[p] + iv;
      }
    } else {
      f_acc = df_add_f(f_acc, opaque(opaque(r * r) * iv));
    }
  }
  for (var i = 0u; i < nQ; i++) {
    let q = c + CONS_WORDS * (nG + i); // u32
    let p = in_model[q + CONS_P];
    let tau = mf(q + CONS_VALUE);
    let a = fit_data(d + nb + nG + i);
    var lam = opaque(tau * (*t)[p]);
    if (!(lam >= LAM_MIN)) {
      lam = LAM_MIN;
    } else if (derivs == 1u) {
      add_j(p, tau);
    }
    if (derivs == 1u) { poisson_derivs(a, lam); } else { f_acc = df_add_f(f_acc, dev_f32(a, lam)); }
  }
}

fn solve(np: u32, nu: f32) -> u32 {
  var ok = 1u;
  for (var i = 0u; i < np; i++) {
    for (var j = 0u; j <= i; j++) {
      let k = tri(i, j);
      if (f_act[i] == 0u || f_act[j] == 0u) {
        f_H[k] = select(0.0, 1.0, i == j);
      } else if (i == j) {
        f_H[k] = f_H[k] + opaque(nu * f_dg[i]);
      }
    }
  }
  for (var j = 0u; j < np; j++) {
    let mjj = f_H[tri(j, j)];
    var s = mjj;
    for (var k = 0u; k < j; k++) {
      let ljk = f_H[tri(j, k)];
      f_vv[k] = opaque(ljk * f_dl[k]);
      s = s - opaque(ljk * f_vv[k]);
    }
    if (!(s > opaque(mjj * 5.960464477539063e-8))) { // 2^-24
      ok = 0u;
      s = select(1.0, mjj, mjj > 0.0);
    }
    f_dl[j] = s;
    f_rdl[j] = xrecip(s);
    for (var i = j + 1u; i < np; i++) {
      var u = f_H[tri(i, j)];
      for (var k = 0u; k < j; k++) { u = u - opaque(f_H[tri(i, k)] * f_vv[k]); }
      f_H[tri(i, j)] = opaque(u * f_rdl[j]);
    }
  }
  for (var i = 0u; i < np; i++) {
    var y = select(0.0, f_rhs[i], f_act[i] != 0u);
    for (var k = 0u; k < i; k++) { y = y - opaque(f_H[tri(i, k)] * f_x[k]); }
    f_x[i] = y;
  }
  for (var i = 0u; i < np; i++) { f_x[i] = opaque(f_x[i] * f_rdl[i]); }
  for (var ii = i32(np) - 1; ii >= 0; ii--) {
    let i = u32(ii);
    var y = f_x[i];
    for (var k = i + 1u; k < np; k++) { y = y - opaque(f_H[tri(k, i)] * f_x[k]); }
    f_x[i] = y;
  }
  return ok;
}

const NU0 = 0.0625; // 2^-4
const NU_MIN = 9.5367431640625e-7; // 2^-20
const NU_SMALL = 0.0625; // 2^-4
const NU_MAX = 256.0; // 2^8
const DEC_TOL = 1.1641532182693481e-10; // 2^-33
const DEC_ACCEPT = 9.5367431640625e-7; // 2^-20
const STEP_TOL = 2.384185791015625e-7; // 2^-22

fn fit_one(m: u32, d: u32, poi_mode: u32, poi_value: f32, max_iter: u32, warm: u32) {
  let np = in_model[m + MODEL_NPARAMS];
  let poi = in_model[m + MODEL_POI];
  for (var p = 0u; p < np; p++) {
    let q = m + MODEL_HEADER + PARAM_WORDS * p; // u32
    f_lo[p] = mf(q + PARAM_LO);
    f_hi[p] = mf(q + PARAM_HI);
    let held = p == poi && poi_mode == POI_FIXED;
    let fixed = in_model[q + PARAM_FIXED] != 0u || held;
    f_free[p] = select(1u, 0u, fixed);
    var v = select(select(mf(q + PARAM_INIT), f_th[p], warm != 0u && !fixed), poi_value, held);
    if (!fixed) {
      if (v < f_lo[p]) { v = f_lo[p]; }
      if (v > f_hi[p]) { v = f_hi[p]; }
    }
    f_th[p] = v;
  }
  sweep(m, d, &f_th, 0u);
  var f = f_acc;
  var nu = NU0;
  var status = 0u;
  var it = 0u;
  while (it < max_iter) {
    it = it + 1u;
    sweep(m, d, &f_th, 1u);
    var nact = 0u;
    for (var p = 0u; p < np; p++) {
      let blocked = (f_th[p] <= f_lo[p] && f_g[p] > 0.0) || (f_th[p] >= f_hi[p] && f_g[p] < 0.0);
      f_act[p] = select(0u, 1u, f_free[p] != 0u && !blocked && f_dg[p] > 0.0);
      nact = nact + f_act[p];
    }
    if (nact == 0u) {
      status = 1u;
      break;
    }
    for (var p = 0u; p < np; p++) { f_step[p] = 0.0; }
    var pd = 1u;
    for (var rd = 0u; rd <= np; rd++) {
      for (var i = 0u; i < np; i++) {
        var r = -f_g[i];
        for (var j = 0u; j < np; j++) {
          if (f_step[j] != 0.0) { r = r - opaque(f_H[tri(i, j)] * f_step[j]); }
        }
        f_rhs[i] = r;
      }
      pd = solve(np, nu);
      if (pd == 0u) { break; }
      var crossed = 0u;
      for (var p = 0u; p < np; p++) {
        if (f_act[p] == 0u) { continue; }
        let v = f_th[p] + f_x[p];
        if (v < f_lo[p] || v > f_hi[p]) {
          f_act[p] = 0u;
          f_step[p] = select(f_hi[p], f_lo[p], v < f_lo[p]) - f_th[p];
          crossed = 1u;
        }
      }
      if (crossed == 0u) { break; }
      sweep(m, d, &f_th, 1u);
    }
    if (pd == 0u) {
      nu = opaque(nu * 16.0);
      if (nu > NU_MAX) {
        status = 3u;
        break;
      }
      continue;
    }
    var dec = 0.0;
    var small = 1u;
    for (var p = 0u; p < np; p++) {
      if (f_act[p] != 0u) { f_step[p] = f_x[p]; }
      dec = dec - opaque(f_g[p] * f_step[p]);
      if (abs(f_step[p]) > opaque(STEP_TOL * (1.0 + abs(f_th[p])))) { small = 0u; }
    }
    if (dec < 0.0) {
      nu = opaque(nu * 16.0);
      if (nu > NU_MAX) {
        status = 3u;
        break;
      }
      continue;
    }
    if (nu <= NU_SMALL && (dec <= DEC_TOL || small == 1u)) {
      status = 1u;
      break;
    }
    for (var p = 0u; p < np; p++) {
      var v = f_th[p] + f_step[p];
      if (v < f_lo[p]) { v = f_lo[p]; }
      if (v > f_hi[p]) { v = f_hi[p]; }
      f_th2[p] = select(f_th[p], ftz(v), f_free[p] != 0u);
    }
    sweep(m, d, &f_th2, 0u);
    if (df_lt(f_acc, f)) {
      for (var p = 0u; p < np; p++) { f_th[p] = f_th2[p]; }
      f = f_acc;
      nu = nu * 0.25;
      if (nu < NU_MIN) { nu = NU_MIN; }
    } else if (nu <= NU_SMALL && dec <= DEC_ACCEPT) {
      for (var p = 0u; p < np; p++) { f_th[p] = f_th2[p]; }
      f = f_acc;
      status = 2u;
      break;
    } else {
      nu = opaque(nu * 16.0);
      if (nu > NU_MAX) {
        status = 3u;
        break;
      }
    }
  }
  f_dev = f;
  f_iters = it;
  f_status = status;
}

