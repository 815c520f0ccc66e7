// A 1D bump hunt as data (the spec each 1D search of searches.ts and searches-tau.ts writes),
// turned into a definition of the one pipeline (search.ts), and the candidate builders they share.
import { grid1D, type Resolution, type WindowGrid } from '../windows.js';
import type { Params } from '../generate/index.js';
import type { GridOverrides, SearchDefinition } from './search.js';

type Cols = Readonly<Record<string, ArrayLike<number>>>;

/** One candidate per event: column `col`. */
export function oneCandidate(col: string) {
  return (c: Cols, n: number) => {
    const x = new Float32Array(n), from = new Uint32Array(n);
    for (let i = 0; i < n; i++) (x[i] = c[col][i]), (from[i] = i);
    return { x, from };
  };
}

/** Several candidates per event: each of the columns `cols`. */
export function manyCandidates(cols: readonly string[]) {
  return (c: Cols, n: number) => {
    const x = new Float32Array(n * cols.length), from = new Uint32Array(n * cols.length);
    let k = 0;
    for (let i = 0; i < n; i++) for (const col of cols) (x[k] = c[col][i]), (from[k++] = i);
    return { x, from };
  };
}

/** A 1D bump hunt: selection, candidates, scan variable, resolution, signal masses, backgrounds, coupling. */
export type Search1DSpec = Pick<SearchDefinition, 'name' | 'id' | 'title' | 'reaction' | 'limitName' | 'paper' | 'eventColumns' | 'selection' | 'select' | 'backgrounds' | 'coupling' | 'branchingFraction' | 'notes' | 'mlp'> & {
  readonly signal: { readonly process: string; readonly massParam: string; readonly params?: Params; readonly generatedFraction?: number };
  candidates(c: Cols, n: number): { x: Float32Array; from: Uint32Array };
  readonly variable: string;
  readonly variableLabel: string;
  readonly grid: { readonly min: number; readonly max: number; readonly sigma: Resolution; readonly sigmaDoc: string; readonly k?: number; readonly step?: number };
  massOf(x: number): number;
  peakOf(m: number): number;
  readonly massName: string;
  readonly signalMasses: readonly number[];
  readonly signalEventsPerPoint?: number;
  /** The fit model (the paper fits the spectrum per mass hypothesis): range and bins in units of the grid's resolution; absent: counting windows. */
  readonly fit?: { readonly halfRangeSigma: number; readonly binsPerSigma: number; readonly doc: string };
};

export function search1D(d: Search1DSpec): SearchDefinition {
  return {
    name: d.name, id: d.id, title: d.title, reaction: d.reaction, limitName: d.limitName, paper: d.paper,
    signal: { process: d.signal.process, massParams: [d.signal.massParam], params: d.signal.params, generatedFraction: d.signal.generatedFraction },
    mlp: d.mlp,
    model: d.fit ? 'fit' : 'window',
    // A search with one MLP per range of the scan variable: no fit range crosses a range edge (the background steps there).
    fit: d.fit ? { ...d.fit, sigma: d.grid.sigma, ...(d.mlp?.ranges?.column === d.variable ? { edges: d.mlp.ranges.edges } : {}) } : undefined,
    eventColumns: d.eventColumns, selection: d.selection, select: d.select,
    candidates(c, n) {
      const { x, from } = d.candidates(c, n);
      return { coords: [x], from };
    },
    variables: [d.variable], variableLabels: [d.variableLabel],
    grid: (o: GridOverrides = {}): WindowGrid => grid1D({
      name: d.name, variable: d.variable, min: o.min ?? d.grid.min, max: o.max ?? d.grid.max, sigma: d.grid.sigma,
      sigmaDoc: d.grid.sigmaDoc, k: o.k ?? d.grid.k ?? 2, step: o.step ?? d.grid.step ?? 2,
    }),
    massesOf: (g, w) => [d.massOf(g.cx[w])],
    peakOf: (m) => [d.peakOf(m[0])],
    massNames: [d.massName],
    windowFields: (g, w) => ({ x_GeV: g.cx[w], half_width_GeV: g.ax[w], mass_GeV: d.massOf(g.cx[w]) }),
    signalPoints: d.signalMasses.map((m) => [m]),
    signalEventsPerPoint: d.signalEventsPerPoint ?? 2000,
    backgrounds: d.backgrounds, coupling: d.coupling, branchingFraction: d.branchingFraction, notes: d.notes,
  };
}
