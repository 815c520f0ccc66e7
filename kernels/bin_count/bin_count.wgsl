// bin_count: item g (a chunk of events [g chunk, (g + 1) chunk)) counts its events per cell into
// its own row hist[g nc .. (g + 1) nc) (a scatter target: the buffer arrives zeroed and whole).
// Twin of kernels/bin_count/ref.ts.

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let l = item_index(gid, nwg);
  if (l >= P.item_count) { return; }
  let r = bc_chunk(P.item_offset + l); // u32
  for (var i = r.x; i < r.y; i++) {
    let k = r.z + bc_event(i).cell; // u32
    if (k < P.hist_words) { out_hist[k] = out_hist[k] + 1u; } // u32
  }
}
