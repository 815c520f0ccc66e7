// The gen_fourtrack kernel (kernels/gen_fourtrack: the fourtrack family's tau pairs, tau -> l alpha,
// mu mu X(-> tau tau), SM mu mu tau tau and the q qbar stand-in in f32 on every backend) against the
// f64 host generator it replaced, kept only as an independent cross-check (test/f64-fourtrack.ts,
// run through generateHost: toLab, detector.ts, recoFourtrack). Different random streams and
// arithmetic, so the comparison is statistical (test/genstats.ts: acceptance, means and binned
// shapes within about 4 sigma) on all accepted events, on the 3x1 events (the tau -> l alpha
// variables) and on the events with a mu mu pair (the Z' -> tau tau variables); the family's key
// columns (M(4 tracks), M_recoil(mu mu), the pseudo-rest-frame lepton energy) are among them. The
// same comparison fails when the physics differs (a shifted mass, another 1-prong mode).
import { afterAll, describe, expect, it } from 'vitest';
import { WasmBackend } from '../host/index.js';
import { generate, generateHost, generateOn, type EventSample } from '../engine/generate/index.js';
import { M_MU } from '../engine/generate/lorentz.js';
import { SQRT_S } from '../engine/generate/physics.js';
import type { Params } from '../engine/generate/processes.js';
import { f64FourtrackDef, recoFourtrack } from './f64-fourtrack.js';
import { compareFourtrack, compareSamples, mean } from './genstats.js';

const N = 30000;
// The kernel's samples on WASM (the TypeScript reference's bits: test/conformance.test.ts; 10x faster), each sample made once.
const wasm = await WasmBackend.create({ workers: 1 });
afterAll(() => wasm.dispose());
const made = new Map<string, EventSample>();
async function kernelSample(process: string, params: Params): Promise<EventSample> {
  const k = `kernel ${process} ${JSON.stringify(params)}`;
  if (!made.has(k)) made.set(k, await generateOn(wasm, { process, params, events: N, seed: 21 }));
  return made.get(k)!;
}
function hostSample(process: string, params: Params): EventSample {
  const k = `host ${process} ${JSON.stringify(params)}`;
  if (!made.has(k)) made.set(k, generateHost(f64FourtrackDef(process), { process, params, events: N, seed: 22 }, recoFourtrack));
  return made.get(k)!;
}

describe('gen_fourtrack kernel vs the f64 host generator it replaced (statistical)', () => {
  for (const [process, params] of [
    ['tautau_1x3', {}],
    ['tautau_1x3', { oneProng: 2 }],
    ['tautau_1x3', { oneProng: 3, forceFake: 1 }],
    ['tau_ealpha', { mAlpha: 1.0 }],
    ['tau_mualpha', { mAlpha: 0.3, isr: 0 }],
    ['zp_tautau_1p', { mX: 5 }],
    ['zp_tautau_1p', { mX: 8.5 }],
    ['mumutautau', {}],
    ['qqbar_4trk', { forceFake: 1 }],
  ] as [string, Params][]) {
    it(`${process} ${JSON.stringify(params)}: acceptance, means and shapes of M(4 tracks), M_recoil, E*_lepton and the selection variables agree (${N} events each)`, async () => {
      const kernel = await kernelSample(process, params), host = hostSample(process, params);
      expect(kernel.meta.event_kernel).toMatch(/gen_fourtrack/);
      const r = compareFourtrack(kernel, host, N);
      const key = ['m_4trk_GeV', 'm_recoil_GeV', 'E_lep_pseudo_GeV'].filter((c) => c in r.chi2ndf).map((c) => `${c} ${r.chi2ndf[c].toFixed(2)}`);
      console.log(`${process} ${JSON.stringify(params)}: acceptance ${(kernel.length / N).toFixed(4)} / ${(host.length / N).toFixed(4)}; chi2/ndf ${key.join(', ')}`);
      expect(r.failures).toEqual([]);
    });
  }
  it('mumutautau: the gamma* mass (truth_m_GeV) follows the host tabulated K(M) R(M) spectrum', async () => {
    const r = compareSamples(await kernelSample('mumutautau', {}), hostSample('mumutautau', {}), N, ['truth_m_GeV']);
    expect(r.failures).toEqual([]);
  });
});

describe('the comparison fails when the physics differs', () => {
  it("Z' -> tau tau at mX = 5 against 5.3 GeV: M_recoil(mu mu) disagrees", async () => {
    const r = compareFourtrack(await kernelSample('zp_tautau_1p', { mX: 5 }), hostSample('zp_tautau_1p', { mX: 5.3 }), N);
    expect(r.failures.join('\n')).toMatch(/m_recoil_GeV/);
    expect(r.chi2ndf.m_recoil_GeV).toBeGreaterThan(5);
  });
  it('tau -> mu alpha at m_alpha = 0.3 against 0.6 GeV: the pseudo-rest-frame lepton energy disagrees', async () => {
    const r = compareFourtrack(await kernelSample('tau_mualpha', { mAlpha: 0.3, isr: 0 }), hostSample('tau_mualpha', { mAlpha: 0.6, isr: 0 }), N);
    expect(r.failures.join('\n')).toMatch(/E_lep_pseudo_GeV/);
    expect(r.chi2ndf.E_lep_pseudo_GeV).toBeGreaterThan(5);
  });
  it('tau tau 1+3 with tau -> mu nu nu (Michel) against tau -> pi nu / rho nu: the lepton energy and kind disagree', async () => {
    const r = compareFourtrack(await kernelSample('tautau_1x3', { oneProng: 2 }), hostSample('tautau_1x3', { oneProng: 3 }), N);
    expect(r.failures.join('\n')).toMatch(/E_lep_pseudo_GeV/);
    expect(r.failures.join('\n')).toMatch(/acceptance/); // the muon-identified share
  });
});

describe('gen_fourtrack kernel processes', () => {
  it('a sample is the same whatever the split: 6000 events = parts from other first events', () => {
    const o = { process: 'tautau_1x3', params: {}, events: 6000, seed: 5, acceptedOnly: false };
    const all = generate(o);
    const a = generate({ ...o, events: 2500 }), b = generate({ ...o, firstEvent: 2500, events: 3500 });
    for (const c of Object.keys(all.columns)) {
      expect(Buffer.from(all.columns[c].buffer).equals(Buffer.concat([Buffer.from(a.columns[c].buffer), Buffer.from(b.columns[c].buffer)])), c).toBe(true);
    }
  });
  it("Z' -> tau tau with mX + 2 m_mu at sqrt(s) within reach of the ISR retry only: rejected with a reason; isr = 0 accepted", () => {
    const mX = SQRT_S - 2 * M_MU - 1e-7;
    expect(() => generate({ process: 'zp_tautau_1p', events: 1, seed: 1, params: { mX } })).toThrow(/too close to sqrt\(s\).*isr = 0/);
    expect(generate({ process: 'zp_tautau_1p', events: 10, seed: 1, params: { mX, isr: 0 }, acceptedOnly: false }).length).toBe(10);
    expect(() => generate({ process: 'zp_tautau_1p', events: 1, seed: 1, params: { mX: 9.5 } })).not.toThrow(); // the scan's heaviest point
  });
  it('forced fakes: about 81% of forced qqbar_4trk events carry a mu mu pair (two forced muons, each identified at 90%)', () => {
    const s = generate({ process: 'qqbar_4trk', params: { forceFake: 1 }, events: 4000, seed: 9 });
    // each event has two forced muons, identified at 90% each: about 81% carry the pair (plus a few natural fakes)
    const f = mean(s.columns.has_mumu);
    expect(f).toBeGreaterThan(0.78);
    expect(f).toBeLessThan(0.86);
  });
});
