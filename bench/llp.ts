// LLP lifetime sweep: 100 masses x 50 lifetimes x 4 channels over 1e6 simulated B -> K S decays
// (2500 per (mass, channel)), one dispatch of kernels/llp_sweep plus decoding per run.
// `npm run bench -- --scenario llp [--size DECAYS]`; the sample is generated once (not timed).
import type { Scenario } from './runner.js';
import { llpSweep } from '../kernels/llp_sweep/desc.js';
import { generateLlpSample, llpMixture, CHANNELS, type LlpSample } from '../engine/llp/sample.js';
import { decodeSweep, parseLogGrid, sweepInputs, type SweepOptions } from '../engine/llp/sweep.js';

export const LLP_BENCH_SEED = 20261125;

export function llpScenario(decays = 1_000_000): Scenario {
  const nM = 100, nC = CHANNELS.length, nL = 50;
  const perCell = Math.max(1, Math.round(decays / (nM * nC)));
  const masses = Array.from({ length: nM }, (_, i) => Math.round((1.0 + (3.5 * i) / (nM - 1)) * 1e4) / 1e4); // 1.0 .. 4.5 GeV (above 2 m_K)
  const o: SweepOptions = { masses, channels: [...CHANNELS], ctaus: parseLogGrid('1e-3:1e3:50', 'llp bench'), lxyWindow: [0.05, 60] };
  let sample: Promise<LlpSample> | undefined;
  return {
    name: `llp_sweep ${nM} masses x ${nL} lifetimes x ${nC} channels, ${perCell * nM * nC} decays`,
    unit: 'decay x lifetime evaluations',
    amount: perCell * nM * nC * nL,
    async setup(b) {
      sample ??= generateLlpSample({ masses, channels: [...CHANNELS], perCell, ctauGenCm: llpMixture(o.ctaus), seed: LLP_BENCH_SEED, backend: b });
      const { G, inputs, windows, nGenerated } = sweepInputs(await sample, o);
      return async () => {
        const out = await b.run(llpSweep, { count: G * nL, params: { n_life: nL }, inputs });
        return decodeSweep(out.acc, inputs.life, o, G, windows, nGenerated, b.name);
      };
    },
  };
}
