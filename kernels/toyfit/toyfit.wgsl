// Toys with fits, one toy per item: twin of kernels/toyfit/ref.ts (its DESIGN block). The toy's
// data block lives in a private array read by the shared fit body (kernels/fit/fit_core.wgsl)
// through fit_data(). Needs philox_lib, exactmath, sampling, df32, deviance, fit_core.

var<private> t_data: array<f32, MAXD>;

fn fit_data(i: u32) -> f32 { return t_data[i]; }

fn sample_toy(m: u32, g: u32, key: vec2<u32>, t: u32) {
  let nb = in_model[m + MODEL_NBINS];
  let nG = in_model[m + MODEL_NGAUSS];
  let nQ = in_model[m + MODEL_NPOIS];
  let c = m + in_model[m + MODEL_CONS_OFF];
  for (var i = 0u; i < nb; i++) {
    rs_init(key, i, t, 0u);
    t_data[i] = rs_poisson(in_gen[g + i]);
  }
  for (var i = 0u; i < nG; i++) {
    let sigma = xsqrt(xrecip(mf(c + CONS_WORDS * i + CONS_VALUE))); // u32
    rs_init(key, nb + i, t, 0u);
    t_data[nb + i] = ftz(in_gen[g + nb + i] + opaque(sigma * rs_normal()));
  }
  for (var i = 0u; i < nQ; i++) {
    rs_init(key, nb + nG + i, t, 0u);
    t_data[nb + nG + i] = rs_poisson(in_gen[g + nb + nG + i]);
  }
}

fn test_stat(stat: u32, mu: f32, muhat: f32, cond: vec2<f32>, free: vec2<f32>) -> f32 {
  if (muhat == mu) { return 0.0; }
  let d = df_sub(cond, free);
  let t = select(0.0, d.x, d.x > 0.0);
  if (stat == STAT_Q0) { return select(t, 0.0, muhat < 0.0); }
  return select(t, 0.0, muhat > mu);
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let l = item_index(gid, nwg);
  if (l >= P.item_count) { return; }
  let a = P.item_offset + l; // u32
  let s = a / P.toys; // u32
  let t = P.toy0 + (a - s * P.toys); // u32
  let r = IN_SETS_STRIDE * s; // u32
  let m = in_sets[r + SET_MODEL];
  let mu = bitcast<f32>(in_sets[r + SET_MU]);
  sample_toy(m, in_sets[r + SET_GEN], vec2<u32>(in_sets[r + SET_KEY0], in_sets[r + SET_KEY1]), t);
  fit_one(m, 0u, POI_FIXED, mu, P.max_iter, 0u);
  let cond = f_dev;
  let c_it = f_iters;
  let c_st = f_status;
  fit_one(m, 0u, POI_FREE, 0.0, P.max_iter, 1u); // warm: from the conditional fit
  let muhat = f_th[in_model[m + MODEL_POI]];
  out_q[l] = test_stat(P.stat, mu, muhat, cond, f_dev);
  out_muhat[l] = muhat;
  out_status[l] = select(0u, TOY_COND_MAXITER, c_st == 0u) | select(0u, TOY_FREE_MAXITER, f_status == 0u);
  out_iters[OUT_ITERS_STRIDE * l] = c_it;
  out_iters[OUT_ITERS_STRIDE * l + 1u] = f_iters;
}
