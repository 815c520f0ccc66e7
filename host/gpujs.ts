// The WebGL2 backend (browser only, through gpu.js: https://gpu.rocks), for pages where
// navigator.gpu is missing. It runs every kernel whose desc has a WebGL2 version (`desc.webgl2`:
// the gpu.js kernel, its GLSL beside it in kernels/<k>/<k>.glsl, the f32 encoding of its params
// and inputs and the decoding of its outputs) and returns the same bits as the other backends:
// - gpu.js textures hold f32: values crossing the CPU/GPU boundary are floats the kernel treats as
//   f32, or integers below 2^24, or 32-bit words as 16-bit halves;
// - integer work that needs 32 bits (Philox) runs in injected GLSL ES 3.00 `uint` code, which
//   wraps mod 2^32 (GLSL ES 3.00 spec, section 4.1.3 / 5.9);
// - f32 products that feed a sum go through an xor with a uniform zero, as WGSL's opaque(), so
//   that no driver fuses them into an FMA (kernels/README.md).
// Kernels without a WebGL2 version run on the `fallback` backend (WASM workers on the page).
import { GPU } from 'gpu.js';
import type { KernelArgs, KernelDesc, KernelOutputs } from '../kernels/types.js';
import { inputWords, packParams, validateArgs } from '../kernels/types.js';
import { KERNELS } from '../kernels/index.js';
import { allocOutputs, type Backend, type BackendInfo } from './backend.js';

export class GpuJsUnavailableError extends Error {
  constructor(reason: string) {
    super(`webgl2 backend unavailable: ${reason}`);
    this.name = 'GpuJsUnavailableError';
  }
}

/** Kernels with a WebGL2 version. */
export const GPUJS_KERNELS: readonly string[] = KERNELS.filter((d) => d.webgl2).map((d) => d.name);

// Largest item count per draw call: thread indices stay exact in f32 (< 2^24) and every limb too.
const MAX_ITEMS = 1 << 22;

// A kernel's GLSL: helpers (injected once), then after this marker the native functions it calls.
const NATIVES = '// gpu.js natives';
const RETURN_TYPES: Record<string, string> = { float: 'Number', vec2: 'Array(2)', vec3: 'Array(3)', vec4: 'Array(4)' };

/** Splits a kernel's GLSL into injected helpers and native functions (name, source, gpu.js return type). */
export function splitGlsl(glsl: string): { lib: string; natives: { name: string; source: string; returnType: string }[] } {
  const at = glsl.indexOf(NATIVES);
  const lib = at < 0 ? glsl : glsl.slice(0, at);
  const natives = at < 0 ? [] : [...glsl.slice(at).matchAll(/^(float|vec[234]) (\w+)\([^)]*\) \{\n[\s\S]*?^\}$/gm)].map((m) => ({ name: m[2], source: m[0], returnType: RETURN_TYPES[m[1]] }));
  return { lib, natives };
}

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
    const parts = KERNELS.flatMap((d) => (d.webgl2?.glsl ? [splitGlsl(d.webgl2.glsl)] : []));
    gpu.injectNative(parts.map((p) => p.lib).join('\n')); // one injection: a second replaces the first
    for (const f of parts.flatMap((p) => p.natives)) gpu.addNativeFunction(f.name, f.source, { returnType: f.returnType });
    return new GpuJsBackend(gpu, info);
  }

  supports(desc: KernelDesc): boolean {
    return desc.webgl2 !== undefined;
  }

  info(): BackendInfo {
    return { name: 'webgl2', available: true, details: { ...this.glInfo, items_computed: { ...this.items } } };
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
    const gl = desc.webgl2;
    if (!gl) throw new Error(`webgl2 (gpu.js) backend has no kernel '${desc.name}' (it has ${GPUJS_KERNELS.join(', ')})`);
    const out = allocOutputs(desc, args.count, args.params);
    const outputs = desc.outputs.map((o) => out[o.name]);
    const inputs = inputWords(desc, args);
    const k = this.kernel(desc.name, () =>
      this.gpu.createKernel(gl.kernel, {
        output: [gl.threadsPerItem], returnType: 'Array(4)', precision: 'single', pipeline: true, dynamicOutput: true,
        tactic: 'precision', optimizeFloatMemory: false, ...gl.settings,
      }),
    );
    for (let a = 0; a < args.count; a += MAX_ITEMS) {
      args.signal?.throwIfAborted();
      const n = Math.min(MAX_ITEMS, args.count - a);
      k.setOutput([gl.threadsPerItem * n]);
      (k as unknown as (...a: unknown[]) => unknown)(...gl.encode(packParams(desc, args, (args.itemOffset ?? 0) + a, n), inputs, a, n));
      gl.decode(k.renderRawOutput(), outputs, a, n);
      this.items[desc.name] = (this.items[desc.name] ?? 0) + n;
      await new Promise((r) => setTimeout(r, 0)); // let the page paint between draw calls
    }
    return out;
  }

  async dispose(): Promise<void> {
    this.kernels.clear();
    await this.gpu.destroy();
  }

  /** This backend for what it knows, `fallback` for the rest, as one Backend (its name: 'webgl2'). */
  withFallback(fallback: Backend): Backend {
    const self = this;
    return {
      name: 'webgl2',
      run: (desc, args) => (self.supports(desc) ? self.run(desc, args) : fallback.run(desc, args)),
      info: () => ({ ...self.info(), details: { ...self.info().details, other_kernels_on: fallback.name, other: fallback.info().details } }),
      dispose: async () => {
        await self.dispose();
        await fallback.dispose();
      },
    };
  }
}
