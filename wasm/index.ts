// The AssemblyScript kernels: one export per kernel, named as in its desc's `wasmExport`.
export { philox4x32_10 } from './philox';
export { exactmath_probe } from './exactmath_probe';
export { mlp } from './mlp';
export { window_count } from './window_count';
export { llp_sweep } from './llp_sweep';
export { toys_qtilde } from './toys';
export { df32_probe } from './df32';
