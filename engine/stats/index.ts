// Limit setting for counting windows: see model.ts (the model), asymptotic.ts (q~_mu, CLs,
// p0), exact.ts (Poisson / CLs-n / Bayesian / Feldman-Cousins), toys.ts (toy Monte Carlo on a
// backend), lee.ts (look-elsewhere from pseudo-experiments).
export * from './special.js';
export * from './model.js';
export * from './asymptotic.js';
export * from './exact.js';
export * from './toys.js';
export * from './lee.js';
export * from './windows.js';
