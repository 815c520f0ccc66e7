// CLI ergonomics (issue 12): the user's own column names (--columns) on every command that reads
// events, missing-column messages that list the file's columns, and --help of every command.
import { describe, expect, it } from 'vitest';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { COMMANDS, main } from '../engine/cli/index.js';
import { generateLlpSample } from '../engine/llp/sample.js';
import { CpuBackend } from '../host/index.js';
import { testWords } from '../kernels/testing.js';
import { tempDir } from './tmp.js';

const dir = tempDir('ergo');
const quiet = (): void => {};

/** n events in (M_mumu, M_recoil) from the test stream, written under the given column names. */
function dimuonCsv(file: string, names: [string, string], n = 400, extra = ''): string {
  const w = testWords(2 * n, 77);
  const rows = [names.join(',') + (extra ? `,${extra}` : '')];
  for (let i = 0; i < n; i++) rows.push(`${(0.2 + 9 * (w[2 * i] / 2 ** 32)).toFixed(5)},${(9.5 * (w[2 * i + 1] / 2 ** 32)).toFixed(5)}${extra ? ',1' : ''}`);
  const path = join(dir, file);
  writeFileSync(path, rows.join('\n') + '\n');
  return path;
}

describe('run --config: an input file that cannot be read', () => {
  it('is named with its JSON path in the config, before any work', async () => {
    const d = dimuonCsv('run-data.csv', ['m_mumu_GeV', 'm_recoil_GeV']);
    const cfg = join(dir, 'missing-input.json');
    writeFileSync(cfg, JSON.stringify({ analysis: 'zprime-mumu', inputs: { data: { path: d }, backgrounds: [{ path: 'nowhere.csv' }] } }));
    await expect(main(['run', '--config', cfg, '--quick', '--backend', 'cpu', '--out', join(dir, 'missing-input-out')], quiet)).rejects.toThrow(
      /missing-input\.json: config\.inputs\.backgrounds\[0\]\.path: .*nowhere\.csv: no such file/,
    );
  });
});

describe('--columns NAME=COLUMN', () => {
  it('scan: a file with its own names scans like one with darkscan names; the mapping is recorded', async () => {
    const canonical = dimuonCsv('canonical.csv', ['m_mumu_GeV', 'm_recoil_GeV']);
    const own = dimuonCsv('own.csv', ['Mmumu', 'recoilMass'], 400, 'unused');
    const bg = dimuonCsv('bg.csv', ['Mmumu', 'recoilMass']);
    const a = join(dir, 'a.json'), b = join(dir, 'b.json');
    expect(await main(['scan', '--data', canonical, '--background', dimuonCsv('bg0.csv', ['m_mumu_GeV', 'm_recoil_GeV']), '--grid', 'dark-higgsstrahlung', '--backend', 'wasm', '--out', a], quiet)).toBe(0);
    expect(await main(['scan', '--data', own, '--background', bg, '--grid', 'dark-higgsstrahlung', '--columns', 'm_mumu_GeV=Mmumu,m_recoil_GeV=recoilMass', '--backend', 'wasm', '--out', b], quiet)).toBe(0);
    const ja = JSON.parse(readFileSync(a, 'utf8')), jb = JSON.parse(readFileSync(b, 'utf8'));
    expect(jb.windows).toEqual(ja.windows);
    expect(jb.windows.some((w: { n: number }) => w.n > 0)).toBe(true);
    expect(jb.inputs.data.column_map).toEqual({ m_mumu_GeV: 'Mmumu', m_recoil_GeV: 'recoilMass' });
  });

  it('scan without --columns: the error lists the file\'s columns and says how to map them', async () => {
    const own = dimuonCsv('plain.csv', ['m_mumu', 'm_recoil']);
    await expect(main(['scan', '--data', own, '--grid', 'dark-higgsstrahlung', '--backend', 'cpu', '--out', join(dir, 'x.json')], quiet)).rejects.toThrow(
      /plain\.csv: column 'm_mumu_GeV': missing column \(the file's columns: m_mumu, m_recoil\); if one of them is m_mumu_GeV, map it: --columns m_mumu_GeV=THAT_COLUMN/,
    );
    await expect(main(['scan', '--data', own, '--grid', 'dark-higgsstrahlung', '--columns', 'm_mumu_GeV=Mmumu', '--out', join(dir, 'x.json')], quiet)).rejects.toThrow(
      /--columns m_mumu_GeV=Mmumu: the file has no column 'Mmumu' \(its columns: m_mumu, m_recoil\)/,
    );
    await expect(main(['scan', '--data', own, '--grid', 'dark-higgsstrahlung', '--columns', 'm_mumu_GeV', '--out', join(dir, 'x.json')], quiet)).rejects.toThrow(/--columns: expected NAME=COLUMN/);
    await expect(main(['scan', '--data', own, '--grid', 'dark-higgsstrahlung', '--columns', 'a=b,a=c', '--out', join(dir, 'x.json')], quiet)).rejects.toThrow(/'a' is mapped twice/);
  });

  it('llp: signal and data files with other names, mapped; unmapped, the error lists the columns', async () => {
    const s = await generateLlpSample({ masses: [2], channels: ['ee', 'KK'], perCell: 200, ctauGenCm: 2, seed: 9, backend: new CpuBackend() });
    const rows = ['ct_cm,lxy_cm,mred_GeV,m_S_GeV,chan,ctau_gen_cm'];
    for (let i = 0; i < s.ct.length; i++) rows.push(`${s.ct[i]},${s.lxy[i]},${s.mred[i]},${s.mS[i]},${s.channel[i]},2`);
    writeFileSync(join(dir, 'sig.csv'), rows.join('\n'));
    writeFileSync(join(dir, 'data.csv'), 'Mred,Lxy,chan\n1.9,1,0\n1.5,1,3\n');
    const args = ['llp', '--signal', join(dir, 'sig.csv'), '--data', join(dir, 'data.csv'), '--channels', 'ee,KK', '--lifetimes', '0.1:2:3', '--backend', 'cpu']; // lifetimes <= the file's one c tau_gen
    await expect(main([...args, '--out', join(dir, 'l0.json')], quiet)).rejects.toThrow(/sig\.csv: missing column 'channel' .*the file's columns: ct_cm, lxy_cm, mred_GeV, m_S_GeV, chan, ctau_gen_cm; map yours with --columns channel=THAT_COLUMN/);
    expect(await main([...args, '--columns', 'channel=chan,mred_GeV=Mred,lxy_cm=Lxy', '--out', join(dir, 'l1.json')], quiet)).toBe(0);
    const j = JSON.parse(readFileSync(join(dir, 'l1.json'), 'utf8'));
    expect(j.cells[0].channels[0].efficiency[1]).toBeGreaterThan(0.3);
    await expect(main(['llp', '--demo', '--columns', 'channel=chan'], quiet)).rejects.toThrow(/--demo generates its own samples/);
  });
});

describe('--help of every command', () => {
  const names = Object.keys(COMMANDS);
  it('covers every command', () => {
    expect(names.sort()).toEqual(['backends', 'cls', 'demo', 'discovery', 'fit', 'generate', 'hypotest', 'infer', 'limit', 'llp', 'merge', 'random', 'run', 'scan', 'serve', 'upper-limit']);
  });
  for (const name of names) {
    it(`${name}: usage, a blank line, the description, the options with defaults`, async () => {
      for (const flag of ['--help', '-h']) {
        const lines: string[] = [];
        expect(await main([name, flag], (s) => lines.push(...s.split('\n')))).toBe(0);
        const c = COMMANDS[name];
        expect(lines[0]).toBe(`usage: darkscan ${c.usage}`);
        expect(lines[1]).toBe('');
        expect(lines[2]).toBe(c.summary);
        expect(lines[2].length).toBeGreaterThan(20);
        expect(lines[3]).toBe('');
        expect(lines[4]).toBe('options:');
        const opts = lines.slice(5);
        // Every option the command's parseArgs takes (c.options is what it passes), once, with help and its default.
        for (const [k, o] of Object.entries(c.options)) {
          const line = opts.filter((l) => new RegExp(`^  --${k}( |$)`).test(l));
          expect(line, `--${k}`).toHaveLength(1);
          expect(o.help.length, `--${k} help`).toBeGreaterThan(5);
          if (o.default !== undefined) expect(line[0]).toContain(`(default: ${o.default})`);
        }
        expect(opts.filter((l) => /^  --/.test(l))).toHaveLength(Object.keys(c.options).length + 1); // + --help
      }
    });
  }
  it('the options listed are the ones accepted: an unknown one is refused, a listed one is not', async () => {
    await expect(main(['limit', '--observed', '1', '--background', '1', '--method', 'cls-asymptotic', '--no-such-flag'], quiet)).rejects.toThrow(/Unknown option '--no-such-flag'/);
    expect(await main(['limit', '--observed', '1', '--background', '1', '--method', 'cls-asymptotic', '--json'], quiet)).toBe(0);
  });
});

describe('darkscan backends: what auto picks and why', () => {
  it('states the pick and the reason, in text and JSON, the same as selectBackend picks', async () => {
    const text: string[] = [];
    expect(await main(['backends', '--workers', '1'], (s) => text.push(s))).toBe(0);
    const json: string[] = [];
    expect(await main(['backends', '--json', '--workers', '1'], (s) => json.push(s))).toBe(0);
    const { backends, auto } = JSON.parse(json.join('\n'));
    expect(text.at(-1)).toBe(`auto    -> ${auto.backend}: ${auto.reason}`);
    const { selectBackend, softwareAdapter } = await import('../host/index.js');
    const b = await selectBackend({ backend: 'auto', wasm: { workers: 1 } });
    try {
      expect(b.name).toBe(auto.backend);
    } finally {
      await b.dispose();
    }
    const gpu = backends.find((x: { name: string }) => x.name === 'webgpu');
    if (gpu.available && softwareAdapter(gpu.details)) expect(auto.reason).toMatch(/not webgpu: a software adapter/);
  });
});
