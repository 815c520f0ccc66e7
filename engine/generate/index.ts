// darkscan's event generator: a deterministic, Philox-seeded fast simulation of Belle II
// e+e- collisions at sqrt(s) = 10.58 GeV (7 GeV e- on 4 GeV e+), for the dark-sector signals of
// the talk and their backgrounds. Event i of (seed, process) is a pure function of (seed,
// process, parameters, i): independent of how many events are asked for and of chunking.
//
// Chain: process (CM frame, processes.ts) -> boost to the lab (physics.ts) -> detector
// acceptance and smearing (detector.ts) -> columns with physics names and units (this file).
import { foldIn, key, RANDOM_STREAM_VERSION, type Key } from '../random.js';
import { BELLE2_DETECTOR, identifiedAsMuon, photonAccepted, smearPhoton, smearTrack, trackAccepted, type DetectorModel } from './detector.js';
import { M_E, M_K, M_MU, M_PI, mass, minus, p4, pabs, plus, theta, boost, type P4 } from './lorentz.js';
import { BETA_CM, C_CM_PER_NS, P_INIT_LAB, SQRT_S, toLab } from './physics.js';
import { EventRandom, poisson } from './rng.js';
import { PROCESSES, getProcess, type Family, type GenEvent, type Params, type ProcessDef } from './processes.js';
import { eventBlocks } from '../../kernels/event_blocks/desc.js';
import type { Backend } from '../../host/backend.js';
import { FOURTRACK_COLUMNS, reconstructFourTrack } from './tau.js';

export { PROCESSES, getProcess, EventRandom, poisson, BELLE2_DETECTOR };
export type { ProcessDef, Family, Params, DetectorModel };

/** The random stream number of the generator (engine/random.ts key(seed, stream)). */
export const GENERATOR_STREAM = 0x6e670001;
/** Bumped whenever a change alters what a given (seed, process, params, event) produces. */
// 3: e e mu mu drawn by an efficient rejection sampler with a weighted large-pT tail (twophoton.ts): new draws and per-event weights.
export const GENERATOR_VERSION = 3;

const DEG = 180 / Math.PI;

/** Column names and units of each family (the order is the output order). */
export const FAMILY_COLUMNS: Record<Family, Record<string, string>> = {
  dimuon: {
    mu1_px_GeV: 'GeV', mu1_py_GeV: 'GeV', mu1_pz_GeV: 'GeV', mu2_px_GeV: 'GeV', mu2_py_GeV: 'GeV', mu2_pz_GeV: 'GeV',
    p_mu1_GeV: 'GeV', p_mu2_GeV: 'GeV', cos_theta_mu1: '1', cos_theta_mu2: '1',
    m_mumu_GeV: 'GeV', m_recoil_GeV: 'GeV', m2_recoil_GeV2: 'GeV^2', pt_mumu_GeV: 'GeV', p_mumu_cm_GeV: 'GeV',
    cos_theta_recoil_cm: '1', cos_helicity: '1', E_extra_GeV: 'GeV', n_gamma: 'count', n_extra_tracks: 'count',
    truth_m_mumu_GeV: 'GeV', truth_m_recoil_GeV: 'GeV',
  },
  fourmuon: {
    mu1_px_GeV: 'GeV', mu1_py_GeV: 'GeV', mu1_pz_GeV: 'GeV', mu2_px_GeV: 'GeV', mu2_py_GeV: 'GeV', mu2_pz_GeV: 'GeV',
    mu3_px_GeV: 'GeV', mu3_py_GeV: 'GeV', mu3_pz_GeV: 'GeV', mu4_px_GeV: 'GeV', mu4_py_GeV: 'GeV', mu4_pz_GeV: 'GeV',
    m_4mu_GeV: 'GeV', m_mumu_13_GeV: 'GeV', m_mumu_14_GeV: 'GeV', m_mumu_23_GeV: 'GeV', m_mumu_24_GeV: 'GeV',
    m_recoil_13_GeV: 'GeV', m_recoil_14_GeV: 'GeV', m_recoil_23_GeV: 'GeV', m_recoil_24_GeV: 'GeV',
    E_extra_GeV: 'GeV', n_gamma: 'count', n_extra_tracks: 'count', truth_m_Zp_GeV: 'GeV',
  },
  photons: {
    n_gamma: 'count', E_g1_GeV: 'GeV', E_g2_GeV: 'GeV', E_g3_GeV: 'GeV', E_cm_g1_GeV: 'GeV', E_cm_g2_GeV: 'GeV', E_cm_g3_GeV: 'GeV',
    cos_theta_g1: '1', cos_theta_g2: '1', cos_theta_g3: '1', m_gg_12_GeV: 'GeV', m_gg_13_GeV: 'GeV', m_gg_23_GeV: 'GeV', m_ggg_GeV: 'GeV',
    m_recoil_g1_GeV: 'GeV', m2_recoil_g1_GeV2: 'GeV^2', n_tracks: 'count', E_total_GeV: 'GeV', truth_m_GeV: 'GeV',
  },
  llp: {
    p_K_GeV: 'GeV', p_x1_GeV: 'GeV', p_x2_GeV: 'GeV', m_xx_GeV: 'GeV', m_red_GeV: 'GeV', m_Kxx_GeV: 'GeV', p_S_GeV: 'GeV',
    flight_cm: 'cm', flight_rho_cm: 'cm', vtx_z_cm: 'cm', t_proper_ns: 'ns', tau_gen_ns: 'ns', ctau_gen_cm: 'cm', truth_m_S_GeV: 'GeV',
  },
  bmeson: {
    p_K_GeV: 'GeV', m_K_GeV: 'GeV', E_g1_GeV: 'GeV', E_g2_GeV: 'GeV', cos_theta_g1: '1', cos_theta_g2: '1', m_gg_GeV: 'GeV',
    Mbc_GeV: 'GeV', DeltaE_GeV: 'GeV', n_gamma: 'count', n_tracks: 'count', truth_m_a_GeV: 'GeV',
  },
  fourtrack: FOURTRACK_COLUMNS,
};
const COMMON_COLUMNS: Record<string, string> = { event: 'index', weight: '1' };

export interface GenerateOptions {
  readonly process: string;
  readonly events: number;
  readonly seed: number;
  /** First event index (u32); events firstEvent .. firstEvent + events - 1 are produced. */
  readonly firstEvent?: number;
  /** Overrides of the process parameters (see the process's paramDocs). */
  readonly params?: Readonly<Params>;
  /** Keep only events that pass the detector acceptance of the family (default true). */
  readonly acceptedOnly?: boolean;
  readonly detector?: DetectorModel;
  /** Weight given to every event (default 1; generateAtLuminosity sets it when oversampling), times the process's per-event importance weight (GenEvent.weight). */
  readonly weight?: number;
}

export interface EventSample {
  readonly process: string;
  readonly family: Family;
  readonly seed: number;
  readonly params: Params;
  /** Events tried (generator level), and the first index. */
  readonly nGenerated: number;
  readonly firstEvent: number;
  /** Rows (events kept). */
  readonly length: number;
  readonly columns: Record<string, Float32Array | Float64Array>;
  readonly units: Record<string, string>;
  readonly sigmaFb: number;
  readonly sigmaSource: string;
  readonly illustrative: boolean;
  readonly lumiFb?: number;
  readonly meta: Record<string, unknown>;
}

/** The key of a process's event draws: foldIn(foldIn(key(seed, GENERATOR_STREAM), process id), 0). */
export function eventKey(seed: number, proc: ProcessDef): Key {
  return foldIn(foldIn(key(seed, GENERATOR_STREAM), proc.id), 0);
}
/** The key of the events of a process the gen_dimuon kernel generates (gen-dimuon.ts): foldIn(.., 2), its own stream. */
export function kernelEventKey(seed: number, proc: ProcessDef): Key {
  return foldIn(foldIn(key(seed, GENERATOR_STREAM), proc.id), 2);
}
/** The key of the Poisson count at a luminosity (separate from the events'). */
export function countKey(seed: number, proc: ProcessDef): Key {
  return foldIn(foldIn(key(seed, GENERATOR_STREAM), proc.id), 1);
}

export function resolveParams(proc: ProcessDef, over: Readonly<Params> = {}): Params {
  for (const k of Object.keys(over)) {
    if (!(k in proc.defaults)) throw new Error(`process '${proc.name}': unknown parameter '${k}' (known: ${Object.keys(proc.defaults).join(', ') || 'none'})`);
    if (!Number.isFinite(over[k])) throw new RangeError(`process '${proc.name}': parameter ${k} must be a finite number, got ${over[k]}`);
  }
  const p = { ...proc.defaults, ...over };
  proc.check?.(p);
  return p;
}

interface Reco {
  row: Record<string, number>;
  accepted: boolean;
}

function trackMass(kind: string): number {
  return kind === 'mu' ? M_MU : kind === 'e' ? M_E : kind === 'pi' ? M_PI : M_K;
}

const recoil = (pair: P4): number => mass(minus(P_INIT_LAB, pair));
const recoil2 = (pair: P4): number => {
  const r = minus(P_INIT_LAB, pair);
  return r[0] * r[0] - r[1] * r[1] - r[2] * r[2] - r[3] * r[3];
};
const toCM = (p: P4): P4 => boost(p, 0, 0, -BETA_CM);
const cosTh = (p: P4): number => p[3] / Math.max(pabs(p), 1e-300);

/**
 * Lab-frame detector response. Draws in a fixed order: every visible particle is smeared (3
 * normals) and every charged one gets a muon-ID draw (1 uniform) whether or not it is accepted,
 * so acceptance changes never shift later draws. In the dimuon and four-muon families a track is a
 * muon when identified as one (detector.ts identifiedAsMuon), so a pion can fake a muon (its
 * four-vector then takes the muon mass, as the analysis would) and a muon can be lost.
 */
function reconstruct(ev: GenEvent, family: Family, rng: EventRandom, det: DetectorModel): Reco {
  const tracks: { kind: string; charge: number; p: P4; role?: string; muId: boolean }[] = [];
  const muonFamily = family === 'dimuon' || family === 'fourmuon' || family === 'fourtrack';
  const photons: P4[] = [];
  let lostTracks = 0;
  for (const q of ev.particles) {
    if (q.kind === 'invisible') continue;
    const lab = toLab(q.p);
    if (q.kind === 'gamma') {
      const m = smearPhoton(lab, rng, det);
      if (photonAccepted(lab, det)) photons.push(m);
    } else {
      let m = smearTrack(lab, trackMass(q.kind), rng, det);
      const muId = identifiedAsMuon(q.kind, rng.uniform(), det);
      if (muonFamily && muId && q.kind !== 'mu') m = p4(M_MU, m[1], m[2], m[3]);
      if (trackAccepted(lab, det)) tracks.push({ kind: q.kind, charge: q.charge, p: m, role: q.role, muId });
      else lostTracks++;
    }
  }
  photons.sort((a, b) => b[0] - a[0]);
  if (family === 'fourtrack') return reconstructFourTrack(tracks, photons, ev.truth); // tau.ts
  const eGam = photons.reduce((s, g) => s + g[0], 0);
  const row: Record<string, number> = {};
  const put3 = (pre: string, p: P4) => {
    row[`${pre}_px_GeV`] = p[1];
    row[`${pre}_py_GeV`] = p[2];
    row[`${pre}_pz_GeV`] = p[3];
  };
  if (family === 'dimuon') {
    const mus = tracks.filter((t) => t.muId);
    const plusMu = mus.find((t) => t.charge > 0), minusMu = mus.find((t) => t.charge < 0);
    // truth: the generated muon (or pion) pair, whether or not seen
    const tm = ev.particles.filter((q) => q.kind === 'mu' || q.kind === 'pi').map((q) => toLab(q.p));
    const tPair = plus(tm[0], tm[1]);
    row.truth_m_mumu_GeV = mass(tPair);
    row.truth_m_recoil_GeV = recoil(tPair);
    row.n_gamma = photons.length;
    row.E_extra_GeV = eGam;
    row.n_extra_tracks = tracks.length - (plusMu ? 1 : 0) - (minusMu ? 1 : 0);
    if (!plusMu || !minusMu) return { row, accepted: false };
    const a = plusMu.p, b = minusMu.p, pair = plus(a, b);
    put3('mu1', a);
    put3('mu2', b);
    row.p_mu1_GeV = pabs(a);
    row.p_mu2_GeV = pabs(b);
    row.cos_theta_mu1 = cosTh(a);
    row.cos_theta_mu2 = cosTh(b);
    row.m_mumu_GeV = mass(pair);
    row.m_recoil_GeV = recoil(pair);
    row.m2_recoil_GeV2 = recoil2(pair);
    row.pt_mumu_GeV = Math.hypot(pair[1], pair[2]);
    const pairCM = toCM(pair);
    row.p_mumu_cm_GeV = pabs(pairCM);
    const rec = minus([SQRT_S, 0, 0, 0], pairCM);
    row.cos_theta_recoil_cm = cosTh(rec);
    // helicity angle: mu+ direction in the pair rest frame against the pair direction in the CM
    const aCM = toCM(a), v = pabs(pairCM) > 0 ? pairCM : ([1, 0, 0, 1] as P4);
    const aRest = boost(aCM, -pairCM[1] / pairCM[0], -pairCM[2] / pairCM[0], -pairCM[3] / pairCM[0]);
    row.cos_helicity = (aRest[1] * v[1] + aRest[2] * v[2] + aRest[3] * v[3]) / Math.max(pabs(aRest) * pabs(v), 1e-300);
    return { row, accepted: true };
  }
  if (family === 'fourmuon') {
    const mus = tracks.filter((t) => t.muId);
    const pos = mus.filter((t) => t.charge > 0).sort((x, y) => pabs(y.p) - pabs(x.p));
    const neg = mus.filter((t) => t.charge < 0).sort((x, y) => pabs(y.p) - pabs(x.p));
    row.n_gamma = photons.length;
    row.E_extra_GeV = eGam;
    row.n_extra_tracks = tracks.length - Math.min(pos.length, 2) - Math.min(neg.length, 2);
    row.truth_m_Zp_GeV = ev.truth.truth_m_Zp_GeV ?? 0;
    if (pos.length < 2 || neg.length < 2) return { row, accepted: false };
    const m = [pos[0].p, pos[1].p, neg[0].p, neg[1].p];
    m.forEach((p, i) => put3(`mu${i + 1}`, p));
    row.m_4mu_GeV = mass(plus(plus(m[0], m[1]), plus(m[2], m[3])));
    for (const [i, j] of [[1, 3], [1, 4], [2, 3], [2, 4]]) {
      const pr = plus(m[i - 1], m[j - 1]);
      row[`m_mumu_${i}${j}_GeV`] = mass(pr);
      row[`m_recoil_${i}${j}_GeV`] = recoil(pr);
    }
    return { row, accepted: true };
  }
  if (family === 'photons') {
    row.n_gamma = photons.length;
    row.n_tracks = tracks.length;
    row.E_total_GeV = eGam + tracks.reduce((s, t) => s + t.p[0], 0);
    row.truth_m_GeV = ev.truth.truth_m_GeV ?? 0;
    const g = [0, 1, 2].map((i) => photons[i] ?? ([0, 0, 0, 0] as P4));
    g.forEach((p, i) => {
      row[`E_g${i + 1}_GeV`] = p[0];
      row[`E_cm_g${i + 1}_GeV`] = toCM(p)[0];
      row[`cos_theta_g${i + 1}`] = p[0] > 0 ? cosTh(p) : 0;
    });
    row.m_gg_12_GeV = Math.max(0, mass(plus(g[0], g[1])));
    row.m_gg_13_GeV = Math.max(0, mass(plus(g[0], g[2])));
    row.m_gg_23_GeV = Math.max(0, mass(plus(g[1], g[2])));
    row.m_ggg_GeV = Math.max(0, mass(plus(plus(g[0], g[1]), g[2])));
    row.m_recoil_g1_GeV = recoil(g[0]);
    row.m2_recoil_g1_GeV2 = recoil2(g[0]);
    return { row, accepted: photons.length >= 1 };
  }
  if (family === 'bmeson') {
    // B -> K(*) gamma gamma candidate: the kaon system (every role-'K' track, all needed), M_bc = sqrt(s/4 - p*_B^2),
    // Delta E = E*_B - sqrt(s)/2 (CM frame; Belle, arXiv:2507.01249)
    row.n_gamma = photons.length;
    row.n_tracks = tracks.length;
    row.truth_m_a_GeV = ev.truth.truth_m_a_GeV ?? 0;
    const ks = tracks.filter((t) => t.role === 'K');
    if (ks.length === 0 || ks.length < ev.particles.filter((q) => q.role === 'K').length || photons.length < 2) return { row, accepted: false };
    const K = ks.reduce<P4>((a, t) => plus(a, t.p), [0, 0, 0, 0]);
    const [g1, g2] = photons;
    const gg = plus(g1, g2), B = toCM(plus(K, gg));
    row.p_K_GeV = pabs(K);
    row.m_K_GeV = mass(K);
    row.E_g1_GeV = g1[0];
    row.E_g2_GeV = g2[0];
    row.cos_theta_g1 = cosTh(g1);
    row.cos_theta_g2 = cosTh(g2);
    row.m_gg_GeV = Math.max(0, mass(gg));
    row.Mbc_GeV = Math.sqrt(Math.max(0, (SQRT_S * SQRT_S) / 4 - pabs(B) ** 2));
    row.DeltaE_GeV = B[0] - SQRT_S / 2;
    return { row, accepted: true };
  }
  // llp: K + x+ x- from a displaced vertex
  const llp = ev.llp!;
  const sLab = toLab(llp.p);
  const bg = pabs(sLab) / mass(sLab);
  const L = bg * C_CM_PER_NS * llp.properTimeNs; // flight length = beta gamma c t
  const u = pabs(sLab);
  row.flight_cm = L;
  row.flight_rho_cm = (L * Math.hypot(sLab[1], sLab[2])) / u;
  row.vtx_z_cm = (L * sLab[3]) / u;
  row.t_proper_ns = llp.properTimeNs;
  row.tau_gen_ns = ev.truth.tau_gen_ns;
  row.ctau_gen_cm = ev.truth.ctau_gen_cm;
  row.truth_m_S_GeV = ev.truth.truth_m_S_GeV;
  const K = tracks.find((t) => t.role === 'K');
  const xs = tracks.filter((t) => t !== K);
  const x1 = xs.find((t) => t.charge > 0), x2 = xs.find((t) => t.charge < 0);
  if (!K || !x1 || !x2) return { row, accepted: false };
  const xx = plus(x1.p, x2.p);
  const mx = trackMass(x1.kind);
  row.p_K_GeV = pabs(K.p);
  row.p_x1_GeV = pabs(x1.p);
  row.p_x2_GeV = pabs(x2.p);
  row.m_xx_GeV = mass(xx);
  row.m_red_GeV = Math.sqrt(Math.max(0, row.m_xx_GeV ** 2 - 4 * mx * mx)); // M_red = sqrt(M^2 - 4 m^2) (Belle II, arXiv:2306.02830)
  row.m_Kxx_GeV = mass(plus(K.p, xx));
  row.p_S_GeV = pabs(xx);
  return { row, accepted: true };
}

interface GenRun {
  readonly o: GenerateOptions;
  readonly proc: ProcessDef;
  readonly params: Params;
  readonly first: number;
  readonly weight: number;
  readonly det: DetectorModel;
  readonly acceptedOnly: boolean;
  readonly key: Key;
  readonly rng: EventRandom;
  readonly names: string[];
  readonly cols: Record<string, Float32Array | Float64Array>;
  /** Rows kept so far, and the random blocks the events drew (for generateOn's prefetch size). */
  k: number;
  blocks: number;
}

function startRun(o: GenerateOptions): GenRun {
  const proc = getProcess(o.process);
  const params = resolveParams(proc, o.params);
  const first = o.firstEvent ?? 0;
  if (!Number.isSafeInteger(o.events) || o.events < 0) throw new RangeError(`events must be a non-negative integer, got ${o.events}`);
  if (!Number.isInteger(first) || first < 0 || first + o.events > 2 ** 32) throw new RangeError(`event indices ${first}..${first + o.events - 1} must lie in [0, 2^32)`);
  const weight = o.weight ?? 1;
  if (!(weight >= 0) || !Number.isFinite(weight)) throw new RangeError(`weight must be finite and >= 0, got ${weight}`);
  const key = eventKey(o.seed, proc);
  const names = Object.keys(FAMILY_COLUMNS[proc.family]);
  const cols: Record<string, Float32Array | Float64Array> = { event: new Float64Array(o.events), weight: new Float32Array(o.events) };
  for (const n of names) cols[n] = new Float32Array(o.events);
  return { o, proc, params, first, weight, det: o.detector ?? BELLE2_DETECTOR, acceptedOnly: o.acceptedOnly ?? true, key, rng: new EventRandom(key), names, cols, k: 0, blocks: 0 };
}

/** Events first + a .. first + b - 1 into the run's columns. */
function runEvents(r: GenRun, a: number, b: number): void {
  const { proc, params, rng, det, names, cols } = r;
  for (let i = a; i < b; i++) {
    const ev = r.first + i;
    rng.start(ev);
    const g = proc.generate(rng, params);
    const rec = reconstruct(g, proc.family, rng, det);
    r.blocks += rng.blocksUsed;
    if (r.acceptedOnly && !rec.accepted) continue;
    const k = r.k++;
    cols.event[k] = ev;
    cols.weight[k] = g.weight === undefined ? r.weight : r.weight * g.weight;
    for (const n of names) {
      const v = rec.row[n] ?? 0;
      if (!Number.isFinite(v)) throw new Error(`generator: process ${proc.name}, event ${ev}: column ${n} is ${v} (a bug)`);
      cols[n][k] = v;
    }
  }
}

function endRun(r: GenRun, extra: Record<string, unknown> = {}): EventSample {
  const { proc, params, o, first, k } = r;
  const cols = r.cols;
  for (const n of Object.keys(cols)) cols[n] = cols[n].slice(0, k);
  return {
    process: proc.name,
    family: proc.family,
    seed: o.seed,
    params,
    nGenerated: o.events,
    firstEvent: first,
    length: k,
    columns: cols,
    units: { ...COMMON_COLUMNS, ...FAMILY_COLUMNS[proc.family] },
    sigmaFb: proc.sigmaFb(params),
    sigmaSource: proc.sigmaSource,
    illustrative: proc.illustrative,
    meta: { ...metadata(proc, o.seed, params, o.events, first, k, r.acceptedOnly), ...extra },
  };
}

/**
 * Generates `events` events of a process (indices firstEvent ..). Returns the rows that pass the
 * family's acceptance (all rows with acceptedOnly = false; unseen quantities are then 0).
 */
export function generate(o: GenerateOptions): EventSample {
  const r = startRun(o);
  runEvents(r, 0, o.events);
  return endRun(r);
}

/** Rows of generate's output for an event range (a part of a sample generated elsewhere, e.g. a worker). */
export interface EventPart {
  readonly length: number;
  readonly columns: Readonly<Record<string, Float32Array | Float64Array>>;
}

/**
 * The sample of `o` from generate's outputs for contiguous event ranges that cover o's events in
 * order (generate({ ...o, firstEvent: first + a, events: b - a }) for each [a, b)): event i is a
 * pure function of its index, so the concatenation is generate(o) bit for bit.
 */
export function assembleParts(o: GenerateOptions, parts: readonly EventPart[], extra: Record<string, unknown> = {}): EventSample {
  const r = startRun(o);
  for (const p of parts) {
    for (const n of Object.keys(r.cols)) {
      const c = p.columns[n];
      if (!c || c.length !== p.length) throw new Error(`generator: a part of ${o.process} lacks column ${n} (a bug)`);
      r.cols[n].set(c, r.k);
    }
    r.k += p.length;
  }
  return endRun(r, extra);
}

/**
 * Generates a sample's events elsewhere (host/generate-pool.ts: Node worker threads), the same
 * events as generate; generateOn hands samples of at least minEvents events to it.
 */
export interface ParallelGenerator {
  readonly workers: number;
  readonly minEvents: number;
  generate(o: GenerateOptions, signal?: AbortSignal): Promise<EventSample>;
}

/**
 * Items (blocks) per event_blocks dispatch of generateOn: 2^16 blocks = 1 MB of words (2^20 gave
 * the generator workers 16 MB buffers and 30-40% of their CPU in GC: e e mu mu, 49152 events on a
 * 1-thread WASM backend, 1010 -> 891 ms CPU at load ~13).
 */
const PREFETCH_BLOCKS = 1 << 16;

/**
 * generate with the events' random blocks computed on a backend (the event_blocks kernel): the
 * same Philox blocks EventRandom would compute, so the same events bit for bit. In chunks of
 * events; each chunk prefetches per event about twice the mean blocks the events so far drew (an
 * event that needs more computes the rest on the host). The physics stays host TypeScript.
 */
export async function generateOn(backend: Backend, o: GenerateOptions, signal?: AbortSignal, parallel?: ParallelGenerator): Promise<EventSample> {
  if (parallel && o.events >= parallel.minEvents) return parallel.generate(o, signal);
  const r = startRun(o);
  // The blocks of chunk i + 1 are computed (a backend with workers: on another core) while the
  // host generates chunk i; the prefetch size follows the chunks finished so far.
  // The first two chunks (dispatched before any event has run) are short, so that the block
  // count per event is learnt early (a worker's 8192-event request is otherwise one chunk of 16).
  const dispatch = (a: number, nb: number, most = 8192) => {
    const n = Math.min(o.events - a, Math.max(1, Math.floor(PREFETCH_BLOCKS / nb)), most);
    const words = backend.run(eventBlocks, { count: n * nb, params: { key0: r.key[0], key1: r.key[1], first: r.first + a, per_event: nb }, signal });
    words.catch(() => undefined); // awaited below; a run abandoned by an abort must not surface as unhandled
    return { a, n, nb, words };
  };
  let next = o.events > 0 ? dispatch(0, 16, 256) : null;
  while (next) {
    signal?.throwIfAborted();
    const cur = next;
    const words = (await cur.words).words;
    const a = cur.a + cur.n;
    next = a < o.events ? (cur.a > 0 ? dispatch(a, Math.min(1024, Math.max(4, 4 * Math.ceil((2 * r.blocks) / cur.a / 4)))) : dispatch(a, cur.nb, 256)) : null;
    r.rng.prefetched(words, r.first + cur.a, cur.n, cur.nb);
    runEvents(r, cur.a, a);
  }
  r.rng.prefetched(null);
  return endRun(r, { random_blocks: `event_blocks kernel on the ${backend.info().name} backend (the same Philox blocks as the host)` });
}

function metadata(proc: ProcessDef, seed: number, params: Params, n: number, first: number, kept: number, acceptedOnly: boolean): Record<string, unknown> {
  return {
    generator: 'darkscan fast simulation',
    generator_version: GENERATOR_VERSION,
    rng: 'philox4x32-10',
    stream_version: RANDOM_STREAM_VERSION,
    seed,
    process: proc.name,
    process_kind: proc.kind,
    description: proc.description,
    params,
    sqrt_s_GeV: SQRT_S,
    beams_GeV: { e_minus: 7, e_plus: 4 },
    n_generated: n,
    first_event: first,
    n_kept: kept,
    accepted_only: acceptedOnly,
    sigma_fb: proc.sigmaFb(params),
    sigma_source: proc.sigmaSource,
    sigma_illustrative: proc.illustrative,
  };
}

/** Expected number of generated events at an integrated luminosity (fb^-1): sigma x L. */
export function expectedEvents(process: string, lumiFb: number, params: Readonly<Params> = {}): number {
  const proc = getProcess(process);
  if (!(lumiFb >= 0) || !Number.isFinite(lumiFb)) throw new RangeError(`luminosity must be finite and >= 0 fb^-1, got ${lumiFb}`);
  return proc.sigmaFb(resolveParams(proc, params)) * lumiFb;
}

export interface LumiOptions extends Omit<GenerateOptions, 'events' | 'firstEvent' | 'weight'> {
  /** Integrated luminosity, fb^-1. */
  readonly lumiFb: number;
  /**
   * At most this many events are simulated (default 5e6). Above it the sample is a random
   * subsample of maxEvents events, each with weight N / maxEvents (N the Poisson count), and
   * meta.oversampled says so; with `exact: true` exceeding it is an error instead.
   */
  readonly maxEvents?: number;
  readonly exact?: boolean;
}

/**
 * Events at a luminosity: N ~ Poisson(sigma L) drawn from the seed (its own key), then events
 * 0 .. N-1 (so a larger luminosity with the same seed extends, event by event, a smaller one's
 * events whenever its N is larger).
 */
export function generateAtLuminosity(o: LumiOptions): EventSample {
  const c = lumiCount(o);
  return lumiSample(generate({ ...o, events: c.n, firstEvent: 0, weight: c.weight }), o, c);
}

/** generateAtLuminosity with the random blocks on a backend (generateOn): the same events. */
export async function generateAtLuminosityOn(backend: Backend, o: LumiOptions, signal?: AbortSignal, parallel?: ParallelGenerator): Promise<EventSample> {
  const c = lumiCount(o);
  return lumiSample(await generateOn(backend, { ...o, events: c.n, firstEvent: 0, weight: c.weight }, signal, parallel), o, c);
}

interface LumiCount { mu: number; N: number; n: number; weight: number }

function lumiCount(o: LumiOptions): LumiCount {
  const proc = getProcess(o.process);
  const mu = expectedEvents(o.process, o.lumiFb, o.params ?? {});
  const crng = new EventRandom(countKey(o.seed, proc)).start(0);
  const N = poisson(crng, mu);
  const maxEvents = o.maxEvents ?? 5_000_000;
  if (N > 2 ** 32) throw new RangeError(`${o.process}: ${N} events at ${o.lumiFb} fb^-1 exceed 2^32 event indices`);
  let n = N, weight = 1;
  if (N > maxEvents) {
    if (o.exact) throw new Error(`${o.process}: ${N} events at ${o.lumiFb} fb^-1 (sigma = ${proc.sigmaFb(resolveParams(proc, o.params))} fb) exceed maxEvents = ${maxEvents}; raise maxEvents, lower the luminosity, or allow weighted events`);
    n = maxEvents;
    weight = N / maxEvents;
  }
  return { mu, N, n, weight };
}

function lumiSample(s: EventSample, o: LumiOptions, c: LumiCount): EventSample {
  return { ...s, lumiFb: o.lumiFb, meta: { ...s.meta, lumi_fb: o.lumiFb, expected_events: c.mu, poisson_events: c.N, oversampled: c.N > c.n, event_weight: c.weight } };
}
