// A PROXY for the Standard Model e+e- -> mu+ mu- mu+ mu- background of the Z' -> mu mu search.
// engine/generate has no four-muon background process (its backgrounds are mumu, tautau, eemumu,
// gammagamma, eegamma), so this module builds one from what is there and says so in every result:
// the dominant SM diagram, mu+ mu- gamma* with gamma* -> mu+ mu-, is generated as e+e- -> mu+ mu- X
// with X -> mu+ mu- using the zp_mumu kinematics (flat three-body phase space, isotropic decay,
// ISR, the same detector), with the mass of X drawn event by event from an ILLUSTRATIVE spectrum:
//   dsigma/dM = sigma_mumu x R(M) x K(M),
//   K(M) = (2 alpha / (3 pi M)) sqrt(1 - 4 m^2/M^2) (1 + 2 m^2/M^2)   (Kroll & Wada, Phys. Rev. 98
//          (1955) 1355: conversion of a photon into a lepton pair of mass M, dq^2/q^2 = 2 dM/M),
//   R(M) = (2 alpha / pi) (ln(s/m^2) - 1) ln((sqrt(s) - 2m)/M)        (leading-log probability of
//          radiating that photon with energy above ~M, as the ISR radiator of physics.ts),
// with m = m_mu and sigma_mumu = 1.148 nb (Belle II Physics Book Table 4). The total is ~0.5 pb;
// two-photon (e+e- -> e+e- mu mu with e -> mu misidentified) and tau contributions are absent.
import { EventRandom, generate, poisson, GENERATOR_VERSION, type EventSample } from '../generate/index.js';
import { ALPHA, S, SQRT_S } from '../generate/physics.js';
import { M_MU } from '../generate/lorentz.js';
import { foldIn, key, type Key } from '../random.js';
import { SIGMA_MUMU_FB } from './couplings.js';

export const FOURMU_PROXY = 'sm_4mu_proxy';
const STREAM = 0x4a0e;
const M_LO = 2 * M_MU + 1e-3;
const M_HI = SQRT_S - 2 * M_MU - 1e-3;

/** dsigma/dM of the proxy, fb / GeV (formula above). */
export function fourMuSpectrumFbPerGeV(m: number): number {
  if (!(m > M_LO && m < M_HI)) return 0;
  const r = (4 * M_MU * M_MU) / (m * m);
  const K = ((2 * ALPHA) / (3 * Math.PI * m)) * Math.sqrt(1 - r) * (1 + r / 2);
  const R = ((2 * ALPHA) / Math.PI) * (Math.log(S / (M_MU * M_MU)) - 1) * Math.log((SQRT_S - 2 * M_MU) / m);
  return SIGMA_MUMU_FB * R * K;
}

const TABLE_N = 20000;
let table: { m: Float64Array; cdf: Float64Array; total: number } | undefined;
/** Cumulative spectrum on a log-spaced mass grid (trapezoids), for inverse-CDF sampling. */
function spectrumTable() {
  if (table) return table;
  const m = new Float64Array(TABLE_N + 1), cdf = new Float64Array(TABLE_N + 1);
  const l0 = Math.log(M_LO), l1 = Math.log(M_HI);
  for (let i = 0; i <= TABLE_N; i++) m[i] = Math.exp(l0 + ((l1 - l0) * i) / TABLE_N);
  for (let i = 1; i <= TABLE_N; i++) cdf[i] = cdf[i - 1] + 0.5 * (fourMuSpectrumFbPerGeV(m[i - 1]) + fourMuSpectrumFbPerGeV(m[i])) * (m[i] - m[i - 1]);
  table = { m, cdf, total: cdf[TABLE_N] };
  return table;
}

/** Total proxy cross section, fb (before detector acceptance). */
export function fourMuProxySigmaFb(): number {
  return spectrumTable().total;
}

function sampleMass(u: number): number {
  const t = spectrumTable();
  const target = u * t.total;
  let lo = 0, hi = TABLE_N;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (t.cdf[mid] < target) lo = mid;
    else hi = mid;
  }
  const f = (target - t.cdf[lo]) / Math.max(t.cdf[hi] - t.cdf[lo], 1e-300);
  return t.m[lo] + f * (t.m[hi] - t.m[lo]);
}

/**
 * The proxy sample at a luminosity: N ~ Poisson(sigma L), at most maxEvents simulated (weight N /
 * maxEvents each), event i with the mass drawn from its own Philox key and the kinematics of
 * zp_mumu event i (seed derived from `seed`). Columns are those of the generator's fourmuon family.
 */
export function generateFourMuProxy(o: { lumiFb: number; seed: number; maxEvents: number }): EventSample {
  const k: Key = key(o.seed, STREAM);
  const sigma = fourMuProxySigmaFb();
  const N = poisson(new EventRandom(foldIn(k, 0)).start(0), sigma * o.lumiFb);
  const n = Math.min(N, o.maxEvents);
  const weight = n > 0 ? N / n : 1;
  const mrng = new EventRandom(foldIn(k, 1));
  const parts: EventSample[] = [];
  for (let i = 0; i < n; i++) {
    const m = sampleMass(mrng.start(i).uniform());
    parts.push(generate({ process: 'zp_mumu', params: { mZp: m, sigmaFb: sigma }, events: 1, firstEvent: i, seed: o.seed, weight }));
  }
  const names = parts.length ? Object.keys(parts[0].columns) : [];
  const columns: Record<string, Float32Array | Float64Array> = {};
  for (const name of names) {
    const total = parts.reduce((s, p) => s + p.length, 0);
    const dst = name === 'event' ? new Float64Array(total) : new Float32Array(total);
    let at = 0;
    for (const p of parts) if (p.length) dst.set(p.columns[name], at++);
    columns[name] = dst;
  }
  const length = names.length ? columns[names[0]].length : 0;
  return {
    process: FOURMU_PROXY,
    family: 'fourmuon',
    seed: o.seed,
    params: {},
    nGenerated: n,
    firstEvent: 0,
    length,
    columns,
    units: parts[0]?.units ?? {},
    sigmaFb: sigma,
    sigmaSource: 'illustrative proxy: sigma_mumu x leading-log radiator x Kroll-Wada conversion (engine/analyses/fourmu.ts)',
    illustrative: true,
    lumiFb: o.lumiFb,
    meta: {
      generator: 'darkscan fast simulation (zp_mumu kinematics with a mass spectrum), proxy for SM e+e- -> 4 mu',
      generator_version: GENERATOR_VERSION, seed: o.seed, lumi_fb: o.lumiFb, expected_events: sigma * o.lumiFb,
      poisson_events: N, oversampled: N > n, event_weight: weight,
    },
  };
}
