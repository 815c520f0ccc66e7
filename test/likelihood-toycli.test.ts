// Toy-based CLs, upper limits and discovery on pyhf workspaces (issue 14), end to end through the
// CLI: agreement with pyhf 0.7.6's toybased hypotest (test/golden/pyhf/make_toys_golden.py ->
// toys.json) within the combined statistical error sqrt(err_darkscan^2 + err_pyhf^2) (3 sigma),
// with asymptotic CLs on a large-count workspace, the same bits on every backend / worker count /
// shard split / resumed checkpoint / patch alone or in its patchset, non-converged toys counted,
// and the one-bin counting toys (engine/stats/toys.ts) against the same test through the
// workspace machinery.
import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../engine/cli/index.js';
import { mergeShards, type ShardedOutput } from '../engine/shard.js';
import { createBackend } from '../host/index.js';
import { FitSession } from '../engine/likelihood/infer.js';
import { compileModel } from '../engine/likelihood/model.js';
import { readWorkspace } from '../engine/likelihood/workspace.js';
import { planToys, runToyBlocks, toyHypoTests } from '../engine/likelihood/toycls.js';
import { hypotestToys } from '../engine/stats/toys.js';
import { ALLOW_NO_WEBGPU, probeWebGPU } from './backends.js';
import { tempDir } from './tmp.js';

const webgpu = await probeWebGPU();

const FIX = 'test/fixtures/pyhf/';
const PS = [FIX + 'patchsets/mass_scan_bkg.json', '--patchset', FIX + 'patchsets/mass_scan_patchset.json'];

async function run(argv: string[], backend = 'wasm'): Promise<Record<string, any>> {
  const lines: string[] = [];
  const code = await main([...argv, '--json', '--backend', backend], (s) => lines.push(s));
  expect(code, argv.join(' ')).toBe(0);
  return JSON.parse(lines.join('\n'));
}

/** |a - b| <= n sqrt(ea^2 + eb^2), with a message naming the values. */
function agree(what: string, a: number, ea: number, b: number, eb: number, n = 3): void {
  const tol = n * Math.hypot(ea, eb);
  if (!(Math.abs(a - b) <= tol)) expect.fail(`${what}: darkscan ${a} +- ${ea}, pyhf ${b} +- ${eb}: |diff| ${Math.abs(a - b).toExponential(2)} > ${n} sigma = ${tol.toExponential(2)}`);
}

const golden = JSON.parse(readFileSync('test/golden/pyhf/toys.json', 'utf8')) as { cases: Record<string, any> };
const TOYS = '20000';

describe('toy CLs against pyhf toybased (within 3 sigma of the combined statistical error)', () => {
  for (const [name, g] of Object.entries(golden.cases)) {
    it(name, async () => {
      const ws = FIX + g.workspace;
      if (g.test_stat === 'q0') {
        const d = await run(['discovery', ws, '--calculator', 'toys', '--toys', TOYS, '--seed', '7']);
        expect(d.toys).toBe(Number(TOYS));
        expect(d.seed).toBe(7);
        agree('p0', d.p0, d.p0_error, g.p0, g.p0_error);
        expect(d.q0).toBeCloseTo(g.q_obs, 2);
        return;
      }
      const r = await run(['cls', ws, '--calculator', 'toys', '--poi-value', String(g.poi_value), '--test-stat', g.test_stat, '--toys', TOYS, '--seed', '7']);
      expect(r.calculator).toBe('toys');
      expect(r.toys).toBe(Number(TOYS));
      expect(r.q_obs).toBeCloseTo(g.q_obs, 2);
      agree('CLs_obs', r.CLs_obs, r.CLs_obs_error, g.CLs_obs, g.CLs_obs_error);
      agree('CLsb_obs', r.CLsb_obs, r.CLsb_obs_error, g.CLsb, g.CLsb_error);
      agree('CLb_obs', r.CLb_obs, r.CLb_obs_error, g.CLb, g.CLb_error);
      r.CLs_exp.forEach((v: number, k: number) => agree(`CLs_exp[${k}]`, v, r.CLs_exp_error[k], g.CLs_exp[k], g.CLs_exp_error[k]));
      expect(r.toys_not_converged.s_plus_b + r.toys_not_converged.b_only).toBeLessThan(Number(TOYS) / 100);
    });
  }
});

describe('toy CLs on large counts agrees with asymptotic CLs', () => {
  it('workspaces/large_counts.json at mu = 2 (counts ~1e5-1e6): within 3 sigma + 0.005', async () => {
    const args = ['cls', FIX + 'workspaces/large_counts.json', '--poi-value', '2'];
    const a = await run(args);
    const t = await run([...args, '--calculator', 'toys', '--toys', '2000']);
    expect(Math.abs(t.CLs_obs - a.CLs_obs), `toys ${t.CLs_obs} +- ${t.CLs_obs_error}, asymptotic ${a.CLs_obs}`).toBeLessThan(3 * t.CLs_obs_error + 0.005);
    t.CLs_exp.forEach((v: number, k: number) => expect(Math.abs(v - a.CLs_exp[k]), `CLs_exp[${k}]: toys ${v} +- ${t.CLs_exp_error[k]}, asymptotic ${a.CLs_exp[k]}`).toBeLessThan(3 * t.CLs_exp_error[k] + 0.005));
  });
});

describe('toy upper limits on large counts agree with asymptotic ones', () => {
  it('workspaces/large_counts.json, 95% CL: observed and expected within 3 sigma (toys) + 2% (the scan\'s linear interpolation)', async () => {
    const ws = FIX + 'workspaces/large_counts.json';
    const a = await run(['upper-limit', ws]);
    const t = await run(['upper-limit', ws, '--calculator', 'toys', '--toys', '1000']);
    expect(t.scan.poi_values).toHaveLength(16);
    const near = (what: string, x: number, e: number, y: number) => expect(Math.abs(x - y), `${what}: toys ${x} +- ${e}, asymptotic ${y}`).toBeLessThan(3 * e + 0.02 * y);
    near('obs', t.obs, t.obs_error, a.obs);
    t.exp.forEach((v: number, k: number) => near(`exp[${k}]`, v, t.exp_error[k], a.exp[k]));
  });
});

describe('the same bits on every backend, worker count, shard split, checkpoint and patch selection', () => {
  const cls = ['cls', ...PS, '--calculator', 'toys', '--toys', '48', '--seed', '3'];
  const strip = (j: Record<string, any>) => j.patches;
  it('cpu (TypeScript reference) = wasm 1 worker = wasm 2 workers', async () => {
    const ref = await run(cls, 'cpu');
    for (const w of ['1', '2']) expect(strip(await run([...cls, '--workers', w], 'wasm'))).toEqual(strip(ref));
  });
  // The toyfit kernel's own bits are compared on every backend by test/conformance.test.ts; this is
  // the calculator end to end (SwiftShader compiles the fit shader for ~40 s on a loaded machine).
  it.skipIf(ALLOW_NO_WEBGPU && !webgpu.adapter)(`webgpu (${webgpu.adapter ?? webgpu.error}) = the TypeScript reference`, async () => {
    expect(webgpu.adapter, 'a WebGPU adapter (set DARKSCAN_ALLOW_NO_WEBGPU=1 only to run without it on purpose)').toBeDefined();
    const small = [...cls.slice(0, -4), '--toys', '16', '--seed', '3'];
    const g = await run(small, 'webgpu');
    expect(g.backend).toBe('webgpu');
    expect(strip(g)).toEqual(strip(await run(small, 'cpu')));
  }, 300_000);
  it('shards 0/3, 1/3, 2/3 merged = the unsharded run (cls, upper-limit, discovery); merge refuses a mismatch', async () => {
    const dir = tempDir('toyshard');
    const jobs: [string, string[]][] = [
      ['cls', cls],
      ['upper-limit', ['upper-limit', FIX + 'validation/1bin_shapesys.json', '--calculator', 'toys', '--toys', '40', '--scan', '0.5:4:6']],
      ['discovery', ['discovery', ...PS, '--calculator', 'toys', '--toys', '40']],
    ];
    for (const [what, args] of jobs) {
      const whole = await run(args);
      const files: string[] = [];
      for (let i = 0; i < 3; i++) {
        const f = join(dir, `${what}-${i}.json`);
        writeFileSync(f, JSON.stringify(await run([...args, '--shard', `${i}/3`])));
        files.push(f);
      }
      const merged = JSON.parse(await new Promise<string>((res, rej) => { const l: string[] = []; main(['merge', ...files.reverse()], (s) => l.push(s)).then(() => res(l.join('\n')), rej); }));
      expect(merged.kind).toBe(what);
      const { backend: _b, shards: _s, kind: _k, fits: _f, fits_not_converged: _n, ...m } = merged; // darkscan_version: in both
      const { backend: _b2, fits: _f2, fits_not_converged: _n2, ...w } = whole;
      expect(m, what).toEqual(w);
    }
    const a = JSON.parse(readFileSync(join(dir, 'cls-0.json'), 'utf8')) as ShardedOutput;
    const b = JSON.parse(readFileSync(join(dir, 'cls-1.json'), 'utf8')) as ShardedOutput;
    expect(() => mergeShards([a, { ...b, seed: 4 }])).toThrow(/seed/);
    expect(() => mergeShards([a, { ...b, inputs: { ...(b.inputs as object), workspace_digest: 'sha256:0' } }])).toThrow(/workspace_digest/);
    expect(() => mergeShards([a, { ...b, darkscan_version: '0.0.0' }])).toThrow(/another darkscan version/);
  });
  it('a checkpointed run resumed after an interruption = the uninterrupted run', async () => {
    const dir = tempDir('toyck');
    const ck = join(dir, 'ck.json');
    const args = [...cls, '--block', '16'];
    const whole = await run(args);
    const ac = new AbortController();
    let blocks = 0;
    const stopped = main([...args, '--checkpoint', ck, '--json', '--backend', 'wasm'], () => {}, { signal: ac.signal, progress: (s) => { if (/^toys: \d+ of/.test(s) && ++blocks === 2) ac.abort(); } });
    await expect(stopped).rejects.toThrow();
    expect(existsSync(ck)).toBe(true);
    const progress: string[] = [];
    const lines: string[] = [];
    await main([...args, '--checkpoint', ck, '--json', '--backend', 'wasm'], (s) => lines.push(s), { progress: (s) => progress.push(s) });
    expect(progress.some((s) => /resumed/.test(s)), progress.join('\n')).toBe(true);
    expect(JSON.parse(lines.join('\n')).patches).toEqual(whole.patches);
    expect(existsSync(ck)).toBe(false);
  });
  it('one patch alone (--patch) gets the toys it gets among all patches', async () => {
    const all = await run(cls);
    const one = await run([...cls, '--patch', 'mass_45']);
    const { backend: _a, fits: _b, fits_not_converged: _c, workspace: _d, workspace_digest: _e, patchset: _f, patchset_digest: _g, patch: _h, calculator: _i, toys: _j, seed: _k, poi_value: _l, test_stat: _m, darkscan_version: _v, ...r } = one;
    expect(r).toEqual(all.patches.mass_45);
  });
});

describe('robust long runs', () => {
  it('toys whose fits stop at max_iter are counted per hypothesis and kept, never fatal', async () => {
    const ws = readWorkspace(readFileSync(FIX + 'workspaces/llp_3ch_10bin.json', 'utf8'));
    const b = await createBackend('wasm');
    try {
      const s = new FitSession(b, [compileModel(ws)], { maxIter: 3 });
      const plan = await planToys(s, [{ model: 0, data: s.models[0].observed }], [{ target: 0, mu: 1 }], 'qtilde');
      const run = await runToyBlocks(b, s.packed, plan, { seed: 1, first: 0, end: 64, keep: true, maxIter: 3 });
      const [t] = toyHypoTests(plan, run.counts, run.arrays);
      expect(t.notConverged.sb + t.notConverged.b).toBeGreaterThan(0);
      expect(t.toys).toBe(64);
      expect(Number.isFinite(t.cls)).toBe(true);
      expect(run.arrays!.status[0].reduce((a, x) => a + x, 0)).toBe(t.notConverged.sb);
    } finally {
      await b.dispose();
    }
  });
});

describe('issue 14 item 4: the one-bin counting toys (engine/stats/toys.ts) = the workspace toys, statistically', () => {
  it('n = 55, b = 50 +- 7 (Poisson constraint = pyhf shapesys), s = 10, mu = 1.5: CLs+b, CLb, CLs within 3 sigma', async () => {
    const K = 4000;
    const b = await createBackend('wasm');
    try {
      const counting = await hypotestToys({ n: 55, b: 50, sigmaB: 7, sRef: 10, uncertainty: 'poisson' }, 1.5, { backend: b, seed: 9, toys: K });
      const ws = await run(['cls', FIX + 'validation/1bin_shapesys.json', '--calculator', 'toys', '--poi-value', '1.5', '--toys', String(K), '--seed', '9']);
      const sb = (p: number) => Math.sqrt((p * (1 - p)) / K);
      agree('CLs+b (workspace vs counting)', ws.CLsb_obs, ws.CLsb_obs_error, counting.clsb, sb(counting.clsb));
      agree('CLb (workspace vs counting)', ws.CLb_obs, ws.CLb_obs_error, counting.clb, sb(counting.clb));
      agree('CLs (workspace vs counting)', ws.CLs_obs, ws.CLs_obs_error, counting.cls, counting.clsError);
    } finally {
      await b.dispose();
    }
  });
});
