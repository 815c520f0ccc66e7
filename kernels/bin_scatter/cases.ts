// The conformance cases of the bin_scatter kernel (test/conformance.test.ts runs them on every
// backend): bin_count's samples, each with the prefix sums of bin_count's reference hist as input.
// Reachable from tests only: nothing the engine ships imports this file.
import type { ConformanceCase } from '../types.js';
import { runReference } from '../../host/cpu.js';
import { binCount } from '../bin_count/desc.js';
import { binSamples } from '../bin_count/cases.js';
import { binPrefix } from '../window_count/layout.js';

export function cases(): ConformanceCase[] {
  return binSamples().map(({ name, args }, i) => {
    const order = i % 2 === 0; // order written in every other case (weighted scans), not in the rest
    return { name: `${name}${order ? ', with order' : ''}`, args: args.scatter(binPrefix(runReference(binCount, args.count).hist, args.items, args.cells).start, order) };
  });
}
