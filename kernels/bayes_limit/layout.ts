// The `bayes_limit` kernel's per-item record and constants (one source for the TS reference, the
// WGSL and the AssemblyScript twin: desc.constants generates them as consts there).
//
// Item = one upper limit (a window's observed limit, or one point of its expected band): record
// [n, b, sigma_b, K] (f32): observed count n (an integer, exact in f32), background b, its Gaussian
// uncertainty sigma_b (0: known background), K = ln Pois(n; x0) with x0 = max(b, n, 1), computed
// on the host in f64 (engine/stats/batch.ts). Outputs: the limit s_up on the signal count and a
// status (BAYES_OK, or why the host must compute this item).

export const BAYES_WIN_WORDS = 4;
export const BW_N = 0;
export const BW_B = 1;
export const BW_SIGMA = 2;
export const BW_K = 3;

export const BAYES_OK = 0;
/** The posterior quantile lies beyond the kernel's bracket (cl above 0.9999). */
export const BAYES_NO_BRACKET = 1;
/** The safeguarded Newton iteration did not settle in BAYES_MAX_ITER steps. */
export const BAYES_NO_CONVERGENCE = 2;
export const BAYES_MAX_ITER = 64;
/** Terms of the Poisson tail series before it is cut (terms fall below 2^-26 of the sum long before, for n + b within BAYES_MAX_COUNTS). */
export const BAYES_MAX_TERMS = 4096;

export const BAYES_LIMIT_CONSTANTS = {
  BAYES_WIN_WORDS, BW_N, BW_B, BW_SIGMA, BW_K, BAYES_OK, BAYES_NO_BRACKET, BAYES_NO_CONVERGENCE, BAYES_MAX_ITER, BAYES_MAX_TERMS,
} as const;
