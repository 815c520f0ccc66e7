// Shared argument handling for the darkscan subcommands.
import { parseBackendChoice, type BackendOptions } from '../../host/index.js';

export type Out = (s: string) => void;
/** What every command may use besides its arguments: Ctrl-C arrives as `signal`. */
export interface Context {
  readonly signal?: AbortSignal;
  /** Progress lines (stderr on a TTY); quiet when undefined. */
  readonly progress?: (s: string) => void;
}
export type Command = { summary: string; usage: string; run: (args: string[], out: Out, ctx: Context) => Promise<number> };

/** Options every subcommand that computes accepts (merge into its parseArgs options). */
export const BACKEND_FLAGS = {
  backend: { type: 'string' },
  workers: { type: 'string' },
} as const;

export function backendOptions(v: { backend?: string; workers?: string }): BackendOptions {
  const workers = v.workers === undefined ? undefined : intArg(v.workers, '--workers', 1);
  return {
    backend: v.backend === undefined ? undefined : parseBackendChoice(v.backend, '--backend'),
    wasm: { workers },
  };
}

export function intArg(s: string, flag: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const v = Number(s);
  if (!/^\s*\d+\s*$/.test(s) || !Number.isSafeInteger(v) || v < min || v > max) {
    throw new Error(`${flag}: expected an integer in [${min}, ${max}], got '${s}'`);
  }
  return v;
}

export function numArg(s: string, flag: string, min = -Infinity, max = Infinity): number {
  const v = Number(s);
  if (s.trim() === '' || !Number.isFinite(v) || v < min || v > max) throw new Error(`${flag}: expected a number in [${min}, ${max}], got '${s}'`);
  return v;
}

export function required<T>(v: T | undefined, flag: string, why = ''): T {
  if (v === undefined) throw new Error(`${flag} is required${why ? ` (${why})` : ''}`);
  return v;
}

/** `--columns canonical=fileColumn,...`: every command that reads events accepts the user's column names. */
export const COLUMNS_FLAG = { columns: { type: 'string' } } as const;
export const COLUMNS_HELP = "--columns NAME=COLUMN,...  the file's own column names for the ones darkscan expects, e.g. m_mumu_GeV=Mmumu,m_recoil_GeV=recoilMass";

export function columnMapArg(s: string | undefined, flag = '--columns'): Record<string, string> | undefined {
  if (s === undefined) return undefined;
  const map: Record<string, string> = {};
  for (const part of s.split(',')) {
    const m = /^\s*([^=\s]+)\s*=\s*([^=]+?)\s*$/.exec(part);
    if (!m) throw new Error(`${flag}: expected NAME=COLUMN[,NAME=COLUMN...] (darkscan's name = the file's column), got '${part}'`);
    if (m[1] in map) throw new Error(`${flag}: '${m[1]}' is mapped twice`);
    map[m[1]] = m[2];
  }
  return map;
}
