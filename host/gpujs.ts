// The WebGL2 backend (browser only, through gpu.js: https://gpu.rocks), for pages where
// navigator.gpu is missing. It runs the kernels it knows (`GPUJS_KERNELS`) and returns the same
// bits as the others:
// - gpu.js textures hold f32, so every value crossing the CPU/GPU boundary is either a float the
//   kernel already treats as f32 (quantised coordinates, window centres and 1/a^2), or an integer
//   below 2^24 (cell offsets, fixed-point weights, counts, 16- or 24-bit limbs), exact in f32;
// - integer work that needs 32 bits (Philox) runs in injected GLSL ES 3.00 `uint` code, which
//   wraps mod 2^32 (GLSL ES 3.00 spec, section 4.1.3 / 5.9);
// - f32 products that feed a sum go through ds_opaque() (xor with a uniform zero), as WGSL's
//   opaque(), so that no driver fuses them into an FMA (kernels/README.md);
// - weight sums are exact: base-2^12 limbs held in f32, carried after every addition.
// Kernels it does not know run on the `fallback` backend (WASM workers on the page).
import { GPU } from 'gpu.js';
import type { KernelArgs, KernelDesc, KernelOutputs } from '../kernels/types.js';
import { inputWords, packParams, validateArgs } from '../kernels/types.js';
import { allocOutputs, type Backend, type BackendInfo } from './backend.js';
import { bitsToF32 } from '../kernels/bits.js';

export class GpuJsUnavailableError extends Error {
  constructor(reason: string) {
    super(`webgl2 backend unavailable: ${reason}`);
    this.name = 'GpuJsUnavailableError';
  }
}

/** Kernels with a gpu.js twin. */
export const GPUJS_KERNELS = ['philox', 'window_count'] as const;

// Largest item count per draw call: thread indices stay exact in f32 (< 2^24) and every limb too.
const MAX_ITEMS = 1 << 22;

// GLSL ES 3.00, injected before the translated kernel: Philox4x32-10 on uint (as kernels/philox/ref.ts).
const GLSL_LIB = `
uint ds_mulhi(uint a, uint b) {
  uint a0 = a & 0xffffu, a1 = a >> 16u, b0 = b & 0xffffu, b1 = b >> 16u;
  uint p01 = a0 * b1, p10 = a1 * b0;
  uint mid = ((a0 * b0) >> 16u) + (p01 & 0xffffu) + (p10 & 0xffffu);
  return a1 * b1 + (p01 >> 16u) + (p10 >> 16u) + (mid >> 16u);
}
uvec4 ds_philox10(uvec4 c, uvec2 k) {
  for (int r = 0; r < 10; r++) {
    if (r > 0) { k.x += 0x9e3779b9u; k.y += 0xbb67ae85u; }
    uint hi0 = ds_mulhi(0xd2511f53u, c.x), lo0 = 0xd2511f53u * c.x;
    uint hi1 = ds_mulhi(0xcd9e8d57u, c.z), lo1 = 0xcd9e8d57u * c.z;
    c = uvec4(hi1 ^ c.y ^ k.x, lo1, hi0 ^ c.w ^ k.y, lo0);
  }
  return c;
}
uint ds_u32(float lo, float hi) { return uint(lo) | (uint(hi) << 16u); }
uint ds_uniform_bits(uint x) { return floatBitsToUint(float(x >> 8u) * 5.9604644775390625e-8); }
vec2 ds_halves(uint x) { return vec2(float(x & 0xffffu), float(x >> 16u)); }
`;

// Native functions (float arguments only: gpu.js parses their signatures).
const GLSL_PHILOX = `vec4 dsPhilox(float t, float offLo, float offHi, float k0l, float k0h, float k1l, float k1h, float c0l, float c0h, float c1l, float c1h, float c2l, float c2h, float c3l, float c3h, float fmt) {
  uint ti = uint(t);
  uint l = ti >> 1u;
  uvec4 c = uvec4(ds_u32(c0l, c0h) + ds_u32(offLo, offHi) + l, ds_u32(c1l, c1h), ds_u32(c2l, c2h), ds_u32(c3l, c3h));
  uvec4 r = ds_philox10(c, uvec2(ds_u32(k0l, k0h), ds_u32(k1l, k1h)));
  if (fmt > 0.5) r = uvec4(ds_uniform_bits(r.x), ds_uniform_bits(r.y), ds_uniform_bits(r.z), ds_uniform_bits(r.w));
  if ((ti & 1u) == 0u) return vec4(ds_halves(r.x), ds_halves(r.y));
  return vec4(ds_halves(r.z), ds_halves(r.w));
}`;

// Membership, as kernels/window_count/window_count.wgsl: t = (dx*dx)*ia + (dy*dy)*ib <= 1, each op
// rounded to f32, products made opaque to FMA contraction by xor with the uniform zero z.
const GLSL_INSIDE = `float dsInside(float x, float y, float cx, float cy, float ia, float ib, float z) {
  uint zz = uint(z);
  float dx = x - cx;
  float dy = y - cy;
  float px = uintBitsToFloat(floatBitsToUint(dx * dx) ^ zz);
  float py = uintBitsToFloat(floatBitsToUint(dy * dy) ^ zz);
  float qx = uintBitsToFloat(floatBitsToUint(px * ia) ^ zz);
  float qy = uintBitsToFloat(floatBitsToUint(py * ib) ^ zz);
  return (qx + qy <= 1.0) ? 1.0 : 0.0;
}`;

/* The window-count kernel in gpu.js's JavaScript subset (translated to GLSL). Two threads per
   window: part 0 returns [n, sum_w lo24, sum_w hi24, 0], part 1 [sum_w2 limbs 0..2 of 24 bits, 0].
   Weights w < 2^24 are split as w = wh 2^12 + wl; sums are held in base-2^12 limbs (a*, q*),
   each < 2^24 after every carry, so every f32 operation below is exact. */
function windowCountKernel(
  this: { thread: { x: number }; constants: { loopMax: number } },
  win: number[], ex: number[], ey: number[], ew: number[], off: number[], nx: number, weighted: number, z: number,
): number[] {
  const t = this.thread.x;
  const l = Math.floor(t / 2);
  const part = t - l * 2;
  const o = l * 8;
  const cx = win[o], cy = win[o + 1], ia = win[o + 2], ib = win[o + 3];
  const c0 = win[o + 4], c1 = win[o + 5], r0 = win[o + 6], r1 = win[o + 7];
  let n = 0;
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  let q0 = 0, q1 = 0, q2 = 0, q3 = 0, q4 = 0, q5 = 0;
  if (c0 <= c1) {
    for (let r = r0; r <= r1; r++) {
      const ja = off[r * nx + c0];
      const jb = off[r * nx + c1 + 1];
      for (let j = ja; j < jb; j++) {
        if (dsInside(ex[j], ey[j], cx, cy, ia, ib, z) > 0.5) {
          n = n + 1;
          if (weighted > 0.5) {
            const w = ew[j];
            const wh = Math.floor(w / 4096);
            const wl = w - wh * 4096;
            // sum_w += w (limbs a0..a3)
            a0 = a0 + wl;
            let c = Math.floor(a0 / 4096); a0 = a0 - c * 4096; a1 = a1 + wh + c;
            c = Math.floor(a1 / 4096); a1 = a1 - c * 4096; a2 = a2 + c;
            c = Math.floor(a2 / 4096); a2 = a2 - c * 4096; a3 = a3 + c;
            // sum_w2 += wl^2 + 2 wl wh 2^12 + wh^2 2^24 (limbs q0..q5)
            q0 = q0 + wl * wl;
            c = Math.floor(q0 / 4096); q0 = q0 - c * 4096; q1 = q1 + c + wl * wh;
            c = Math.floor(q1 / 4096); q1 = q1 - c * 4096; q2 = q2 + c;
            q1 = q1 + wl * wh;
            c = Math.floor(q1 / 4096); q1 = q1 - c * 4096; q2 = q2 + c + wh * wh;
            c = Math.floor(q2 / 4096); q2 = q2 - c * 4096; q3 = q3 + c;
            c = Math.floor(q3 / 4096); q3 = q3 - c * 4096; q4 = q4 + c;
            c = Math.floor(q4 / 4096); q4 = q4 - c * 4096; q5 = q5 + c;
          }
        }
      }
    }
  }
  if (part < 0.5) return [n, a0 + a1 * 4096, a2 + a3 * 4096, 0];
  return [q0 + q1 * 4096, q2 + q3 * 4096, q4 + q5 * 4096, 0];
}
declare function dsInside(x: number, y: number, cx: number, cy: number, ia: number, ib: number, z: number): number;


type AnyKernel = ((...a: unknown[]) => unknown) & {
  setOutput(o: number[]): AnyKernel;
  renderRawOutput(): Float32Array;
  texSize: [number, number];
};

interface GpuJs {
  createKernel(fn: unknown, settings: Record<string, unknown>): AnyKernel;
  addNativeFunction(name: string, source: string, settings?: Record<string, unknown>): GpuJs;
  injectNative(source: string): GpuJs;
  destroy(): Promise<void>;
  readonly mode: string;
  readonly context?: WebGL2RenderingContext;
}

export class GpuJsBackend {
  readonly name = 'webgl2' as const;
  private readonly kernels = new Map<string, AnyKernel>();
  /** Items computed here, per kernel (reported in info(): proof of what ran on WebGL2). */
  private readonly items: Record<string, number> = {};
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(private readonly gpu: GpuJs, private readonly glInfo: Record<string, unknown>) {}

  static async create(): Promise<GpuJsBackend> {
    const G = GPU as unknown as { isWebGL2Supported: boolean; new (s: Record<string, unknown>): GpuJs };
    if (typeof document === 'undefined') throw new GpuJsUnavailableError('needs a browser page (WebGL2 through gpu.js)');
    const canvas = document.createElement('canvas');
    const gl = canvas.getContext('webgl2', { premultipliedAlpha: false, antialias: false, preserveDrawingBuffer: false });
    if (!gl) throw new GpuJsUnavailableError('this browser gives no WebGL2 context');
    if (!gl.getExtension('EXT_color_buffer_float')) throw new GpuJsUnavailableError('WebGL2 without EXT_color_buffer_float (float render targets)');
    const hi = gl.getShaderPrecisionFormat(gl.FRAGMENT_SHADER, gl.HIGH_INT);
    if (!hi || hi.rangeMin < 31) throw new GpuJsUnavailableError('fragment shaders lack 32-bit highp integers');
    const dbg = gl.getExtension('WEBGL_debug_renderer_info');
    const info = {
      api: 'WebGL2 via gpu.js',
      vendor: dbg ? gl.getParameter(dbg.UNMASKED_VENDOR_WEBGL) : gl.getParameter(gl.VENDOR),
      renderer: dbg ? gl.getParameter(dbg.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER),
      version: gl.getParameter(gl.VERSION),
      glsl: gl.getParameter(gl.SHADING_LANGUAGE_VERSION),
      maxTextureSize: gl.getParameter(gl.MAX_TEXTURE_SIZE),
      kernels: [...GPUJS_KERNELS],
    };
    void G;
    const gpu = new G({ mode: 'webgl2', canvas, context: gl });
    gpu.injectNative(GLSL_LIB);
    gpu.addNativeFunction('dsPhilox', GLSL_PHILOX, { returnType: 'Array(4)' });
    gpu.addNativeFunction('dsInside', GLSL_INSIDE, { returnType: 'Number' });
    return new GpuJsBackend(gpu, info);
  }

  supports(desc: KernelDesc): boolean {
    return (GPUJS_KERNELS as readonly string[]).includes(desc.name);
  }

  info(): BackendInfo {
    return { name: 'webgl2' as BackendInfo['name'], available: true, details: { ...this.glInfo, items_computed: { ...this.items } } };
  }

  run(desc: KernelDesc, args: KernelArgs): Promise<KernelOutputs> {
    const job = this.queue.then(() => this.runNow(desc, args));
    this.queue = job.catch(() => undefined);
    return job;
  }

  private kernel(name: string, make: () => AnyKernel): AnyKernel {
    let k = this.kernels.get(name);
    if (!k) this.kernels.set(name, (k = make()));
    return k;
  }

  private async runNow(desc: KernelDesc, args: KernelArgs): Promise<KernelOutputs> {
    validateArgs(desc, args);
    if (!this.supports(desc)) throw new Error(`webgl2 (gpu.js) backend has no kernel '${desc.name}' (it has ${GPUJS_KERNELS.join(', ')})`);
    const out = allocOutputs(desc, args.count);
    for (let a = 0; a < args.count; a += MAX_ITEMS) {
      args.signal?.throwIfAborted();
      const n = Math.min(MAX_ITEMS, args.count - a);
      if (desc.name === 'philox') this.philox(desc, args, a, n, out.words);
      else this.windowCount(desc, args, a, n, out.sums);
      this.items[desc.name] = (this.items[desc.name] ?? 0) + n;
      await new Promise((r) => setTimeout(r, 0)); // let the page paint between draw calls
    }
    return out;
  }

  private philox(desc: KernelDesc, args: KernelArgs, a: number, n: number, dst: Uint32Array): void {
    const p = packParams(desc, args, (args.itemOffset ?? 0) + a, n);
    const h = (w: number) => [w & 0xffff, w >>> 16];
    const k = this.kernel('philox', () =>
      this.gpu.createKernel(
        function (this: { thread: { x: number } }, ol: number, oh: number, k0l: number, k0h: number, k1l: number, k1h: number, c0l: number, c0h: number, c1l: number, c1h: number, c2l: number, c2h: number, c3l: number, c3h: number, fmt: number) {
          return dsPhilox(this.thread.x, ol, oh, k0l, k0h, k1l, k1h, c0l, c0h, c1l, c1h, c2l, c2h, c3l, c3h, fmt);
        },
        { output: [2], returnType: 'Array(4)', precision: 'single', pipeline: true, dynamicOutput: true, tactic: 'precision', optimizeFloatMemory: false },
      ),
    );
    k.setOutput([2 * n]);
    // params: [item_offset, item_count, opaque_zero, reserved, key0, key1, ctr0, ctr1, ctr2, ctr3, format]
    (k as unknown as (...a: number[]) => unknown)(...h(p[0]), ...h(p[4]), ...h(p[5]), ...h(p[6]), ...h(p[7]), ...h(p[8]), ...h(p[9]), p[10]);
    const raw = k.renderRawOutput();
    for (let i = 0; i < 4 * n; i++) dst[4 * a + i] = (raw[2 * i] + raw[2 * i + 1] * 65536) >>> 0;
  }

  private windowCount(desc: KernelDesc, args: KernelArgs, a: number, n: number, dst: Uint32Array): void {
    const p = packParams(desc, args, (args.itemOffset ?? 0) + a, n);
    const [win, ex, ey, ew, off] = inputWords(desc, args);
    const w = new Float32Array(8 * n);
    for (let i = 0; i < n; i++) {
      const o = 8 * (a + i);
      for (let j = 0; j < 4; j++) w[8 * i + j] = bitsToF32(win[o + j]);
      for (let j = 4; j < 8; j++) {
        if (win[o + j] >= 1 << 24) throw new RangeError(`window ${a + i}: cell index ${win[o + j]} is not below 2^24`);
        w[8 * i + j] = win[o + j];
      }
    }
    const fx = new Float32Array(ex.buffer, ex.byteOffset, ex.length), fy = new Float32Array(ey.buffer, ey.byteOffset, ey.length);
    const weighted = p[5] !== 0;
    const fw = new Float32Array(Math.max(1, weighted ? ew.length : 1));
    if (weighted) for (let i = 0; i < ew.length; i++) {
      if (ew[i] >= 1 << 24) throw new RangeError(`ev_w, event ${i}: weight ${ew[i]} is not below 2^24`);
      fw[i] = ew[i];
    }
    const fo = new Float32Array(off.length);
    for (let i = 0; i < off.length; i++) {
      if (off[i] >= 1 << 24) throw new RangeError(`cell_off ${i}: ${off[i]} events: the webgl2 backend takes samples below 2^24 events`);
      fo[i] = off[i];
    }
    const k = this.kernel('window_count', () =>
      this.gpu.createKernel(windowCountKernel, {
        output: [2], returnType: 'Array(4)', precision: 'single', pipeline: true, dynamicOutput: true, dynamicArguments: true,
        tactic: 'precision', optimizeFloatMemory: false, loopMaxIterations: 1 << 24,
        argumentTypes: { win: 'Array', ex: 'Array', ey: 'Array', ew: 'Array', off: 'Array', nx: 'Float', weighted: 'Float', z: 'Float' },
      }),
    );
    k.setOutput([2 * n]);
    (k as unknown as (...a: unknown[]) => unknown)(w, fx, fy, fw, fo, p[4], weighted ? 1 : 0, p[2]);
    const raw = k.renderRawOutput();
    const T24 = 16777216;
    for (let i = 0; i < n; i++) {
      const A = 8 * i, B = 8 * i + 4, o = 6 * (a + i);
      const sw = BigInt(raw[A + 1]) + BigInt(raw[A + 2]) * BigInt(T24);
      const sq = BigInt(raw[B]) + BigInt(raw[B + 1]) * BigInt(T24) + BigInt(raw[B + 2]) * BigInt(T24) ** 2n;
      const M = 0xffffffffn;
      dst[o] = raw[A];
      dst[o + 1] = Number(sw & M);
      dst[o + 2] = Number((sw >> 32n) & M);
      dst[o + 3] = Number(sq & M);
      dst[o + 4] = Number((sq >> 32n) & M);
      dst[o + 5] = Number((sq >> 64n) & M);
    }
  }

  async dispose(): Promise<void> {
    this.kernels.clear();
    await this.gpu.destroy();
  }

  /** This backend for what it knows, `fallback` for the rest, as one Backend (its name: 'webgl2'). */
  withFallback(fallback: Backend): Backend {
    const self = this;
    return {
      name: 'webgl2' as Backend['name'], // not one of host/'s BackendName: the browser's fourth backend
      run: (desc, args) => (self.supports(desc) ? self.run(desc, args) : fallback.run(desc, args)),
      info: () => ({ ...self.info(), details: { ...self.info().details, other_kernels_on: fallback.name, other: fallback.info().details } }),
      dispose: async () => {
        await self.dispose();
        await fallback.dispose();
      },
    };
  }
}
declare function dsPhilox(...a: number[]): number[];
