// The WebGL2 twin of window_count.wgsl's membership test (GLSL ES 3.00).
// gpu.js natives (float arguments only: gpu.js parses their signatures)
// t = (dx*dx)*ia + (dy*dy)*ib <= 1, each op rounded to f32, products made opaque to FMA contraction
// by xor with the uniform zero z (as WGSL's opaque()).
float dsInside(float x, float y, float cx, float cy, float ia, float ib, float z) {
  uint zz = uint(z);
  float dx = x - cx;
  float dy = y - cy;
  float px = uintBitsToFloat(floatBitsToUint(dx * dx) ^ zz);
  float py = uintBitsToFloat(floatBitsToUint(dy * dy) ^ zz);
  float qx = uintBitsToFloat(floatBitsToUint(px * ia) ^ zz);
  float qy = uintBitsToFloat(floatBitsToUint(py * ib) ^ zz);
  return (qx + qy <= 1.0) ? 1.0 : 0.0;
}
