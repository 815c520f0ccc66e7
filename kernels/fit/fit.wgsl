// Maximum-likelihood fits of binned HistFactory likelihoods, one fit per item: twin of
// kernels/fit/ref.ts. The fit body is kernels/fit/fit_core.wgsl (shared with the toyfit kernel);
// this entry reads the item, the data blocks from the shared `data` input, and writes the results.

fn fit_data(i: u32) -> f32 { return in_data[i]; }

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let l = item_index(gid, nwg);
  if (l >= P.item_count) { return; }
  let it = IN_ITEMS_STRIDE * l; // u32
  fit_one(in_items[it + ITEM_MODEL], in_items[it + ITEM_DATA], in_items[it + ITEM_MODE], bitcast<f32>(in_items[it + ITEM_POI]), P.max_iter, 0u);
  let np = in_model[in_items[it + ITEM_MODEL] + MODEL_NPARAMS];
  for (var p = 0u; p < MAXP; p++) { out_pars[OUT_PARS_STRIDE * l + p] = select(0.0, f_th[p], p < np); } // u32
  out_deviance[OUT_DEVIANCE_STRIDE * l] = f_dev.x;
  out_deviance[OUT_DEVIANCE_STRIDE * l + 1u] = f_dev.y;
  out_info[OUT_INFO_STRIDE * l] = f_iters;
  out_info[OUT_INFO_STRIDE * l + 1u] = f_status;
}
