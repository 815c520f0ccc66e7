// Every registered kernel x every backend present x every case of the kernel: the outputs must be
// the TypeScript reference's bits. Adding a kernel adds its cases in kernels/<name>/cases.ts; this
// file stays.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KERNELS } from '../kernels/index.js';
import { runReference, type Backend } from '../host/index.js';
import { ALLOW_NO_WEBGPU, WASM_BACKENDS, WEBGPU_BACKENDS, probeWebGPU, type TestBackend } from './backends.js';
import { expectSameBits } from './bits.js';
import { kernelCases } from './cases.js';

const webgpu = await probeWebGPU();
if (webgpu.error) {
  const msg = `NO WEBGPU ADAPTER: ${webgpu.error}`;
  console.error(`\n${'!'.repeat(msg.length)}\n${msg}\n${'!'.repeat(msg.length)}\n`);
} else {
  console.log(`WebGPU conformance cases run on: ${webgpu.adapter}`);
}

describe('webgpu adapter', () => {
  it.runIf(!ALLOW_NO_WEBGPU)('is present (set DARKSCAN_ALLOW_NO_WEBGPU=1 only to run without it on purpose)', () => {
    expect(webgpu.error, 'no WebGPU adapter: the conformance suite cannot claim WebGPU agreement').toBeUndefined();
  });
});

const CASES = new Map(await Promise.all(KERNELS.map(async (d) => [d, await kernelCases(d)] as const)));
const present: TestBackend[] = [...WASM_BACKENDS, ...(webgpu.adapter ? WEBGPU_BACKENDS : [])];

for (const tb of present) {
  const label = tb.label.startsWith('webgpu') ? `${tb.label} on ${webgpu.adapter}` : tb.label;
  describe(label, () => {
    let backend: Backend;
    beforeAll(async () => {
      backend = await tb.make();
    });
    afterAll(async () => {
      await backend?.dispose();
    });
    for (const desc of KERNELS) {
      describe(desc.name, () => {
        for (const c of CASES.get(desc)!) {
          it(c.name, async () => {
            const ref = runReference(desc, c.args);
            for (const [name, want] of Object.entries(c.expect ?? {})) expectSameBits(ref[name], want, `reference ${name} vs known answer`);
            const got = await backend.run(desc, c.args);
            for (const o of desc.outputs) expectSameBits(got[o.name], ref[o.name], `${o.name}`);
          });
        }
      });
    }
  });
}
