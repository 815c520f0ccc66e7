// bin_cells: per event, quantised coordinates and binning cell. Twin of kernels/bin_cells/ref.ts
// (quantiseF32, cellOf): powers of two, floor, comparisons, one subtraction and one product.

fn bc_quantise(v: f32) -> f32 {
  let t = opaque(v * 16777216.0); // a power of two: exact
  if (abs(t) >= 8388608.0) { return v; }
  let f = floor(t);
  var k = f;
  if (t >= f + 0.5) { k = f + 1.0; }
  if (k == 0.0) { return bitcast<f32>(bitcast<u32>(v) & 0x80000000u); } // u32
  return opaque(k * 5.9604644775390625e-8); // 2^-24: exact
}

fn bc_cell(q: f32, q0: f32, s: f32, n: u32) -> u32 {
  let t = opaque((q - q0) * s);
  return u32(clamp(floor(t), 0.0, f32(n - 1u)));
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let l = item_index(gid, nwg);
  if (l >= P.item_count) { return; }
  let qx = bc_quantise(in_x[l]);
  var qy = 0.0;
  var row = 0u;
  if (P.two_d == 1u) {
    qy = bc_quantise(in_y[l]);
    row = bc_cell(qy, P.y0, P.sy, P.ny);
  }
  out_qx[l] = qx;
  out_qy[l] = qy;
  out_cell[l] = row * P.nx + bc_cell(qx, P.x0, P.sx, P.nx); // u32
}
