// The philox kernel's WebGL2 version (host/gpujs.ts): two threads per block, each returning two
// 32-bit words as four 16-bit halves (exact in f32). GLSL in philox.glsl.
import type { WebGl2Kernel } from '../types.js';
import glsl from './philox.glsl?raw';

declare function dsPhilox(...a: number[]): number[];

const halves = (w: number) => [w & 0xffff, w >>> 16];

export const philoxWebgl2: WebGl2Kernel = {
  glsl,
  threadsPerItem: 2,
  kernel: function (this: { thread: { x: number } }, ol: number, oh: number, k0l: number, k0h: number, k1l: number, k1h: number, c0l: number, c0h: number, c1l: number, c1h: number, c2l: number, c2h: number, c3l: number, c3h: number, fmt: number) {
    return dsPhilox(this.thread.x, ol, oh, k0l, k0h, k1l, k1h, c0l, c0h, c1l, c1h, c2l, c2h, c3l, c3h, fmt);
  },
  // params: [item_offset, item_count, opaque_zero, reserved, key0, key1, ctr0, ctr1, ctr2, ctr3, format]
  encode: (p) => [...halves(p[0]), ...halves(p[4]), ...halves(p[5]), ...halves(p[6]), ...halves(p[7]), ...halves(p[8]), ...halves(p[9]), p[10]],
  decode: (raw, [words], a, n) => {
    for (let i = 0; i < 4 * n; i++) words[4 * a + i] = (raw[2 * i] + raw[2 * i + 1] * 65536) >>> 0;
  },
};
