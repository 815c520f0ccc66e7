// window_count: per window (item), the number of events inside and the exact fixed-point sums of
// their weights and squared weights. Layout and membership rule: kernels/window_count/layout.ts.
// Sums are u32 words with explicit carries (WGSL has no 64-bit integers): order-independent.

fn add_carry(a: u32, b: u32) -> vec2<u32> {
  let s = a + b;
  return vec2<u32>(s, select(0u, 1u, s < a));
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let l = item_index(gid, nwg);
  if (l >= P.item_count) { return; }
  let o = IN_WIN_STRIDE * l; // u32
  let cx = bitcast<f32>(in_win[o + WIN_CX]);
  let cy = bitcast<f32>(in_win[o + WIN_CY]);
  let ia = bitcast<f32>(in_win[o + WIN_IAX2]);
  let ib = bitcast<f32>(in_win[o + WIN_IAY2]);
  let c0 = in_win[o + WIN_COL0];
  let c1 = in_win[o + WIN_COL1];
  let r0 = in_win[o + WIN_ROW0];
  let r1 = in_win[o + WIN_ROW1];
  var n = 0u;
  var w0 = 0u; var w1 = 0u;
  var q0 = 0u; var q1 = 0u; var q2 = 0u;
  if (c0 <= c1) {
    for (var r = r0; r <= r1; r++) {
      let a = in_cell_off[r * P.nx + c0];
      let b = in_cell_off[r * P.nx + c1 + 1u];
      for (var j = a; j < b; j++) {
        let dx = in_ev_x[j] - cx;
        let dy = in_ev_y[j] - cy;
        let t = opaque(opaque(dx * dx) * ia) + opaque(opaque(dy * dy) * ib);
        if (t <= 1.0) {
          n += 1u;
          if (P.weighted != 0u) {
            let w = in_ev_w[j];
            var s = add_carry(w0, w); w0 = s.x; w1 += s.y;
            // w^2 = lo16^2 + 2 lo16 hi8 2^16 + hi8^2 2^32, w < 2^24.
            let lo = w & 0xffffu;
            let hi = w >> 16u;
            let m = 2u * lo * hi; // u32
            s = add_carry(q0, lo * lo); q0 = s.x; var c = s.y; // u32
            s = add_carry(q0, m << 16u); q0 = s.x; c += s.y;
            s = add_carry(q1, c + (m >> 16u) + hi * hi); q1 = s.x; q2 += s.y; // u32
          }
        }
      }
    }
  }
  let p = OUT_SUMS_STRIDE * l; // u32
  out_sums[p + SUM_N] = n;
  out_sums[p + SUM_W_LO] = w0;
  out_sums[p + SUM_W_HI] = w1;
  out_sums[p + SUM_W2_LO] = q0;
  out_sums[p + SUM_W2_MID] = q1;
  out_sums[p + SUM_W2_HI] = q2;
}
