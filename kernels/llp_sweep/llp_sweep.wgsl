// LLP lifetime sweep: twin of kernels/llp_sweep/ref.ts (see there for the formulas and layout).

fn llp_split96(v: f32) -> vec3<u32> {
  if (!(v >= 1.0)) { return vec3<u32>(0u, 0u, 0u); }
  let h = floor(opaque(v * bitcast<f32>(0x1f800000u)));
  let r = v - opaque(h * bitcast<f32>(0x5f800000u));
  let m = floor(opaque(r * bitcast<f32>(0x2f800000u)));
  let lo = floor(r - opaque(m * bitcast<f32>(0x4f800000u)));
  return vec3<u32>(u32(lo), u32(m), u32(h));
}

fn llp_add96(a: vec3<u32>, x: vec3<u32>) -> vec3<u32> {
  let s0 = a.x + x.x;
  let c0 = select(0u, 1u, s0 < x.x);
  let t1 = a.y + x.y;
  var c1 = select(0u, 1u, t1 < x.y);
  let s1 = t1 + c0;
  c1 = select(c1, 1u, s1 < c0);
  return vec3<u32>(s0, s1, a.z + x.z + c1);
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let l = item_index(gid, nwg);
  if (l >= P.item_count) { return; }
  let i = P.item_offset + l;
  let nl = P.n_life;
  let g = i / nl;
  let j = i - g * nl; // u32
  let start = in_grp_range[IN_GRP_RANGE_STRIDE * g + RANGE_START];
  let end = in_grp_range[IN_GRP_RANGE_STRIDE * g + RANGE_END];
  let mlo = in_grp_win[IN_GRP_WIN_STRIDE * g + WIN_MRED_LO];
  let mhi = in_grp_win[IN_GRP_WIN_STRIDE * g + WIN_MRED_HI];
  let llo = in_grp_win[IN_GRP_WIN_STRIDE * g + WIN_LXY_LO];
  let lhi = in_grp_win[IN_GRP_WIN_STRIDE * g + WIN_LXY_HI];
  let rate = in_life[LIFE_RATE * nl + j];
  let ratio = in_life[LIFE_RATIO * nl + j];
  let sw = in_life[LIFE_SCALE_W * nl + j];
  let sw2 = in_life[LIFE_SCALE_W2 * nl + j];
  var a = vec3<u32>(0u, 0u, 0u);
  var b = vec3<u32>(0u, 0u, 0u);
  var count = 0u;
  for (var k = start; k < end; k = k + 1u) {
    let m = in_mred[k];
    let d = in_lxy[k];
    if (!(m >= mlo && m < mhi && d >= llo && d < lhi)) { continue; }
    count = count + 1u;
    let e = xexp(opaque(in_ct[k] * rate));
    let w = ftz(opaque(ftz(opaque(ratio * e)) * in_gw[k]));
    a = llp_add96(a, llp_split96(opaque(w * sw)));
    b = llp_add96(b, llp_split96(opaque(ftz(opaque(w * w)) * sw2)));
  }
  let o = OUT_ACC_STRIDE * l; // u32
  out_acc[o + ACC_W + LIMB_LO] = a.x;
  out_acc[o + ACC_W + LIMB_MID] = a.y;
  out_acc[o + ACC_W + LIMB_HI] = a.z;
  out_acc[o + ACC_W2 + LIMB_LO] = b.x;
  out_acc[o + ACC_W2 + LIMB_MID] = b.y;
  out_acc[o + ACC_W2 + LIMB_HI] = b.z;
  out_acc[o + ACC_COUNT] = count;
  out_acc[o + ACC_ZERO] = 0u;
}
