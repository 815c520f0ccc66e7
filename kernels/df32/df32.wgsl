// Probe of kernels/lib/df32.wgsl: twin of kernels/df32/ref.ts (op i on item operands a, b).

fn df32_op(i: u32, a: vec2<f32>, b: vec2<f32>) -> vec2<f32> {
  switch i {
    case 0u: { return two_sum(a.x, b.x); }
    case 1u: {
      if (abs(a.x) >= abs(b.x)) { return fast_two_sum(a.x, b.x); }
      return fast_two_sum(b.x, a.x);
    }
    case 2u: { return two_prod(a.x, b.x); }
    case 3u: { return df_add(a, b); }
    case 4u: { return df_sub(a, b); }
    case 5u: { return df_add_f(a, b.x); }
    case 6u: { return df_mul(a, b); }
    case 7u: { return df_mul_f(a, b.x); }
    case 8u: { return df_div(a, b); }
    case 9u: {
      if (a.x < 0.0) { return df_log(df_neg(a)); }
      return df_log(a);
    }
    case 10u: { return df_exp(a); }
    case 11u: { return df_acc_value(df_acc_add(df_acc_add(df_acc_add(df_acc_add(vec2<f32>(0.0, 0.0), a.x), b.x), a.y), b.y)); }
    default: { return df_split(a.x); }
  }
}

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let l = item_index(gid, nwg);
  if (l >= P.item_count) { return; }
  let p = IN_AB_STRIDE * l; // u32
  let a = vec2<f32>(in_ab[p + DF_A_HI], in_ab[p + DF_A_LO]);
  let b = vec2<f32>(in_ab[p + DF_B_HI], in_ab[p + DF_B_LO]);
  let o = OUT_R_STRIDE * l; // u32
  for (var i = 0u; i < DF_VALUE_OPS; i++) {
    var r = vec2<u32>(0u, 0u);
    if (((P.ops >> i) & 1u) != 0u) { r = bitcast<vec2<u32>>(df32_op(i, a, b)); }
    out_r[o + DF_OUT_OP_WORDS * i + DF_OUT_HI] = r.x;
    out_r[o + DF_OUT_OP_WORDS * i + DF_OUT_LO] = r.y;
  }
  var lt = vec2<u32>(0u, 0u);
  if (((P.ops >> DF_OP_LT) & 1u) != 0u) { lt = vec2<u32>(select(0u, 1u, df_lt(a, b)), select(0u, 1u, df_lt(b, a))); }
  out_r[o + DF_OUT_LT_AB] = lt.x;
  out_r[o + DF_OUT_LT_BA] = lt.y;
}
