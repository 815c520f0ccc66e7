// bin_scatter: item g (a chunk of events) places its events in cell order (a stable counting
// sort): its cursor row starts at start's row g (each cell's first slot for this chunk: the
// cells before it, then the earlier chunks' events in it); in event order each event takes its
// cell's next slot. The slots of different items are disjoint. Twin of kernels/bin_scatter/ref.ts.

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let l = item_index(gid, nwg);
  if (l >= P.item_count) { return; }
  let r = bc_chunk(P.item_offset + l); // u32
  let base = r.z;
  let nc = P.nx * P.ny; // u32
  if (base + nc > P.hist_words) { return; } // u32
  for (var c = 0u; c < nc; c++) { out_cursor[base + c] = in_start[base + c]; } // u32
  for (var i = r.x; i < r.y; i++) {
    let e = bc_event(i);
    let j = out_cursor[base + e.cell]; // u32
    out_cursor[base + e.cell] = j + 1u; // u32
    if (j < P.n_events) {
      out_ev_x[j] = e.qx;
      out_ev_y[j] = e.qy;
      if (j < P.order_words) { out_order[j] = i; }
    }
  }
}
