// Writes a search result (any search: engine/analyses/search.ts) to a folder: results.json,
// HEPData and SVG plots. The files' contents come from render.ts (pure, shared with the browser page).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeAtomic } from '../output.js';
import type { CellSearchResult, SearchResult } from './search.js';
import { renderReport } from './render.js';

export { SLICES_GeV, slices } from './render.js';

export function writeReport(r: SearchResult | CellSearchResult, dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (const f of renderReport(r)) {
    writeAtomic(join(dir, f.name), f.text);
    files.push(join(dir, f.name));
  }
  return files;
}
