// The page's archive reader (web/archive.ts, issue 20) in Node (DecompressionStream is a Node 20
// global): GNU tar.gz with a long name, POSIX pax tar written by GNU tar here, zip (deflate and
// stored), each file's bytes equal to the original; corrupt archives fail with their name. And
// the page's toy progress bar reads runToyBlocks' real messages.
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { readTar, readZip, unpack } from '../web/archive.js';
import { zipStore } from '../web/zip.js';
import { loadModelsFromText, runLikelihood, sortFiles, toyFraction } from '../web/likelihood.js';
import { CpuBackend } from '../host/cpu.js';

const PS = join(import.meta.dirname, 'fixtures', 'pyhf', 'patchsets');
const HEP = join(import.meta.dirname, 'fixtures', 'hepdata');
const bkg = readFileSync(join(PS, 'mass_scan_bkg.json'));
const patchset = readFileSync(join(PS, 'mass_scan_patchset.json'));
const eq = (a: Uint8Array, b: Uint8Array) => expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);

describe('web/archive.ts', () => {
  it('a GNU tar.gz (HEPData-like resource, path over 100 characters): every file, its bytes', async () => {
    const f = await unpack('r.tar.gz', readFileSync(join(HEP, 'likelihood-resource.tar.gz')));
    expect(f.map((x) => x.name.split('/').pop())).toEqual(['BkgOnly.json', 'README.txt', 'patchset.json']);
    expect(f[0].name.length).toBeGreaterThan(100);
    eq(f[0].bytes, bkg);
    eq(f[2].bytes, patchset);
  });
  it('a zip with deflated entries and a directory entry: the files, CRC-checked', async () => {
    const f = await unpack('r.zip', readFileSync(join(HEP, 'likelihood-resource.zip')));
    expect(f.map((x) => x.name)).toEqual(['mass_scan/patchset.json', 'mass_scan/README.txt', 'mass_scan/BkgOnly.json']);
    eq(f[0].bytes, patchset);
    eq(f[2].bytes, bkg);
  });
  it('stored zip entries (web/zip.ts writer) and a lone .gz', async () => {
    const z = zipStore([{ name: 'a/b.json', text: '{"x": 1}' }, { name: 'c.txt', text: 'é' }]);
    const f = await readZip(z, 'z.zip');
    expect(f.map((x) => [x.name, new TextDecoder().decode(x.bytes)])).toEqual([['a/b.json', '{"x": 1}'], ['c.txt', 'é']]);
    const g = await unpack('ws.json.gz', gzipSync(bkg));
    expect(g).toHaveLength(1);
    expect(g[0].name).toBe('ws.json');
    eq(g[0].bytes, bkg);
  });
  it('a POSIX (pax) tar from GNU tar with a long path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'darkscan-tar-'));
    try {
      const deep = join(dir, 'src', 'x'.repeat(120));
      mkdirSync(deep, { recursive: true });
      writeFileSync(join(deep, 'BkgOnly.json'), bkg);
      execFileSync('tar', ['--format=posix', '-C', join(dir, 'src'), '-cf', join(dir, 'a.tar'), 'x'.repeat(120)]);
      const f = readTar(readFileSync(join(dir, 'a.tar')), 'a.tar');
      expect(f.map((x) => x.name)).toEqual([`${'x'.repeat(120)}/BkgOnly.json`]);
      eq(f[0].bytes, bkg);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('corrupt archives: truncated, bad checksum, bad CRC, not gzip data', async () => {
    const zip = readFileSync(join(HEP, 'likelihood-resource.zip'));
    await expect(unpack('t.zip', zip.subarray(0, 900))).rejects.toThrow(/^t\.zip: no end of central directory/);
    const bad = Buffer.from(zip);
    const at = bad.indexOf('mass_scan/patchset.json') + 'mass_scan/patchset.json'.length + 20; // inside its deflate data
    bad[at] ^= 0x55;
    await expect(unpack('c.zip', bad)).rejects.toThrow(/^c\.zip: mass_scan\/patchset\.json/);
    const tgz = readFileSync(join(HEP, 'likelihood-resource.tar.gz'));
    await expect(unpack('x.tar.gz', tgz.subarray(0, 600))).rejects.toThrow(/^x\.tar\.gz: gzip data is corrupt/);
    const tar = Buffer.from(execFileSync('gzip', ['-dc'], { input: tgz }));
    tar[10] ^= 1;
    expect(() => readTar(tar, 'h.tar')).toThrow(/^h\.tar: header at byte 0: checksum/);
  });
  it('sortFiles: workspaces, patchsets, and every other file named with the reason it is not used', async () => {
    const f = await sortFiles([
      { name: 'r.zip', bytes: readFileSync(join(HEP, 'likelihood-resource.zip')) },
      { name: 'x.json', bytes: new TextEncoder().encode('{"a": 1}') },
      { name: 'y.json', bytes: new TextEncoder().encode('{"a": ') },
    ]);
    expect(f.workspaces.map((w) => w.name)).toEqual(['r.zip:mass_scan/BkgOnly.json']);
    expect(f.patchsets.map((w) => w.name)).toEqual(['r.zip:mass_scan/patchset.json']);
    expect(f.ignored.map((i) => i.name)).toEqual(['r.zip:mass_scan/README.txt', 'x.json', 'y.json']);
    expect(f.ignored[2].why).toMatch(/^y\.json: invalid JSON at line 1 column 7/);
  });
});

describe('web/likelihood.ts toyFraction', () => {
  it("reads runToyBlocks' progress messages: rising fractions up to 0.99", async () => {
    const seen: [string, number][] = [];
    const l = loadModelsFromText({ name: 'bkg.json', text: bkg.toString() }, { patchset: { name: 'ps.json', text: patchset.toString() }, patch: 'mass_15' });
    await runLikelihood(new CpuBackend(), l, { kind: 'cls', poi: 1, stat: 'qtilde', toys: { toys: 40, seed: 1 } }, { progress: (m, f) => seen.push([m, f]) });
    const toyMsgs = seen.filter(([m]) => m.startsWith('toys: ['));
    expect(toyMsgs.length).toBeGreaterThan(0);
    const f = toyMsgs.map(([m]) => toyFraction(m, 40));
    expect(f.every((x) => x > 0.02)).toBe(true);
    for (let i = 1; i < f.length; i++) expect(f[i]).toBeGreaterThanOrEqual(f[i - 1]);
    expect(toyFraction(seen.at(-1)![0], 40)).toBe(0.99);
  });
});
