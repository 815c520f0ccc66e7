// The pipeline's MLP stage (search.ts runSearch): one classifier trained on the spot on signal (all
// map points pooled) against the backgrounds, or one per range of a column (a mass-range model
// set, engine/nn/ranges.ts), as the Belle II Z' -> tau tau search trains one MLP for each of 8
// ranges of M_recoil(mu mu) (PRL 131 (2023) 121802). Each model gets its own score cut, keeping
// `keepSignal` of its training signal; events outside every range fail.
import type { Backend } from '../../host/backend.js';
import { softwareAdapter } from '../../host/index.js';
import { foldIn, type Key } from '../random.js';
import { trainClassifierAsync, trainClassifiers, rocAuc, TRAINER_VERSION, type TrainResult } from '../nn/train.js';
import { describeModel, type Mlp } from '../nn/model.js';
import { scoreEvents } from '../nn/infer.js';
import { scoreByRange, type ModelSet } from '../nn/ranges.js';
import { concatColumns, rows, seedOf, selectRows, type Columns } from './samples.js';

export interface MlpSpec {
  readonly features: readonly string[];
  readonly hidden: readonly number[];
  readonly epochs: number;
  /** Fraction of each model's training signal above its score cut. */
  readonly keepSignal: number;
  readonly trainEvents: number;
  /** One model per range [edges[k], edges[k+1]) of `column` (the scan variable's event column); signal points by their peak. */
  readonly ranges?: { readonly column: string; readonly edges: readonly number[] };
}

function quantile(a: Float32Array, q: number): number {
  const s = Float64Array.from(a).sort();
  return s[Math.min(s.length - 1, Math.max(0, Math.floor(q * s.length)))];
}

export interface TrainedMlps {
  /** 1 where an event passes its model's cut. */
  pass(c: Columns): Promise<Uint8Array>;
  readonly signalRows: number;
  readonly info: Record<string, unknown>;
}

/**
 * Trains the model(s). sigByPoint: selected signal events per map point (peaks: each point's peak
 * in the range column); bgBySource: selected background events per source. A range's model is
 * trained on the same number of background events from each source (those in the range, at most
 * its signal count split evenly), so a copious source does not drown the others.
 */
export async function trainMlps(
  backend: Backend, spec: MlpSpec, featureMatrix: (c: Columns) => Float32Array, keep: readonly string[], kTrain: Key,
  peaks: readonly number[], sigByPoint: readonly Columns[], bgBySource: readonly Columns[], o: { signal?: AbortSignal; progress: (s: string) => void },
): Promise<TrainedMlps> {
  const F = spec.features.length;
  // mlp_train runs one invocation per network: on a GPU emulated on the CPU (SwiftShader) that is
  // ~10x slower than the TypeScript reference, which gives the same weights, so the steps run there.
  const emulated = backend.name === 'webgpu' && softwareAdapter(backend.info().details) !== undefined;
  const run = { backend: emulated ? undefined : backend, signal: o.signal, progress: o.progress };
  const options = (seed: number) => ({ seed, hidden: [...spec.hidden], epochs: spec.epochs, inputNames: spec.features });
  /** A model's training events: features and labels (signal first). */
  const events = (sig: Columns, back: Columns) => ({
    xs: featureMatrix(concatColumns([sig, back], keep)),
    labels: new Uint8Array(rows(sig) + rows(back)).fill(1, 0, rows(sig)),
  });
  /** A trained model: its cut and what it reports. */
  const finish = async (trained: TrainResult, ev: { xs: Float32Array; labels: Uint8Array }, sig: Columns, back: Columns) => {
    const model: Mlp = trained.model;
    const trainScores = await scoreEvents(backend, model, ev.xs);
    const sigScores = trainScores.subarray(0, rows(sig));
    const cut = quantile(sigScores, 1 - spec.keepSignal);
    return {
      model, cut,
      info: {
        shape: describeModel(model), trained_on: { signal: rows(sig), background: rows(back) }, trainer_version: TRAINER_VERSION,
        epochs: trained.history.length, final_loss: trained.history.at(-1)?.loss, roc_auc_train: rocAuc(trainScores, ev.labels), score_cut: cut,
        signal_efficiency_train: sigScores.filter((v) => v > cut).length / sigScores.length,
      },
    };
  };
  const trainOne = async (sig: Columns, back: Columns, seed: number) => {
    const ev = events(sig, back);
    return finish(await trainClassifierAsync(ev.xs, ev.labels, F, options(seed), run), ev, sig, back);
  };
  const allSig = concatColumns(sigByPoint, keep);
  if (!spec.ranges) {
    const one = await trainOne(allSig, concatColumns(bgBySource, keep), seedOf(kTrain));
    return {
      signalRows: rows(allSig),
      info: one.info,
      async pass(c) {
        const score = await scoreEvents(backend, one.model, featureMatrix(c));
        const mask = new Uint8Array(score.length);
        for (let i = 0; i < score.length; i++) mask[i] = score[i] > one.cut ? 1 : 0;
        return mask;
      },
    };
  }
  const { column, edges } = spec.ranges;
  const inRange = (c: Columns, lo: number, hi: number) => {
    const v = c[column], m = new Uint8Array(v.length);
    for (let i = 0; i < v.length; i++) m[i] = v[i] >= lo && v[i] < hi ? 1 : 0;
    return m;
  };
  const models: { min: number; max: number; model: Mlp; cut: number; info: Record<string, unknown> }[] = [];
  const untrained: { min: number; max: number; info: Record<string, unknown> }[] = [];
  // Every range's model trains in the same dispatches (one kernel item each): the same weights as one by one.
  const pending: { lo: number; hi: number; sig: Columns; back: Columns; seed: number }[] = [];
  for (let k = 0; k + 1 < edges.length; k++) {
    const lo = edges[k], hi = edges[k + 1];
    const pts = sigByPoint.filter((_, j) => peaks[j] >= lo && peaks[j] < hi);
    if (!pts.length) throw new Error(`mlp.ranges: no signal point has its peak in [${lo}, ${hi}) of ${column}; add signal points or change the edges`);
    const sig = concatColumns(pts, keep), sigIn = selectRows(sig, inRange(sig, lo, hi), keep);
    const perSource = Math.max(1, Math.ceil(rows(sigIn) / Math.max(1, bgBySource.length)));
    const bgIn = concatColumns(bgBySource.map((b) => {
      const m = inRange(b, lo, hi);
      for (let i = 0, n = 0; i < m.length; i++) if (m[i] && ++n > perSource) m[i] = 0;
      return selectRows(b, m, keep);
    }), keep);
    if (!rows(sigIn) || !rows(bgIn)) {
      // Nothing to separate from (or nothing to keep): no model, every event of the range passes.
      untrained.push({ min: lo, max: hi, info: { min: lo, max: hi, model: null, trained_on: { signal: rows(sigIn), background: rows(bgIn) }, note: 'no training events of one class in this range: no MLP cut' } });
      continue;
    }
    pending.push({ lo, hi, sig: sigIn, back: bgIn, seed: seedOf(foldIn(kTrain, 2000 + k)) });
  }
  if (pending.length) {
    o.progress(`training the MLPs of ${pending.length} ranges of ${column} together`);
    const evs = pending.map((p) => events(p.sig, p.back));
    const trained = await trainClassifiers(evs.map((ev, j) => ({ x: ev.xs, labels: ev.labels, nIn: F, opts: options(pending[j].seed) })), run);
    for (const [j, p] of pending.entries()) {
      const one = await finish(trained[j], evs[j], p.sig, p.back);
      models.push({ min: p.lo, max: p.hi, model: one.model, cut: one.cut, info: { min: p.lo, max: p.hi, ...one.info } });
    }
  }
  const set: ModelSet | null = models.length ? { column, unit: 'GeV', outside: 'nan', ranges: models.map((m) => ({ min: m.min, max: m.max, model: m.model })) } : null;
  return {
    signalRows: rows(allSig),
    info: { ranges_column: column, ranges: [...models.map((m) => m.info), ...untrained.map((u) => u.info)].sort((a, b) => (a.min as number) - (b.min as number)), outside: `events outside [${edges[0]}, ${edges[edges.length - 1]}) of ${column} fail the MLP stage` },
    async pass(c) {
      const v = c[column], mask = new Uint8Array(v.length);
      const r = set ? await scoreByRange(backend, set, featureMatrix(c), v) : null;
      for (let i = 0; i < mask.length; i++) {
        const k = r ? r.range[i] : -1;
        if (k >= 0) mask[i] = r!.scores[i] > models[k].cut ? 1 : 0;
        else mask[i] = untrained.some((u) => v[i] >= u.min && v[i] < u.max) ? 1 : 0;
      }
      return mask;
    },
  };
}
