// Output files appear complete or not at all: written beside the target, renamed at the end.
// An interrupted run (Ctrl-C, a crash) leaves at most a `.partial` file, never a truncated result.
import { renameSync, writeFileSync, rmSync } from 'node:fs';

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
