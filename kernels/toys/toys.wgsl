// q~_mu per toy: twin of kernels/toys/ref.ts (see there for the model and sources).

fn pos_root(A: f32, B: f32, C: f32) -> f32 {
  let D = xsqrt(opaque(B * B) + opaque((4.0 * A) * C));
  if (B <= 0.0) { return xdiv(D - B, 2.0 * A); }
  if (C == 0.0) { return 0.0; }
  return xdiv(2.0 * C, B + D);
}

fn nu_logn(b: f32, par: f32, th: f32) -> f32 {
  let e = min(opaque(par * th), 60.0);
  return opaque(b * xexp(e));
}

fn h_logn(n: f32, aux: f32, sp: f32, b: f32, par: f32, th: f32) -> f32 {
  let nu = nu_logn(b, par, th);
  let lam = sp + nu;
  var ratio = 1.0;
  if (lam > 0.0) { ratio = xdiv(nu, lam); }
  return (opaque(par * nu) - opaque(par * (n * ratio))) + (th - aux);
}

fn prof_f32(n: f32, aux: f32, sp: f32, b: f32, par: f32, kind: u32) -> f32 {
  if (kind == 3u) {
    var lo: f32;
    var hi: f32;
    if (h_logn(n, aux, sp, b, par, aux) > 0.0) {
      lo = (aux - 1.0) - opaque(par * nu_logn(b, par, aux));
      hi = aux;
    } else {
      lo = aux;
      hi = (aux + 1.0) + opaque(par * n);
    }
    for (var i = 0; i < 64; i++) {
      let mid = (lo + hi) * 0.5;
      if (h_logn(n, aux, sp, b, par, mid) > 0.0) { hi = mid; } else { lo = mid; }
    }
    let th = (lo + hi) * 0.5;
    let dth = th - aux;
    return dev_f32(n, sp + nu_logn(b, par, th)) + opaque(dth * dth);
  }
  if (kind == 1u) {
    let ss = opaque(par * par);
    let Bq = ((ss - sp) - b) - opaque(aux * par);
    let lam = pos_root(1.0, Bq, opaque(n * ss));
    var dth: f32;
    if (lam > 0.0) { dth = opaque(par * xdiv(n - lam, lam)); } else { dth = -xdiv(sp + b, par) - aux; }
    return dev_f32(n, lam) + opaque(dth * dth);
  }
  if (kind == 2u) {
    let k = xdiv(par, b);
    let A = 1.0 + k;
    let nu = pos_root(A, (opaque(A * sp) - n) - aux, opaque(aux * sp));
    return dev_f32(n, sp + nu) + dev_f32(aux, opaque(k * nu));
  }
  return dev_f32(n, sp + b);
}

fn b0_f32(aux: f32, b: f32, par: f32, kind: u32) -> f32 {
  if (kind == 1u) { return opaque(par * aux) + b; }
  if (kind == 2u) { return opaque(b * xdiv(aux, par)); }
  if (kind == 3u) { return nu_logn(b, par, aux); }
  return b;
}

fn qtilde_f32(n: f32, aux: f32, s: f32, b: f32, par: f32, kind: u32) -> f32 {
  let b0 = b0_f32(aux, b, par, kind);
  if (n >= s + b0) { return 0.0; }
  let tmu = prof_f32(n, aux, s, b, par, kind);
  var q = tmu;
  if (!(n >= b0)) { q = tmu - prof_f32(n, aux, 0.0, b, par, kind); }
  return select(0.0, q, q > 0.0);
}

fn q0_f32(n: f32, aux: f32, b: f32, par: f32, kind: u32) -> f32 {
  let b0 = b0_f32(aux, b, par, kind);
  if (!(n >= b0)) { return 0.0; }
  let q = prof_f32(n, aux, 0.0, b, par, kind);
  return select(0.0, q, q > 0.0);
}

fn toy_f32(sig: f32, s: f32, b: f32, par: f32, th: f32, kind: u32) -> f32 {
  var nu = b;
  if (kind == 1u) { nu = opaque(par * th) + b; } else if (kind == 2u) { nu = opaque(th * b); } else if (kind == 3u) { nu = nu_logn(b, par, th); }
  nu = select(0.0, nu, nu > 0.0);
  let n = rs_poisson(sig + nu);
  var aux = 0.0;
  if (kind == 1u || kind == 3u) { aux = th + rs_normal(); } else if (kind == 2u) { aux = rs_poisson(opaque(par * th)); }
  if (P.stat == 1u) { return q0_f32(n, aux, b, par, kind); }
  return qtilde_f32(n, aux, s, b, par, kind);
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let l = item_index(gid, nwg);
  if (l >= P.item_count) { return; }
  let a = P.item_offset + l;
  let w = a / P.toys;
  let t = P.toy0 + (a - w * P.toys); // u32
  let r = IN_WIN_STRIDE * w; // u32
  let s = in_win[r + WIN_S];
  let b = in_win[r + WIN_B];
  let par = in_win[r + WIN_PAR];
  rs_init(vec2<u32>(P.key_sb0, P.key_sb1), w, t, 0u);
  out_q[OUT_Q_STRIDE * l + Q_SB] = toy_f32(s, s, b, par, in_win[r + WIN_THETA_SB], P.kind);
  rs_init(vec2<u32>(P.key_b0, P.key_b1), w, t, 0u);
  out_q[OUT_Q_STRIDE * l + Q_B] = toy_f32(0.0, s, b, par, in_win[r + WIN_THETA_B], P.kind);
}
