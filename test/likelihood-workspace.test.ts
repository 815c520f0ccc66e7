// engine/likelihood workspace layer: pyhf JSON workspaces and patchsets (issue 13). Digests are
// pyhf's own (test/golden/pyhf/make_digests.py -> digests.json, computed by pyhf 0.7.6).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  applyJsonPatch, applyPatch, JsonPatchError, cloneJson, measurement, parsePatchset, parsePyJson, parseWorkspace, patchedWorkspace, pyFloatRepr, pyJsonDumps,
  readPatchset, readWorkspace, unusedParameters, verifyPatchset, workspaceDigest, type Workspace,
} from '../engine/likelihood/index.js';
import { md5Hex, sha256Hex } from '../engine/likelihood/hash.js';

const FIX = new URL('./fixtures/pyhf/', import.meta.url);
const text = (rel: string) => readFileSync(new URL(rel, FIX), 'utf8');
const digests = JSON.parse(readFileSync(new URL('./golden/pyhf/digests.json', import.meta.url), 'utf8')) as {
  workspaces: Record<string, { sha256: string; md5: string }>;
  patched: Record<string, Record<string, string>>;
};
const fixtureFiles = ['validation', 'workspaces', 'patchsets'].flatMap((d) =>
  readdirSync(new URL(`${d}/`, FIX))
    .filter((f) => f.endsWith('.json') && f !== 'expected.json' && !f.endsWith('_patchset.json'))
    .map((f) => `${d}/${f}`),
);

describe('fixtures', () => {
  it('every fixture workspace parses and has pyhf digests', () => {
    expect(fixtureFiles.length).toBe(18); // 10 validation cases, 6 workspaces, 2 background-only
    expect(Object.keys(digests.workspaces).sort()).toEqual([...fixtureFiles].sort());
    for (const f of fixtureFiles) {
      const ws = readWorkspace(text(f), f);
      expect(workspaceDigest(ws), f).toBe(digests.workspaces[f].sha256);
      expect(workspaceDigest(ws, 'md5'), f).toBe(digests.workspaces[f].md5);
      if (!f.endsWith('_bkg.json')) expect(measurement(ws, undefined, f).config.poi).toMatch(/^(mu|SigXsecOverSM)/);
    }
  });

  it('the pyhf goldens (results.json) were made from these fixtures', () => {
    const results = JSON.parse(readFileSync(new URL('./golden/pyhf/results.json', import.meta.url), 'utf8')) as {
      workspaces: Record<string, { digest: string }>;
      patchsets: Record<string, Record<string, { digest: string }>>;
    };
    const own = fixtureFiles.filter((f) => !f.startsWith('patchsets/'));
    expect(Object.keys(results.workspaces).sort()).toEqual(own.sort());
    for (const f of own) expect(results.workspaces[f].digest, f).toBe(workspaceDigest(readWorkspace(text(f))));
    expect(Object.keys(results.patchsets).sort()).toEqual(Object.keys(digests.patched).sort());
    for (const [rel, patches] of Object.entries(results.patchsets))
      for (const [name, r] of Object.entries(patches)) expect(r.digest, `${rel} ${name}`).toBe(digests.patched[rel][name]);
  });

  it('a background-only workspace parses but has no model until patched', () => {
    const bkg = readWorkspace(text('patchsets/mass_scan_bkg.json'), 'mass_scan_bkg.json');
    expect(() => measurement(bkg, undefined, 'mass_scan_bkg.json')).toThrow(
      "mass_scan_bkg.json: measurements[0].config.poi: the parameter of interest 'mu_sig' is not declared by any modifier",
    );
    expect(unusedParameters(bkg)).toEqual(['mu_sig', 'lumi']);
  });

  it('pyhf validation case with config for an absent lumi parses (pyhf ignores it)', () => {
    const ws = readWorkspace(text('validation/shapesys_nuisparfilter.json'));
    expect(unusedParameters(ws)).toEqual(['lumi']);
  });

  it('every patch reproduces pyhf’s patched-workspace digest', () => {
    let n = 0;
    for (const [rel, want] of Object.entries(digests.patched)) {
      const ps = readPatchset(text(rel), rel);
      const bkg = parsePyJson(text(rel.replace('_patchset', '_bkg')));
      verifyPatchset(ps, bkg, rel);
      for (const p of ps.patches) {
        const ws = patchedWorkspace(ps, bkg, p.metadata.name, rel);
        expect(workspaceDigest(ws), `${rel} ${p.metadata.name}`).toBe(want[p.metadata.name]);
        expect(measurement(ws).config.poi).toMatch(/^mu/);
        expect(patchedWorkspace(ps, bkg, p.metadata.values, rel)).toEqual(ws);
        n++;
      }
    }
    expect(n).toBe(12);
  });

  it('a patchset refuses a workspace whose digest does not match, as pyhf does', () => {
    const rel = 'patchsets/mass_lifetime_patchset.json';
    const ps = readPatchset(text(rel), rel);
    const bkg = parsePyJson(text('patchsets/mass_lifetime_bkg.json')) as Workspace;
    bkg.observations[0].data[0] += 1;
    expect(() => patchedWorkspace(ps, bkg, 'm1_ctau1', rel)).toThrow(/metadata\.digests\.(md5|sha256): the background-only workspace does not match this patchset \(digest verification failed/);
    expect(() => patchedWorkspace(ps, parsePyJson(text('patchsets/mass_lifetime_bkg.json')), 'm9', rel)).toThrow("no patch named 'm9'");
  });
});

describe('Python-compatible JSON and digests', () => {
  it('float repr as Python prints it', () => {
    const cases: [number, string][] = [
      [1, '1.0'], [0.1, '0.1'], [1e-5, '1e-05'], [0.0001, '0.0001'], [1.5e-7, '1.5e-07'], [1e16, '1e+16'], [1234567890123456, '1234567890123456.0'],
      [-2.5, '-2.5'], [1.7976931348623157e308, '1.7976931348623157e+308'], [5e-324, '5e-324'], [123.456, '123.456'], [-0, '-0.0'], [1e22, '1e+22'], [0.00012, '0.00012'],
    ];
    for (const [x, want] of cases) expect(pyFloatRepr(x)).toBe(want);
  });
  it('json.dumps(sort_keys=True) keeps ints and floats apart', () => {
    const v = parsePyJson('{"b": [1, 1.0, 2e3, -0.5, true, null], "a": "é\\n\\u0001", "B": {}}');
    expect(pyJsonDumps(v)).toBe('{"B": {}, "a": "é\\n\\u0001", "b": [1, 1.0, 2000.0, -0.5, true, null]}');
    expect(pyJsonDumps(cloneJson(v))).toBe(pyJsonDumps(v));
    // pyhf's own docstring example (pyhf/utils.py digest)
    expect(workspaceDigest(parsePyJson('{"a": 2.0, "b": 3.0, "c": 1.0}'))).toBe('a38f6093800189b79bc22ef677baf90c75705af2cfc7ff594159eca54eaa7928');
    expect(workspaceDigest(parsePyJson('{"a": 2.0, "b": 3.0, "c": 1.0}'), 'md5')).toBe('2c0633f242928eb55c3672fed5ba8612');
  });
  it('sha256 and md5 equal node:crypto', () => {
    for (const s of ['', 'abc', 'x'.repeat(55), 'y'.repeat(56), 'z'.repeat(64), 'é€𝄞'.repeat(77)]) {
      expect(sha256Hex(s)).toBe(createHash('sha256').update(s).digest('hex'));
      expect(md5Hex(s)).toBe(createHash('md5').update(s).digest('hex'));
    }
  });
  it('JSON syntax errors give line and column', () => {
    expect(() => parsePyJson('{"a": [1, 2,]}', 'f.json')).toThrow('f.json: invalid JSON at line 1 column 13');
    expect(() => parsePyJson('{"a": 1', 'f.json')).toThrow(/f\.json: invalid JSON .*expected ',' or '}'/);
  });
});

describe('JSON patch (RFC 6902, python-jsonpatch semantics)', () => {
  const doc = () => parsePyJson('{"a": [1.0, 2, 3.0], "b": {"c~d": 1, "e/f": 2}, "g": "x"}');
  it('add / remove / replace / copy / move / test', () => {
    expect(pyJsonDumps(applyJsonPatch(doc(), [{ op: 'add', path: '/a/1', value: 9 }]))).toBe('{"a": [1.0, 9, 2, 3.0], "b": {"c~d": 1, "e/f": 2}, "g": "x"}');
    expect(pyJsonDumps(applyJsonPatch(doc(), [{ op: 'add', path: '/a/-', value: 4 }, { op: 'remove', path: '/a/0' }]))).toBe('{"a": [2, 3.0, 4], "b": {"c~d": 1, "e/f": 2}, "g": "x"}');
    expect(pyJsonDumps(applyJsonPatch(doc(), [{ op: 'replace', path: '/b/c~0d', value: 5 }, { op: 'remove', path: '/b/e~1f' }]))).toBe('{"a": [1.0, 2, 3.0], "b": {"c~d": 5}, "g": "x"}');
    expect(pyJsonDumps(applyJsonPatch(doc(), [{ op: 'copy', from: '/a/0', path: '/h' }, { op: 'move', from: '/g', path: '/b/g' }]))).toBe('{"a": [1.0, 2, 3.0], "b": {"c~d": 1, "e/f": 2, "g": "x"}, "h": 1.0}');
    expect(() => applyJsonPatch(doc(), [{ op: 'test', path: '/a/0', value: true }, { op: 'test', path: '/b', value: { 'e/f': 2.0, 'c~d': 1 } }])).not.toThrow(); // Python: 1.0 == True
    expect(() => applyJsonPatch(doc(), [{ op: 'test', path: '/a/1', value: true }])).toThrow("patch[0]: test failed: '/a/1' is 2, not true");
    const d = doc();
    applyJsonPatch(d, [{ op: 'remove', path: '/a' }]);
    expect(d).toEqual(doc()); // applied on a copy
  });
  it('refuses what python-jsonpatch refuses', () => {
    expect(() => applyJsonPatch(doc(), [{ op: 'add', path: '/a/5', value: 1 }])).toThrow('patch[0]: cannot insert at index 5 of an array of 3');
    expect(() => applyJsonPatch(doc(), [{ op: 'remove', path: '/zz' }])).toThrow("patch[0]: member 'zz' of '/zz' not found");
    expect(() => applyJsonPatch(doc(), [{ op: 'replace', path: '/a/3', value: 1 }])).toThrow('index 3 in \'/a/3\' is out of bounds');
    expect(() => applyJsonPatch(doc(), [{ op: 'move', from: '/b', path: '/b/x' }])).toThrow("cannot move '/b' into its own child '/b/x'");
    expect(() => applyJsonPatch(doc(), [{ op: 'add', path: '/a/x1', value: 1 }])).toThrow("'x1' in '/a/x1' is not a valid array index");
    expect(() => applyJsonPatch(doc(), [{ op: 'frob', path: '/a' }])).toThrow("patch[0].op: unknown operation 'frob'");
    expect(() => applyJsonPatch(doc(), [{ op: 'add', path: 'a' }])).toThrow("patch[0].path: JSON pointer 'a' must start with '/'");
    expect(() => applyJsonPatch(doc(), [{ op: 'add', path: '/a/0' }])).toThrow("patch[0]: 'add' needs a 'value'");
  });
  it('400 random patches give python-jsonpatch’s results and refusals (make_jsonpatch_cases.py)', () => {
    const { cases } = JSON.parse(readFileSync(new URL('./golden/pyhf/jsonpatch_cases.json', import.meta.url), 'utf8')) as { cases: { doc: string; patch: string; result?: string; error?: string }[] };
    expect(cases.length).toBe(400);
    let refused = 0;
    cases.forEach((c, k) => {
      const run = () => pyJsonDumps(applyJsonPatch(parsePyJson(c.doc), parsePyJson(c.patch) as unknown[]));
      // A document that became a bare number has no container to keep Python's int / float mark
      // in (pyjson.ts): compared by value. Workspaces are objects, so digests never meet this.
      if (c.result !== undefined && /^-?[\d.e+-]+$/.test(c.result)) expect(Number(run()), `case ${k}: ${c.patch}`).toBe(Number(c.result));
      else if (c.result !== undefined) expect(run(), `case ${k}: ${c.patch}`).toBe(c.result);
      else {
        expect(run, `case ${k}: ${c.patch} (python-jsonpatch: ${c.error})`).toThrow(JsonPatchError);
        refused++;
      }
    });
    expect(refused).toBe(244);
  });

  it('a patch that breaks the workspace is caught by re-validation', () => {
    const ws = parsePyJson(text('validation/2bin_histosys.json'));
    expect(() => applyPatch(ws, [{ op: 'add', path: '/channels/0/samples/0/data/-', value: 1 }], 'p')).toThrow(
      "p: channels[0].samples[1].data: 2 values for 3 bins (channel 'singlechannel' has 3, from samples[0])",
    );
  });
});

describe('bad workspaces name the JSON path', () => {
  const base = () => parsePyJson(text('validation/2bin_2channel_couplednorm.json')) as Workspace & Record<string, unknown>;
  const bad = (edit: (w: ReturnType<typeof base>) => void) => {
    const w = base();
    edit(w);
    return () => parseWorkspace(w, 'ws.json');
  };
  it('sizes, types and values', () => {
    expect(bad((w) => (w.channels[1].samples[0].modifiers = [{ name: 'h', type: 'histosys', data: { hi_data: [1, 2, 3], lo_data: [1, 2] } }]))).toThrow(
      'ws.json: channels[1].samples[0].modifiers[0].data.hi_data: 3 values for 2 bins',
    );
    expect(bad((w) => ((w.channels[0].samples[2].modifiers[0] as { type: string }).type = 'normsyst'))).toThrow(
      "ws.json: channels[0].samples[2].modifiers[0].type: unknown modifier type 'normsyst' (known: histosys, lumi, normfactor, normsys, shapefactor, shapesys, staterror)",
    );
    expect(bad((w) => (w.channels[0].samples[1].data = [100, 1e400]))).toThrow('ws.json: channels[0].samples[1].data[1]: expected a finite number, got null');
    expect(bad((w) => (w.observations[1].data = [-1, 3]))).toThrow('ws.json: observations[1].data[0]: -1 is negative');
    expect(bad((w) => (w.observations[0].data = [1, 2, 3]))).toThrow("ws.json: observations[0].data: 3 values for 2 bins of channel 'signal'");
    expect(bad((w) => (w.channels[0].samples[1].modifiers[0] = { name: 'n', type: 'normsys', data: { hi: 1.1, lo: 0 } }))).toThrow(
      'ws.json: channels[0].samples[1].modifiers[0].data.lo: 0 must be > 0',
    );
    expect(bad((w) => (w.channels[0].samples[0].modifiers.push({ name: 's', type: 'staterror', data: [1, -2] })))).toThrow('ws.json: channels[0].samples[0].modifiers[1].data[1]: -2 is negative');
    expect(bad((w) => (w.version = '1.1.0' as '1.0.0'))).toThrow('ws.json: version: unsupported workspace version "1.1.0"');
    expect(bad((w) => (w.extra = 1))).toThrow('ws.json: extra: unknown field');
  });
  it('duplicates, reuse and observations', () => {
    expect(bad((w) => (w.channels[1].name = 'signal'))).toThrow("ws.json: channels[1].name: duplicate channel 'signal' (also channels[0].name)");
    expect(bad((w) => (w.channels[0].samples[2].name = 'bkg1'))).toThrow("ws.json: channels[0].samples[2].name: duplicate sample in channel 'signal' 'bkg1'");
    expect(bad((w) => w.channels[0].samples[0].modifiers.push({ name: 'mu', type: 'normfactor', data: null }))).toThrow(
      "ws.json: channels[0].samples[0].modifiers[1]: duplicate normfactor modifier 'mu' on one sample (also channels[0].samples[0].modifiers[0])",
    );
    expect(bad((w) => w.channels[1].samples[0].modifiers.push({ name: 'mu', type: 'shapefactor', data: null }))).toThrow(
      "ws.json: channels[1].samples[0].modifiers[1]: parameter 'mu' is a shapefactor here but a normfactor at channels[0].samples[0].modifiers[0]",
    );
    expect(bad((w) => (w.observations[1].name = 'other'))).toThrow("ws.json: observations[1].name: observation 'other' matches no channel (channels: signal, control)");
    expect(bad((w) => w.observations.pop())).toThrow("ws.json: observations: no observation for channel 'control' (channels[1])");
    expect(bad((w) => w.measurements.push(w.measurements[0]))).toThrow("ws.json: measurements[1].name: duplicate measurement 'meas' (also measurements[0].name)");
  });
  it('measurement configuration', () => {
    const cfg = (w: Workspace) => w.measurements[0].config;
    expect(() => measurement(readWorkspace(JSON.stringify({ ...base(), measurements: [{ name: 'm', config: { poi: 'mu_x', parameters: [] } }] })), 'm', 'ws.json')).toThrow(
      "ws.json: measurements[0].config.poi: the parameter of interest 'mu_x' is not declared by any modifier (parameters: mu, coupled_normsys)",
    );
    expect(bad((w) => cfg(w).parameters.push({ name: 'mu', bounds: [[0, 10], [0, 10]] }))).toThrow("ws.json: measurements[0].config.parameters[0].bounds: 2 values for 1 components of 'mu'");
    expect(bad((w) => cfg(w).parameters.push({ name: 'mu', bounds: [[5, 1]] }))).toThrow('ws.json: measurements[0].config.parameters[0].bounds[0]: lower bound 5 is above upper bound 1');
    expect(bad((w) => cfg(w).parameters.push({ name: 'mu', inits: [20] }, { name: 'mu' }))).toThrow("ws.json: measurements[0].config.parameters[1].name: duplicate parameter 'mu'");
    expect(bad((w) => cfg(w).parameters.push({ name: 'mu', auxdata: [1] }))).toThrow("ws.json: measurements[0].config.parameters[0].auxdata: 'mu' is an unconstrained normfactor: it has no auxdata");
    expect(bad((w) => cfg(w).parameters.push({ name: 'mu', inits: [20], bounds: [[0, 10]] }))).toThrow('ws.json: measurements[0].config.parameters[0].inits[0]: initial value 20 is outside its bounds [0, 10]');
    expect(bad((w) => w.channels[1].samples[0].modifiers.push({ name: 'lumi', type: 'lumi', data: null }))).toThrow(
      "ws.json: measurements[0].config.parameters: the model has a lumi modifier, so the measurement must give 'lumi' inits, bounds, auxdata, sigmas",
    );
    expect(() => measurement(base(), 'nope', 'ws.json')).toThrow("ws.json: measurements: no measurement named 'nope' (have: meas)");
  });
});

describe('patchsets', () => {
  const ps = () => parsePyJson(text('patchsets/mass_scan_patchset.json')) as ReturnType<typeof parsePatchset>;
  it('schema and pyhf’s own checks, with paths', () => {
    const a = ps();
    a.patches[1].metadata.name = a.patches[0].metadata.name;
    expect(() => parsePatchset(a, 'ps.json')).toThrow("ps.json: patches[1].metadata.name: duplicate patch name 'mass_15'");
    const b = ps();
    b.patches[2].metadata.values = [1.5, 2];
    expect(() => parsePatchset(b, 'ps.json')).toThrow('ps.json: patches[2].metadata.values: 2 values for 1 labels (mass_GeV)');
    const c = ps();
    c.patches[3].metadata.values = [1.5];
    expect(() => parsePatchset(c, 'ps.json')).toThrow('ps.json: patches[3].metadata.values: duplicate values [1.5] (also patches[0])');
    const d = ps();
    (d.patches[0].patch[0] as { op: string }).op = 'append';
    expect(() => parsePatchset(d, 'ps.json')).toThrow("ps.json: patches[0].patch[0].op: unknown operation 'append'");
    const e = ps();
    e.metadata.digests = { sha256: 'xyz' };
    expect(() => parsePatchset(e, 'ps.json')).toThrow('ps.json: metadata.digests.sha256: not a sha256 hex digest: "xyz"');
  });
});
