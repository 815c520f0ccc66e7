// What every reader returns: named numeric columns of equal length, plus where they came from.
export type NumericColumn = Float64Array | Float32Array;

export interface ColumnTable {
  /** Rows. */
  readonly length: number;
  readonly columns: Record<string, NumericColumn>;
  /** Metadata found in the file (CSV '# key: value' header, JSON "meta"), else {}. */
  readonly meta: Record<string, unknown>;
  /** File name or description, used in error messages. */
  readonly source: string;
}

/**
 * Column mapping: output name -> name in the file (e.g. { m_mumu_GeV: 'M' }). When given, only
 * the mapped columns are returned; a missing one is an error that lists the available columns.
 * An array of names means "these columns, same names".
 */
export type ColumnMapping = Readonly<Record<string, string>> | readonly string[];

export class FileFormatError extends Error {
  constructor(readonly source: string, message: string) {
    super(`${source}: ${message}`);
    this.name = 'FileFormatError';
  }
}

export function normalizeMapping(m: ColumnMapping | undefined): [string, string][] | undefined {
  if (m === undefined) return undefined;
  if (Array.isArray(m)) return (m as readonly string[]).map((n) => [n, n]);
  return Object.entries(m as Record<string, string>);
}

/** Applies a mapping to a name -> column record, with errors naming the missing column. */
export function selectColumns(source: string, all: Record<string, NumericColumn>, mapping: ColumnMapping | undefined): Record<string, NumericColumn> {
  const pairs = normalizeMapping(mapping);
  if (!pairs) return all;
  const out: Record<string, NumericColumn> = {};
  for (const [to, from] of pairs) {
    const c = all[from];
    if (!c) throw new FileFormatError(source, `column '${from}'${to !== from ? ` (for '${to}')` : ''} not found; available: ${Object.keys(all).join(', ') || 'none'}`);
    out[to] = c;
  }
  return out;
}

/** Source names a mapping needs (to read only those). */
export function neededColumns(mapping: ColumnMapping | undefined): string[] | undefined {
  return normalizeMapping(mapping)?.map(([, from]) => from);
}

/**
 * The user's own column names for the ones darkscan expects (`--columns m_mumu_GeV=Mmumu,...`):
 * every column stays, and each mapped one is also available under darkscan's name (a file that
 * has no such column but already has darkscan's name is left as it is).
 */
export function withColumnNames<C>(source: string, all: Record<string, C>, mapping: Readonly<Record<string, string>> | undefined): Record<string, C> {
  if (!mapping) return all;
  const out = { ...all };
  for (const [to, from] of Object.entries(mapping)) {
    if (!(from in all)) {
      if (to in all) continue; // this file already uses darkscan's name
      throw new FileFormatError(source, `--columns ${to}=${from}: the file has no column '${from}' (its columns: ${Object.keys(all).join(', ') || 'none'})`);
    }
    out[to] = all[from];
  }
  return out;
}

/** The problem of a missing column, for a file that has others: what it has and how to map one. */
export function missingColumnProblem(want: string, have: readonly string[]): string {
  return `missing column (the file's columns: ${have.join(', ') || 'none'}); if one of them is ${want}, map it: --columns ${want}=THAT_COLUMN`;
}
