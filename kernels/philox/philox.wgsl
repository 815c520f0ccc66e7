@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let l = item_index(gid, nwg);
  if (l >= P.item_count) { return; }
  let ctr = vec4<u32>(P.ctr0 + P.item_offset + l, P.ctr1, P.ctr2, P.ctr3);
  let r = philox4x32_10(ctr, vec2<u32>(P.key0, P.key1));
  if (P.format == 1u) {
    out_words[OUT_WORDS_STRIDE * l]      = bitcast<u32>(philox_uniform(r.x));
    out_words[OUT_WORDS_STRIDE * l + 1u] = bitcast<u32>(philox_uniform(r.y));
    out_words[OUT_WORDS_STRIDE * l + 2u] = bitcast<u32>(philox_uniform(r.z));
    out_words[OUT_WORDS_STRIDE * l + 3u] = bitcast<u32>(philox_uniform(r.w));
  } else {
    out_words[OUT_WORDS_STRIDE * l]      = r.x;
    out_words[OUT_WORDS_STRIDE * l + 1u] = r.y;
    out_words[OUT_WORDS_STRIDE * l + 2u] = r.z;
    out_words[OUT_WORDS_STRIDE * l + 3u] = r.w;
  }
}
