// Workspaces the benches build (illustrative: not from a paper).
import { workspaceDigest } from '../engine/likelihood/workspace.js';

/** An illustrative 50-bin workspace with 20 parameters: SR 30 bins + CR 20 bins, smooth backgrounds. */
export function workspace50(): Record<string, unknown> {
  const norm = (name: string, k: number) => ({ name, type: 'normsys', data: { hi: 1 + 0.03 * k, lo: 1 - 0.025 * k } });
  const hist = (name: string, nom: number[], k: number) => ({ name, type: 'histosys', data: { hi_data: nom.map((v, i) => v * (1 + 0.02 * k * Math.cos(i / 5))), lo_data: nom.map((v, i) => v * (1 - 0.02 * k * Math.cos(i / 5))) } });
  const bins = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => Math.round(f(i) * 1e3) / 1e3);
  const channel = (name: string, n: number, scale: number, withSig: boolean) => {
    const b1 = bins(n, (i) => scale * 40 * Math.exp(-i / n));
    const b2 = bins(n, (i) => scale * (10 + 5 * Math.sin(i / 3)));
    const b3 = bins(n, (i) => scale * 3);
    const samples: unknown[] = [
      { name: 'bkg1', data: b1, modifiers: [{ name: 'lumi', type: 'lumi', data: null }, norm('eff_trk', 1), norm('eff_pid', 2), norm('xsec_b1', 3), norm('trig', 1), hist('shape_b1', b1, 2), hist('res', b1, 1)] },
      { name: 'bkg2', data: b2, modifiers: [{ name: 'norm_b2', type: 'normfactor', data: null }, norm('eff_trk', 1), norm('xsec_b2', 4), norm(`acc_${name}`, 2), hist('shape_b2', b2, 3), hist('res', b2, 1)] },
      { name: 'bkg3', data: b3, modifiers: [{ name: 'lumi', type: 'lumi', data: null }, norm('xsec_b3', 5), norm('fake', 6), norm('pileup', 2), hist('shape_b3', b3, 2)] },
    ];
    if (withSig) {
      samples.push({ name: 'signal', data: bins(n, (i) => 12 * Math.exp(-0.5 * ((i - n / 2) / 2) ** 2)), modifiers: [{ name: 'mu', type: 'normfactor', data: null }, { name: 'lumi', type: 'lumi', data: null }, norm('sig_eff', 2), norm('sig_th', 3), norm('sig_pdf', 1)] });
    }
    return { name, samples };
  };
  const channels = [channel('SR', 30, 1, true), channel('CR', 20, 3, false)];
  const observations = channels.map((c) => {
    const tot = new Array(c.name === 'SR' ? 30 : 20).fill(0);
    for (const s of c.samples as { name: string; data: number[] }[]) if (s.name !== 'signal') s.data.forEach((v, i) => { tot[i] += v; });
    return { name: c.name, data: tot.map((v) => Math.round(v)) };
  });
  return {
    version: '1.0.0', channels, observations,
    measurements: [{ name: 'meas', config: { poi: 'mu', parameters: [{ name: 'lumi', auxdata: [1], sigmas: [0.02], bounds: [[0.5, 1.5]], inits: [1] }] } }],
  };
}

/** A patchset of n signal patches over the 15 SR bins (illustrative Gaussian peaks, width 0.8 bins). */
export function massScanPatchset(bkg: unknown, n: number): Record<string, unknown> {
  const patches = Array.from({ length: n }, (_, k) => {
    const pos = n === 1 ? 7 : (14 * k) / (n - 1);
    const data = Array.from({ length: 15 }, (_, i) => Math.round(20 * Math.exp(-0.5 * ((i - pos) / 0.8) ** 2) * 1e4) / 1e4);
    const unc = data.map((v) => Math.max(0.01, Math.round(0.1 * v * 1e4) / 1e4));
    return {
      metadata: { name: `mass_${k}`, values: [k] },
      patch: [{ op: 'add', path: '/channels/0/samples/-', value: { name: 'signal', data, modifiers: [{ name: 'mu_sig', type: 'normfactor', data: null }, { name: 'lumi', type: 'lumi', data: null }, { name: 'staterror_SR', type: 'staterror', data: unc }] } }],
    };
  });
  return {
    metadata: { description: `illustrative mass scan, ${n} patches (darkscan bench)`, digests: { sha256: workspaceDigest(bkg) }, labels: ['index'], references: { hepdata: 'ins0000000' } },
    patches,
    version: '1.0.0',
  };
}
