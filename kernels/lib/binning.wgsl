// The scan binning's per-event functions, twins of kernels/lib/binning.ts (quantiseF32, cellOf):
// powers of two, floor, comparisons, one subtraction and one product. bc_event reads the
// kernel's in_x / in_y and params (x0, y0, sx, sy, nx, ny, two_d: bin_count, bin_scatter).

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

struct BcEvent { qx: f32, qy: f32, cell: u32 }

fn bc_event(i: u32) -> BcEvent {
  var e: BcEvent;
  e.qx = bc_quantise(in_x[i]);
  e.qy = 0.0;
  var row = 0u;
  if (P.two_d == 1u) {
    e.qy = bc_quantise(in_y[i]);
    row = bc_cell(e.qy, P.y0, P.sy, P.ny);
  }
  e.cell = row * P.nx + bc_cell(e.qx, P.x0, P.sx, P.nx); // u32
  return e;
}

// Item g's events [g chunk, min(n_events, (g + 1) chunk)) (x, y) and its row of cells from g nc (z).
fn bc_chunk(g: u32) -> vec3<u32> {
  let a = g * P.chunk; // u32
  return vec3<u32>(a, min(P.n_events, a + P.chunk), g * P.nx * P.ny); // u32
}
