// MLP inference, one event per invocation: twin of kernels/mlp/ref.ts (layout and operation order
// in kernels/mlp/layout.ts). Every product that feeds a sum goes through opaque() (no FMA).
// The layout's offsets (MLP_H_*, MLP_L_*, MLP_HEADER_WORDS, MLP_LAYER_WORDS, MLP_MAX_WIDTH) are
// WGSL consts the host generates from kernels/mlp/layout.ts (desc.constants): none is spelled here.
// guard, xtanh, xsigmoid, activate: kernels/lib/activation.wgsl.

fn netf(i: u32) -> f32 { return bitcast<f32>(in_net[i]); }

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let l = item_index(gid, nwg);
  if (l >= P.item_count) { return; }
  var hb: array<f32, 2u * MLP_MAX_WIDTH>; // two halves: the layer's input and output
  let n_in = in_net[MLP_H_N_IN];
  let nl = in_net[MLP_H_N_LAYERS];
  let table = in_net[MLP_H_TABLE];
  let base = (P.item_offset + l) * n_in; // u32
  for (var i = 0u; i < n_in; i++) {
    let d = guard(guard(in_x[base + i]) - netf(MLP_HEADER_WORDS + i));
    hb[i] = guard(guard(opaque(d * netf(MLP_HEADER_WORDS + n_in + i))) + netf(MLP_HEADER_WORDS + 2u * n_in + i));
  }
  var cur = 0u;
  for (var k = 0u; k < nl; k++) {
    let t = table + MLP_LAYER_WORDS * k; // u32
    let ni = in_net[t + MLP_L_N_IN];
    let no = in_net[t + MLP_L_N_OUT];
    let act = in_net[t + MLP_L_ACT];
    let alpha = netf(t + MLP_L_ALPHA);
    let w = in_net[t + MLP_L_W];
    let b = in_net[t + MLP_L_B];
    let nxt = MLP_MAX_WIDTH - cur;
    for (var o = 0u; o < no; o++) {
      var acc = netf(b + o);
      let row = w + o * ni; // u32
      for (var i = 0u; i < ni; i++) { acc = acc + opaque(netf(row + i) * hb[cur + i]); }
      hb[nxt + o] = guard(acc);
    }
    if (act == 5u) {
      var m = hb[nxt];
      for (var o = 1u; o < no; o++) { m = max(m, hb[nxt + o]); }
      var s = 0.0;
      for (var o = 0u; o < no; o++) {
        let e = xexp(hb[nxt + o] - m);
        hb[nxt + o] = e;
        s = s + e;
      }
      let r = xrecip(s);
      for (var o = 0u; o < no; o++) { hb[nxt + o] = guard(ftz(opaque(hb[nxt + o] * r))); }
    } else {
      for (var o = 0u; o < no; o++) { hb[nxt + o] = guard(activate(act, alpha, hb[nxt + o])); }
    }
    cur = nxt;
  }
  out_score[l] = hb[cur + in_net[MLP_H_SCORE]];
}
