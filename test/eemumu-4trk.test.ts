// eemumu_4trk (two-photon e+e- -> e+e- mu+ mu- with both electrons as tracks, the fourtrack family) on
// the gen_eemumu kernel's fourtrack mode (family 1: the sampler's mu-, mu+, e-, e+ through
// kernels/lib/fourtrack, the same bits on every backend) against the host path it replaced, kept
// here only as the cross-check: the kernel's sampler (its TS reference) on a stream keyed by the
// event's host stream, then the f64 host chain (generateHost: toLab, detector.ts smearTrack /
// identifiedAsMuon) and the family's f64 reconstruction (test/f64-fourtrack.ts recoFourtrack).
// Different random streams and arithmetic, so the comparison is statistical (test/genstats.ts
// compareFourtrack: acceptance, means and binned shapes of M(4 tracks), the mu mu pair and its
// recoil, the 3x1 variables within about 4 sigma), at W_min = 4 GeV where 0.5% of the events have
// four tracks (4e-5 at the default 0.5 GeV), plus every event's track count, charge sum and muon
// identifications at the defaults. The same comparison fails against broken physics.
import { afterAll, describe, expect, it } from 'vitest';
import { WasmBackend } from '../host/index.js';
import { BELLE2_DETECTOR, generate, generateHost, generateOn, getProcess, resolveParams, type EventRandom, type EventSample, type Params } from '../engine/generate/index.js';
import { eemumuKernelParams, eemumuTable } from '../engine/generate/gen-eemumu.js';
import { M_E, M_MU, type P4 } from '../engine/generate/lorentz.js';
import type { GenEvent } from '../engine/generate/processes.js';
import { eemumuFinalState } from '../kernels/gen_eemumu/ref.js';
import { genEemumu } from '../kernels/gen_eemumu/desc.js';
import { packParams } from '../kernels/types.js';
import { newStream, rsInit } from '../kernels/lib/sampling.js';
import { recoFourtrack } from './f64-fourtrack.js';
import { compareFourtrack, compareSamples, mean, sd } from './genstats.js';

const proc = getProcess('eemumu_4trk');

/**
 * eemumu_4trk's events as the host made them before the kernel's fourtrack mode (engine/generate/
 * gen-eemumu.ts eemumuHostEvent until GENERATOR_VERSION 17): the kernel's sampler (TS reference, f32)
 * on a Philox stream keyed by two words of the event's host stream; mu-, mu+, e-, e+ in the CM frame
 * and the event's weight.
 */
function hostEvents(p: Params): (rng: EventRandom) => GenEvent {
  const w = packParams(genEemumu, { count: 1, params: eemumuKernelParams(proc, p, BELLE2_DETECTOR, [0, 0], 0) }, 0, 1);
  const P = new Float32Array(w.buffer), t = eemumuTable(p.wMin), s = newStream();
  return (rng) => {
    rsInit(s, rng.u32(), rng.u32(), 0, 0, 0);
    const fs = eemumuFinalState(P, w, t, s);
    if (!fs) return { particles: [], truth: {}, weight: 0 };
    const f64 = (q: number[]): P4 => [q[0], q[1], q[2], q[3]];
    return {
      particles: [{ kind: 'mu', charge: -1, p: f64(fs.muM) }, { kind: 'mu', charge: 1, p: f64(fs.muP) }, { kind: 'e', charge: -1, p: f64(fs.em) }, { kind: 'e', charge: 1, p: f64(fs.ep) }],
      truth: {},
      weight: fs.weight,
    };
  };
}

/** A host sample of n events (seed 22) from an event function (the host path, or a broken variant of it). */
function hostSample(over: Params, n: number, ev: (p: Params) => (rng: EventRandom) => GenEvent = hostEvents, acceptedOnly = true): EventSample {
  const p = resolveParams(proc, over), gen = ev(p);
  return generateHost({ ...proc, generate: (rng) => gen(rng) }, { process: proc.name, params: over, events: n, seed: 22, acceptedOnly }, recoFourtrack);
}

/** Particles of `kind` with their momenta scaled by f (energy from their mass). */
function scaled(kind: 'e' | 'mu', f: number): (p: Params) => (rng: EventRandom) => GenEvent {
  const m = kind === 'e' ? M_E : M_MU;
  return (p) => {
    const gen = hostEvents(p);
    return (rng) => {
      const e = gen(rng);
      for (const q of e.particles) if (q.kind === kind) q.p = [Math.hypot(f * Math.hypot(q.p[1], q.p[2], q.p[3]), m), f * q.p[1], f * q.p[2], f * q.p[3]];
      return e;
    };
  };
}

const N = 120000, WMIN = { wMin: 4 };
const wasm = await WasmBackend.create({ workers: 1 });
afterAll(() => wasm.dispose());
// The kernel's sample on WASM (the TypeScript reference's bits: test/conformance.test.ts), made once.
let kernel4: EventSample | undefined;
const kernelSample = async () => (kernel4 ??= await generateOn(wasm, { process: proc.name, params: WMIN, events: N, seed: 21 }));

describe('eemumu_4trk on the gen_eemumu kernel vs the host path it replaced (statistical)', () => {
  it(`W_min = 4 GeV: acceptance, means and shapes of M(4 tracks), pT, the mu mu pair, its recoil and the 3x1 variables agree (${N} events each)`, async () => {
    const k = await kernelSample(), h = hostSample(WMIN, N);
    expect(k.meta.event_kernel).toMatch(/gen_eemumu kernel/);
    const r = compareFourtrack(k, h, N, 100);
    console.log(`eemumu_4trk W_min = 4: four-track acceptance ${(k.length / N).toFixed(5)} / ${(h.length / N).toFixed(5)}; chi2/ndf ${Object.entries(r.chi2ndf).map(([c, v]) => `${c} ${v.toFixed(2)}`).join(', ')}`);
    expect(k.length).toBeGreaterThan(400); // the comparison has statistics
    expect(r.failures).toEqual([]);
    for (const c of ['m_4trk_GeV', 'm_recoil_GeV', 'm_mumu_GeV', 'E_lep_pseudo_GeV']) expect(r.chi2ndf, c).toHaveProperty(c);
  });
  it('every event (defaults, all rows): the track count, charge sum and muon identifications agree (electrons and muons through the detector)', async () => {
    const n = 40000;
    const k = await generateOn(wasm, { process: proc.name, events: n, seed: 21, acceptedOnly: false }), h = hostSample({}, n, hostEvents, false);
    expect(k.length).toBe(n);
    const r = compareSamples(k, h, n, ['n_tracks', 'charge_sum', 'n_mu_id']);
    expect(r.failures).toEqual([]);
    expect(mean(k.columns.n_tracks)).toBeGreaterThan(0.5); // not all empty
  });
  it('the comparison fails against broken physics: the electrons\' momenta scaled by 0.8, the muons\' by 0.9 (W)', async () => {
    const k = await kernelSample();
    const e = compareFourtrack(k, hostSample(WMIN, N, scaled('e', 0.8)), N, 100);
    expect(e.failures.join('\n')).toMatch(/m_4trk_GeV/);
    const mu = compareFourtrack(k, hostSample(WMIN, N, scaled('mu', 0.9)), N, 100);
    expect(mu.failures.join('\n')).toMatch(/m_mumu_GeV/);
  });
});

describe('eemumu_4trk on the kernel', () => {
  it('with the tail bias its events carry the kernel\'s weights (mean 1 over all events); unweighted by default', () => {
    const n = 20000;
    const s = generate({ process: proc.name, params: { tailBias: 1 }, events: n, seed: 4, acceptedOnly: false });
    const w = s.columns.weight;
    expect(sd(w)).toBeGreaterThan(0);
    expect(Math.abs(mean(w) - 1)).toBeLessThan((4 * sd(w)) / Math.sqrt(n));
    for (const v of generate({ process: proc.name, events: 2000, seed: 4, acceptedOnly: false }).columns.weight) expect(v).toBe(1);
  });
});
