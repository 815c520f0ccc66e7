// Shared argument handling for the darkscan subcommands.
import { parseBackendChoice, selectBackend, type Backend, type BackendOptions } from '../../host/index.js';

export type Out = (s: string) => void;
/** What every command may use besides its arguments: Ctrl-C arrives as `signal`. */
export interface Context {
  readonly signal?: AbortSignal;
  /** Progress lines (stderr on a TTY); quiet when undefined. */
  readonly progress?: (s: string) => void;
}
/** A command-line option: node:util parseArgs' fields plus its help line (`arg`: the value's placeholder). */
export interface OptionDoc {
  readonly type: 'string' | 'boolean';
  readonly default?: string;
  readonly multiple?: boolean;
  readonly arg?: string;
  readonly help: string;
}
export type OptionDocs = Readonly<Record<string, OptionDoc>>;
/** A subcommand: `options` is what its parseArgs takes, so `--help` lists exactly what it accepts. */
export type Command = { summary: string; usage: string; options: OptionDocs; run: (args: string[], out: Out, ctx: Context) => Promise<number> };

/** `darkscan NAME --help`: usage, a blank line, the description, then every option with its default. */
export function helpText(c: Command): string {
  const lines = [`usage: darkscan ${c.usage}`, '', c.summary, '', 'options:'];
  const flag = (k: string, o: OptionDoc): string => `--${k}${o.type === 'string' ? ` ${o.arg ?? 'VALUE'}` : ''}`;
  const width = Math.max(...Object.entries(c.options).map(([k, o]) => flag(k, o).length), 10) + 2;
  for (const [k, o] of Object.entries(c.options)) {
    lines.push(`  ${flag(k, o).padEnd(width)}${o.help}${o.default !== undefined ? ` (default: ${o.default})` : ''}${o.multiple ? ' (repeatable)' : ''}`);
  }
  lines.push(`  ${'--help'.padEnd(width)}this text`);
  return lines.join('\n');
}

/** Options every subcommand that computes accepts (merge into its parseArgs options). */
export const BACKEND_FLAGS = {
  backend: { type: 'string', arg: 'NAME', help: 'auto|webgpu|wasm|cpu; default: $DARKSCAN_BACKEND, else auto (a hardware GPU, else wasm, else cpu; `darkscan backends` says which and why)' },
  workers: { type: 'string', arg: 'N', help: 'WASM worker threads (default: all cores)' },
} as const;

export function backendOptions(v: { backend?: string; workers?: string }): BackendOptions {
  const workers = v.workers === undefined ? undefined : intArg(v.workers, '--workers', 1);
  return {
    backend: v.backend === undefined ? undefined : parseBackendChoice(v.backend, '--backend'),
    wasm: { workers },
  };
}

/** Runs `f` on the backend the --backend / --workers flags select, and disposes of it however `f` ends. */
export async function withBackend<T>(flags: { backend?: string; workers?: string }, f: (backend: Backend) => Promise<T>): Promise<T> {
  const backend = await selectBackend(backendOptions(flags));
  try {
    return await f(backend);
  } finally {
    await backend.dispose();
  }
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
export const COLUMNS_FLAG = {
  columns: { type: 'string', arg: 'NAME=COLUMN,...', help: "the files' own column names for darkscan's, e.g. m_mumu_GeV=Mmumu,m_recoil_GeV=recoilMass" },
} as const;

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
