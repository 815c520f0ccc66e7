// event_blocks: block k % per_event of event first + k / per_event (Philox4x32-10, counter
// (event, block, 0, 0)). Twin of kernels/event_blocks/ref.ts.

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) nwg: vec3<u32>) {
  let l = item_index(gid, nwg);
  if (l >= P.item_count) { return; }
  let k = P.item_offset + l;
  let r = philox4x32_10(vec4<u32>(P.first + k / P.per_event, k % P.per_event, 0u, 0u), vec2<u32>(P.key0, P.key1));
  out_words[OUT_WORDS_STRIDE * l]      = r.x;
  out_words[OUT_WORDS_STRIDE * l + 1u] = r.y;
  out_words[OUT_WORDS_STRIDE * l + 2u] = r.z;
  out_words[OUT_WORDS_STRIDE * l + 3u] = r.w;
}
