// Bayesian upper limits per item: twin of kernels/bayes_limit/ref.ts (formulas and operation order
// there). Every product that can reach a sum goes through opaque() (no FMA).

fn bl_log1p(v: f32) -> f32 {
  let w = opaque(1.0 + v); // opaque: no compiler may fold (1 + v) - 1 into v
  if (w == 1.0) { return v; }
  return opaque(xlog(w) * xdiv(v, w - 1.0));
}

// A with ln G(S) = A - S + K, and -G'(S) / G(S) (see ref.ts).
fn bl_eval(S: f32, n: f32, b: f32, sigma: f32, K: f32, x0: f32, rx0: f32) -> vec2<f32> {
  var m = 0.0;
  var s = 0.0;
  var sp = 0.0;
  var first = true;
  var prevL = 0.0;
  let nodes = select(1u, P.points, sigma > 0.0);
  for (var j = 0u; j < nodes; j++) {
    var lw = 0.0;
    var d = b - x0;
    if (sigma > 0.0) {
      let th = -9.0 + opaque((f32(j) + 0.5) * P.step);
      let nu = b + opaque(sigma * th);
      if (!(nu > 0.0)) { continue; }
      lw = opaque(opaque(th * th) * -0.5);
      d = opaque(sigma * th) + d;
    }
    var u = S + d;
    var x = opaque(x0 + u); // opaque: u = S + (b - x0) must not be folded
    if (x < 9.5367431640625e-7) { // 2^-20
      x = 9.5367431640625e-7;
      u = 9.5367431640625e-7 - x0;
    }
    var relS = -d;
    if (n > 0.0) { relS = opaque(n * bl_log1p(ftz(opaque(u * rx0)))) - d; }
    var lqS: f32;
    if (x > n) {
      let rx = xrecip(x);
      var t = 1.0;
      var r = 1.0;
      for (var k = 1u; f32(k) <= n && k < BAYES_MAX_TERMS; k++) {
        t = opaque(t * opaque((n - f32(k) + 1.0) * rx));
        r = r + t;
        if (t < opaque(r * 1.4901161193847656e-8)) { break; } // 2^-26
      }
      lqS = relS + xlog(r);
    } else {
      var t = 1.0;
      var r = 0.0;
      for (var k = 1u; k < BAYES_MAX_TERMS; k++) {
        t = opaque(t * opaque(x * xrecip(n + f32(k))));
        r = r + t;
        if (t < opaque(r * 1.4901161193847656e-8)) { break; }
      }
      let q = 1.0 - ftz(opaque(xexp((relS - S) + K) * r));
      lqS = (xlog(q) - K) + S;
    }
    let L = lw + lqS;
    let Lp = lw + relS;
    if (!first && L < m - 40.0 && L < prevL) { break; } // the rest adds < e^-40 (ref.ts)
    prevL = L;
    if (first || L > m) {
      var sc = 0.0;
      if (!first) { sc = xexp(m - L); }
      s = ftz(opaque(s * sc)) + 1.0;
      sp = ftz(opaque(sp * sc)) + xexp(Lp - L);
      m = L;
      first = false;
    } else {
      s = s + xexp(L - m);
      sp = sp + xexp(Lp - m);
    }
  }
  return vec2<f32>(m + xlog(s), ftz(xdiv(sp, s)));
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let l = item_index(gid, nwg);
  if (l >= P.item_count) { return; }
  let w = l * IN_WIN_STRIDE; // u32
  let n = in_win[w + BW_N];
  let b = in_win[w + BW_B];
  let sigma = in_win[w + BW_SIGMA];
  let K = in_win[w + BW_K];
  let x0 = select(select(1.0, n, n > 1.0), select(1.0, b, b > 1.0), b > n);
  let rx0 = xrecip(x0);
  var e = bl_eval(0.0, n, b, sigma, K, x0, rx0);
  let a0 = e.x;
  let la = xlog(P.alpha);
  var lo = 0.0;
  var hi = (n + 12.0) + opaque(6.0 * xsqrt(n + 1.0));
  e = bl_eval(hi, n, b, sigma, K, x0, rx0);
  var S = hi;
  var h = ((e.x - a0) - hi) - la;
  var dh = e.y;
  var st = BAYES_NO_CONVERGENCE;
  if (!(h < 0.0)) {
    st = BAYES_NO_BRACKET;
  } else {
    for (var it = 0u; it < BAYES_MAX_ITER; it++) {
      var c = lo;
      if (dh > 0.0) { c = S + xdiv(h, dh); }
      if (c == S) {
        st = BAYES_OK;
        break;
      }
      if (!(c > lo && c < hi)) { c = 0.5 * (lo + hi); }
      e = bl_eval(c, n, b, sigma, K, x0, rx0);
      let hc = ((e.x - a0) - c) - la;
      if (hc > 0.0) { lo = c; } else { hi = c; }
      let sd = select(S - c, c - S, c > S);
      S = c;
      h = hc;
      dh = e.y;
      if (!(sd > opaque(S * 7.62939453125e-6)) || !(hi - lo > opaque(hi * 7.62939453125e-6))) { // 2^-17
        st = BAYES_OK;
        break;
      }
    }
  }
  out_up[l] = S;
  out_status[l] = st;
}
