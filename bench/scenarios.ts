import type { Scenario } from './runner.js';
import { key, randomBits } from '../engine/random.js';
import { scanScenario } from './scan.js';
import { llpScenario } from './llp.js';
import { mlpScenario } from './mlp.js';
import { toysScenario } from './toys.js';

/** Philox throughput: `blocks` blocks of 4 u32 words per run. */
export function philoxScenario(blocks = 1 << 20): Scenario {
  const k = key(20261125, 1);
  return {
    name: `philox4x32_10 ${blocks} blocks`,
    unit: 'u32 words',
    amount: blocks * 4,
    async setup(b) {
      return () => randomBits(b, k, { event: 0 }, blocks);
    },
  };
}

export const SCENARIOS = { philox: philoxScenario, scan: scanScenario, llp: llpScenario, mlp: mlpScenario, toys: toysScenario };
