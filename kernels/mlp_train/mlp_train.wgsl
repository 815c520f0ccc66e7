// MLP training steps, one network per invocation: twin of kernels/mlp_train/ref.ts (layout and the
// step in kernels/mlp_train/layout.ts). Every product that feeds a sum goes through opaque() (no
// FMA); every intermediate that can get tiny through ftz or a guard. The state (u32 words, f32 as
// bits) is updated in place in out_trained. guard, xtanh: kernels/lib/activation.wgsl.

var<private> h: array<f32, (MT_MAX_LAYERS + 1u) * MT_MAX_WIDTH>; // u32
var<private> d: array<f32, (MT_MAX_LAYERS + 1u) * MT_MAX_WIDTH>; // u32

fn dguard(v: f32) -> f32 {
  let c = clamp(v, -4294967296.0, 4294967296.0); // 2^32
  return select(c, 0.0, abs(v) < 9.094947017729282e-13); // 2^-40
}

fn wguard(v: f32) -> f32 {
  let c = clamp(v, -1099511627776.0, 1099511627776.0); // 2^40
  return select(c, 0.0, abs(v) < 9.094947017729282e-13);
}

fn sw(i: u32) -> f32 { return bitcast<f32>(out_trained[i]); }
fn sws(i: u32, v: f32) { out_trained[i] = bitcast<u32>(v); }

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let l = item_index(gid, nwg);
  if (l >= P.item_count) { return; }
  let s0 = l * OUT_TRAINED_STRIDE; // u32
  let np = in_state[l * IN_STATE_STRIDE + MT_S_P];
  let live = MT_HEADER + 3u * np; // u32
  for (var j = 0u; j < OUT_TRAINED_STRIDE; j++) {
    out_trained[s0 + j] = select(0u, in_state[l * IN_STATE_STRIDE + j], j < live);
  }
  let L = in_shape[MT_SH_LAYERS];
  let act = in_shape[MT_SH_ACT];
  let n0 = in_shape[MT_SH_WIDTHS];
  let mo = s0 + np; // u32
  let vo = s0 + 2u * np; // u32
  let go = s0 + 3u * np; // u32
  let lo = l * OUT_LOSS_STRIDE; // u32
  let plan0 = (P.item_offset + l) * P.steps * (P.batch + 1u); // u32
  for (var s = 0u; s < P.steps; s++) {
    let base = plan0 + s * (P.batch + 1u); // u32
    let n = in_plan[base];
    out_loss[lo + s] = 0.0;
    if (n == 0u) { continue; }
    for (var j = MT_HEADER; j < MT_HEADER + np; j++) { out_trained[go + j] = 0u; }
    var wsum = 0.0;
    var lsum = 0.0;
    for (var q = 0u; q < n; q++) {
      let r = in_plan[base + 1u + q];
      let y = in_yw[r * IN_YW_STRIDE];
      let w = in_yw[r * IN_YW_STRIDE + 1u];
      for (var i = 0u; i < n0; i++) { h[i] = in_x[r * n0 + i]; }
      var off = s0 + MT_HEADER;
      for (var k = 0u; k < L; k++) {
        let ni = in_shape[MT_SH_WIDTHS + k];
        let no = in_shape[MT_SH_WIDTHS + k + 1u];
        let bo = off + ni * no; // u32
        for (var o = 0u; o < no; o++) {
          var acc = sw(bo + o);
          let row = off + o * ni; // u32
          for (var i = 0u; i < ni; i++) { acc = acc + opaque(sw(row + i) * h[k * MT_MAX_WIDTH + i]); }
          let z = guard(acc);
          var v: f32;
          if (k == L - 1u) { v = xsigmoid(z); } else if (act == 1u) { v = select(0.0, z, z > 0.0); } else { v = xtanh(z); }
          h[(k + 1u) * MT_MAX_WIDTH + o] = guard(v);
        }
        off = bo + no;
      }
      let p = h[L * MT_MAX_WIDTH];
      wsum = wsum + w;
      let arg = select(1.0 - p, p, y > 0.5);
      lsum = lsum - opaque(w * xlog(select(1e-12, arg, arg > 1e-12)));
      d[L * MT_MAX_WIDTH] = dguard(opaque(w * (p - y)));
      for (var kk = 0u; kk < L; kk++) {
        let k = L - 1u - kk; // u32
        let ni = in_shape[MT_SH_WIDTHS + k];
        let no = in_shape[MT_SH_WIDTHS + k + 1u];
        off = off - (ni * no + no); // u32
        let bo = off + ni * no; // u32
        for (var o = 0u; o < no; o++) {
          let dd = d[(k + 1u) * MT_MAX_WIDTH + o];
          sws(go - s0 + bo + o, sw(go - s0 + bo + o) + dd);
          let row = go - s0 + off + o * ni; // u32
          for (var i = 0u; i < ni; i++) { sws(row + i, sw(row + i) + opaque(dd * h[k * MT_MAX_WIDTH + i])); }
        }
        if (k > 0u) {
          for (var i = 0u; i < ni; i++) {
            var sum = 0.0;
            for (var o = 0u; o < no; o++) { sum = sum + opaque(sw(off + o * ni + i) * d[(k + 1u) * MT_MAX_WIDTH + o]); }
            let hv = h[k * MT_MAX_WIDTH + i];
            let der = select(1.0 - opaque(hv * hv), select(0.0, 1.0, hv > 0.0), act == 1u);
            d[k * MT_MAX_WIDTH + i] = dguard(opaque(sum * der));
          }
        }
      }
    }
    out_loss[lo + s] = lsum;
    out_trained[s0 + MT_S_T] = out_trained[s0 + MT_S_T] + 1u;
    let b1t = ftz(opaque(sw(s0 + MT_S_B1T) * P.beta1));
    let b2t = ftz(opaque(sw(s0 + MT_S_B2T) * P.beta2));
    sws(s0 + MT_S_B1T, b1t);
    sws(s0 + MT_S_B2T, b2t);
    let rc1 = xrecip(1.0 - b1t);
    let rc2 = xrecip(1.0 - b2t);
    let inv = xrecip(wsum);
    var off = s0 + MT_HEADER;
    for (var k = 0u; k < L; k++) {
      let nw = in_shape[MT_SH_WIDTHS + k] * in_shape[MT_SH_WIDTHS + k + 1u]; // u32
      let nb = in_shape[MT_SH_WIDTHS + k + 1u];
      for (var j = off; j < off + nw + nb; j++) {
        let pj = sw(j);
        let decay = select(0.0, P.l2, j < off + nw);
        let gj = clamp(ftz(ftz(opaque(sw(go - s0 + j) * inv)) + ftz(opaque(decay * pj))), -1152921504606846976.0, 1152921504606846976.0); // 2^60
        let m = ftz(ftz(opaque(P.beta1 * sw(mo - s0 + j))) + ftz(opaque(P.ob1 * gj)));
        let v = ftz(ftz(opaque(P.beta2 * sw(vo - s0 + j))) + ftz(opaque(P.ob2 * ftz(opaque(gj * gj)))));
        sws(mo - s0 + j, m);
        sws(vo - s0 + j, v);
        let mh = ftz(opaque(m * rc1));
        let vh = ftz(opaque(v * rc2));
        let upd = xdiv(ftz(opaque(P.lr * mh)), xsqrt(vh) + P.eps);
        sws(j, wguard(pj - upd));
      }
      off = off + nw + nb;
    }
  }
  for (var s = P.steps; s < MT_MAX_STEPS; s++) { out_loss[lo + s] = 0.0; }
}
