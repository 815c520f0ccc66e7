// Scratch directories for tests: one helper so that every test file cleans up after itself.
// tempDir() makes `<os.tmpdir()>/darkscan-<name>-XXXXXX`; the afterAll below (registered once per
// test file, since vitest evaluates this module afresh for each file) removes every directory the
// file made, whether its tests passed or failed. Set TMPDIR to keep a run's scratch apart.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];

afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A fresh directory under os.tmpdir(), removed after the calling test file. */
export function tempDir(name: string): string {
  const dir = mkdtempSync(join(tmpdir(), `darkscan-${name}-`));
  made.push(dir);
  return dir;
}
