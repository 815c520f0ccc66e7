// Statistical comparison of two generated samples (a generator kernel against the f64 host generator
// it replaced, kept in test/f64-*.ts): acceptance, means and binned shapes. Different random streams
// and arithmetic, so agreement is within errors; each check's threshold is about 4 sigma.
import type { EventSample } from '../engine/generate/index.js';

export function mean(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s / a.length;
}
export function sd(a: ArrayLike<number>): number {
  const m = mean(a);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - m) ** 2;
  return Math.sqrt(s / (a.length - 1));
}

/** Two-sample chi^2 of binned shapes (bins from the pooled 1st..99th percentiles, plus under/overflow), and its degrees of freedom. */
export function chi2Shapes(a: ArrayLike<number>, b: ArrayLike<number>, bins = 25): { chi2: number; ndf: number } {
  const pooled = Float64Array.from([...Array.from(a), ...Array.from(b)]).sort();
  const lo = pooled[Math.floor(0.01 * pooled.length)], hi = pooled[Math.floor(0.99 * pooled.length)];
  const hist = (x: ArrayLike<number>) => {
    const h = new Float64Array(bins + 2);
    for (let i = 0; i < x.length; i++) h[x[i] < lo ? 0 : x[i] >= hi ? bins + 1 : 1 + Math.floor(((x[i] - lo) / (hi - lo)) * bins)]++;
    return h;
  };
  const ha = hist(a), hb = hist(b), na = a.length, nb = b.length;
  let chi2 = 0, ndf = -1;
  for (let i = 0; i < ha.length; i++) {
    if (ha[i] + hb[i] === 0) continue;
    chi2 += (Math.sqrt(nb / na) * ha[i] - Math.sqrt(na / nb) * hb[i]) ** 2 / (ha[i] + hb[i]);
    ndf++;
  }
  return { chi2, ndf };
}

/**
 * Two-sample chi^2 per variable of two unweighted samples of rows (10 bins at the first sample's deciles; chi^2 of 9
 * degrees of freedom, 33 is p ~ 1e-4): the variables (names[j]: column j) whose shapes disagree.
 */
export function decileFailures(a: readonly (readonly number[])[], b: readonly (readonly number[])[], names: readonly string[]): string[] {
  const out: string[] = [];
  for (let j = 0; j < names.length; j++) {
    const xs = a.map((q) => q[j]).sort((u, v) => u - v), edges = [1, 2, 3, 4, 5, 6, 7, 8, 9].map((k) => xs[Math.floor((k / 10) * xs.length)]);
    const bin = (x: number) => edges.filter((e) => x >= e).length;
    const ha = new Float64Array(10), hb = new Float64Array(10);
    for (const q of a) ha[bin(q[j])]++;
    for (const q of b) hb[bin(q[j])]++;
    let chi2 = 0;
    for (let k = 0; k < 10; k++) if (ha[k] + hb[k] > 0) chi2 += (ha[k] / a.length - hb[k] / b.length) ** 2 / (ha[k] / a.length ** 2 + hb[k] / b.length ** 2);
    if (!(chi2 < 33)) out.push(`${names[j]}: chi2 = ${chi2.toFixed(1)} / 9`);
  }
  return out;
}

export interface SampleComparison {
  /** What disagrees beyond its threshold (empty: the samples agree). */
  failures: string[];
  /** chi^2 / ndf of each compared column's binned shapes. */
  chi2ndf: Record<string, number>;
}

/**
 * Compares two samples of n generated events each: acceptance (binomial, 4 sigma), and per column
 * the means (4.5 sigma) and the binned shapes (chi^2 / ndf < 2.2: 26 bins give mean 1, sd 0.28, so
 * about 4 sigma, p ~ 5e-4).
 */
export function compareSamples(a: EventSample, b: EventSample, n: number, columns: readonly string[]): SampleComparison {
  const failures: string[] = [], chi2ndf: Record<string, number> = {};
  const pa = a.length / n, pb = b.length / n;
  // (> not >=: equal acceptances of 0 or 1, zero error, agree)
  if (Math.abs(pa - pb) > 4 * Math.sqrt((pa * (1 - pa) + pb * (1 - pb)) / n)) failures.push(`${a.process} acceptance ${pa} vs ${pb}`);
  for (const c of columns) {
    const x = a.columns[c], y = b.columns[c];
    if (sd(x) === 0 && sd(y) === 0) {
      if (mean(x) !== mean(y)) failures.push(`${a.process} ${c}: constants ${mean(x)} vs ${mean(y)}`); // e.g. E_extra = 0 without ISR
      continue;
    }
    const z = Math.abs(mean(x) - mean(y)) / Math.sqrt(sd(x) ** 2 / x.length + sd(y) ** 2 / y.length);
    if (!(z < 4.5)) failures.push(`${a.process} ${c}: means ${mean(x)} vs ${mean(y)} (${z.toFixed(1)} sigma)`);
    const { chi2, ndf } = chi2Shapes(x, y);
    // a column almost always at one value (e.g. a third photon's mass without ISR) leaves < 5 bins: its mean is compared above
    if (ndf < 5) continue;
    chi2ndf[c] = chi2 / ndf;
    if (!(chi2 / ndf < 2.2)) failures.push(`${a.process} ${c}: binned shapes chi2 = ${chi2.toFixed(1)} / ${ndf}`);
  }
  return { failures, chi2ndf };
}

// ------------------------------------------------------------------ the fourtrack family (gen_fourtrack, gen_eemumu)
// The 0/1 flags (is_3x1, has_mumu) enter as the subsets' acceptances, lep_kind through the lepton-identified subsets.
const ALL = ['m_4trk_GeV', 'pt_4trk_cm_GeV', 'n_gamma', 'E_extra_GeV', 'n_mu_id'] as const;
const THREE_X_ONE = ['E_lep_pseudo_GeV', 'p_lep_cm_GeV', 'm_3prong_GeV', 'E_3prong_cm_GeV', 'cos_theta_lep_cm'] as const;
const MU_MU = ['m_recoil_GeV', 'm_mumu_GeV', 'p_mu1_cm_GeV', 'p_mu2_cm_GeV', 'p_trk1_cm_GeV', 'm_trk_GeV', 'cos_recoil_trk_cm', 'cos_mumu_cm'] as const;

/** The rows of s where column `flag` is `value` (a sample of the same generated events). */
export function where(s: EventSample, flag: string, value = 1): EventSample {
  const keep: number[] = [];
  for (let i = 0; i < s.length; i++) if (s.columns[flag][i] === value) keep.push(i);
  const columns: EventSample['columns'] = {};
  for (const [c, v] of Object.entries(s.columns)) columns[c] = Float32Array.from(keep, (i) => v[i]);
  return { ...s, length: keep.length, columns };
}

/**
 * The fourtrack family's comparison of two samples of n generated events each: compareSamples on all
 * accepted events, the 3x1 events and, where b has at least minRows of them (default 5% of n), the
 * 3x1 events per lepton kind and the events with a mu mu pair: the failures and every column's chi^2 / ndf.
 */
export function compareFourtrack(a: EventSample, b: EventSample, n: number, minRows = 0.05 * n) {
  const parts = [compareSamples(a, b, n, ALL), compareSamples(where(a, 'is_3x1'), where(b, 'is_3x1'), n, THREE_X_ONE)];
  // the 3x1 events whose single track is an electron, a muon-identified track, another track (lep_kind 1, 2, 3)
  for (const k of [1, 2, 3]) if (where(b, 'lep_kind', k).length > minRows) parts.push(compareSamples(where(a, 'lep_kind', k), where(b, 'lep_kind', k), n, ['E_lep_pseudo_GeV']));
  if (where(b, 'has_mumu').length > minRows) parts.push(compareSamples(where(a, 'has_mumu'), where(b, 'has_mumu'), n, MU_MU));
  return { failures: parts.flatMap((p) => p.failures), chi2ndf: Object.assign({}, ...parts.map((p) => p.chi2ndf)) as Record<string, number> };
}
