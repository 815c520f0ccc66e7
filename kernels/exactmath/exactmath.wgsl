@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let l = item_index(gid, nwg);
  if (l >= P.item_count) { return; }
  let x = in_x[l];
  let y = in_y[l];
  out_r[OUT_R_STRIDE * l]      = bitcast<u32>(xexp(x));
  out_r[OUT_R_STRIDE * l + 1u] = bitcast<u32>(xlog(abs(x)));
  out_r[OUT_R_STRIDE * l + 2u] = bitcast<u32>(xsqrt(abs(x)));
  out_r[OUT_R_STRIDE * l + 3u] = bitcast<u32>(xrecip(x));
  out_r[OUT_R_STRIDE * l + 4u] = bitcast<u32>(xdiv(x, y));
}
