// Output files appear complete or not at all: written beside the target, renamed at the end.
// An interrupted run (Ctrl-C, a crash) leaves at most a `.partial` file, never a truncated result.
import { accessSync, constants, existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export function writeAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.partial-${process.pid}`;
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Checked before the work starts: the output's folder exists (and is a folder we can write to),
 * the output is not a folder, and an existing file is replaced only with `--force` (results are
 * never silently overwritten).
 */
export function checkOutputPath(path: string, force = false, flag = '--out'): void {
  const dir = dirname(resolve(path));
  let st;
  try {
    st = statSync(dir);
  } catch {
    throw new Error(`${flag} ${path}: the folder ${dir} does not exist (create it first)`);
  }
  if (!st.isDirectory()) throw new Error(`${flag} ${path}: ${dir} is not a folder`);
  try {
    accessSync(dir, constants.W_OK);
  } catch {
    throw new Error(`${flag} ${path}: the folder ${dir} is not writable`);
  }
  if (existsSync(path)) {
    if (statSync(path).isDirectory()) throw new Error(`${flag} ${path}: is a folder, not a file`);
    if (!force) throw new Error(`${flag} ${path}: exists; pass --force to overwrite it`);
  }
}

/** The --force option of every command that writes results. */
export const FORCE_FLAG = { force: { type: 'boolean', help: 'overwrite existing output files (otherwise an existing output is an error)' } } as const;

/**
 * An output folder (created by the writer if absent), checked before the work: the nearest
 * existing folder above it is writable, and `file` inside it is replaced only with `--force`.
 */
export function checkOutputDir(dir: string, file: string, force = false, flag = '--out'): void {
  let up = resolve(dir);
  while (!existsSync(up)) up = dirname(up);
  if (!statSync(up).isDirectory()) throw new Error(`${flag} ${dir}: ${up} is not a folder`);
  try {
    accessSync(up, constants.W_OK);
  } catch {
    throw new Error(`${flag} ${dir}: the folder ${up} is not writable`);
  }
  const target = resolve(dir, file);
  if (existsSync(target) && !force) throw new Error(`${flag} ${dir}: ${target} exists; pass --force to overwrite the results`);
}
