// bin_range: item g (a chunk of events) writes the smallest and largest ordered keys of its x and
// y f32 bits (integer operations only). Twin of kernels/bin_range/ref.ts.

fn f32_key(b: u32) -> u32 {
  return b ^ select(0x80000000u, 0xffffffffu, (b >> 31u) == 1u); // u32
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let l = item_index(gid, nwg);
  if (l >= P.item_count) { return; }
  let a = (P.item_offset + l) * P.chunk; // u32
  let b = min(P.n_events, a + P.chunk); // u32
  var r = vec4<u32>(0xffffffffu, 0u, 0xffffffffu, 0u);
  for (var i = a; i < b; i++) {
    let k = f32_key(in_x[i]);
    r.x = min(r.x, k); r.y = max(r.y, k); // u32
    if (P.two_d == 1u) {
      let ky = f32_key(in_y[i]);
      r.z = min(r.z, ky); r.w = max(r.w, ky); // u32
    }
  }
  let o = OUT_RANGE_STRIDE * l; // u32
  out_range[o] = r.x;
  out_range[o + 1u] = r.y;
  out_range[o + 2u] = r.z;
  out_range[o + 3u] = r.w;
}
