// The gen_bdecay kernel (kernels/gen_bdecay: the llp and bmeson families in f32 on every backend) against
// the f64 host generators it replaced, kept only as an independent cross-check (test/f64-bdecay.ts: the
// former process definitions and their families' host reconstruction) run through the host chain
// (generateHost: toLab, detector.ts). Different random streams and arithmetic, so the comparison is
// statistical (test/genstats.ts): acceptance, means and binned shapes of the families' key variables
// (M_xx, M_red, the flight distances; M_gamma gamma, M_bc, Delta E). The same comparison against
// deliberately broken f64 physics must fail, so these tests can.
import { describe, expect, it } from 'vitest';
import { generate, generateHost, getProcess, resolveParams, BELLE2_DETECTOR, type EventSample } from '../engine/generate/index.js';
import { B_MODES, COMBINATORIAL } from '../engine/generate/bmeson.js';
import { bdecayKernelParams } from '../engine/generate/gen-bdecay.js';
import { twoBodyP } from '../engine/generate/lorentz.js';
import type { GenEvent, Params } from '../engine/generate/processes.js';
import type { EventRandom } from '../engine/generate/rng.js';
import { TRIES3 } from '../kernels/gen_bdecay/ref.js';
import { F64, f64Def } from './f64-bdecay.js';
import { compareSamples } from './genstats.js';

const LLP_KEYS = ['m_xx_GeV', 'm_red_GeV', 'flight_cm', 'flight_rho_cm', 'vtx_z_cm', 't_proper_ns', 'p_K_GeV', 'p_S_GeV', 'p_x1_GeV', 'm_Kxx_GeV'] as const;
const BMESON_KEYS = ['m_gg_GeV', 'Mbc_GeV', 'DeltaE_GeV', 'p_K_GeV', 'm_K_GeV', 'E_g1_GeV', 'E_g2_GeV', 'cos_theta_g1', 'cos_theta_g2'] as const;
const N = 30000;

function host(process: string, params: Params, seed: number, generateF?: (rng: EventRandom, p: Params) => GenEvent): EventSample {
  const { def, reco } = f64Def(process);
  return generateHost(generateF ? { ...def, generate: generateF } : def, { process, params, events: N, seed }, reco);
}

describe('gen_bdecay kernel vs the f64 host generators it replaced (statistical)', () => {
  for (const [process, params] of [
    ['b2ks_mumu', { mS: 1.5, ctauCm: 2 }],
    ['b2ks_ee', { mS: 0.05, ctauCm: 10 }],
    ['b2ks_pipi', { mS: 4.2, ctauCm: 0.1 }],
    ['b2ks_kk', { mS: 2.5, ctauCm: 30 }],
    ['b_ka_gg', { ma: 2 }],
    ['b_ka_gg', { ma: 0.3, mode: 1 }],
    ['b_ka_gg', { ma: 4, mode: 2 }],
    ['b_kpi0', { mode: 3 }],
    ['b_keta', {}],
    ['b_kgg_comb', {}],
    ['b_kgg_comb', { mode: 3 }],
  ] as [string, Params][]) {
    it(`${process} ${JSON.stringify(params)}: acceptance, means and shapes agree (${N} events each)`, () => {
      const kernel = generate({ process, params, events: N, seed: 21 });
      expect(kernel.meta.event_kernel).toMatch(/gen_bdecay/);
      const keys = getProcess(process).family === 'llp' ? LLP_KEYS : BMESON_KEYS;
      const h = host(process, params, 22);
      const c = compareSamples(kernel, h, N, keys);
      expect(c.failures).toEqual([]);
      // the search selections' pass fractions (engine/analyses/bka.ts; B -> K S: a displaced vertex 0.2 < L_xy < 60 cm)
      const pass = (s: EventSample) => {
        const x = s.columns;
        let k = 0;
        for (let i = 0; i < s.length; i++) {
          if (s.family === 'llp' ? x.flight_rho_cm[i] > 0.2 && x.flight_rho_cm[i] < 60 : x.n_gamma[i] === 2 && x.Mbc_GeV[i] > 5.27 && x.DeltaE_GeV[i] > -0.15 && x.DeltaE_GeV[i] < 0.1) k++;
        }
        return k / N;
      };
      const a = pass(kernel), b = pass(h);
      expect(Math.abs(a - b), `selection pass fraction ${a} vs ${b}`).toBeLessThanOrEqual(4 * Math.sqrt((a * (1 - a) + b * (1 - b)) / N) + 1e-9);
    });
  }
});

describe('the statistical cross-check fails when the physics is broken', () => {
  it('B -> K S: a lifetime 10% long shows in the flight distances and the proper time', () => {
    const params = { mS: 1.5, ctauCm: 2 };
    const broken = (rng: EventRandom, p: Params) => F64.b2ks_mumu(rng, { ...p, ctauCm: 1.1 * p.ctauCm });
    const c = compareSamples(generate({ process: 'b2ks_mumu', params, events: N, seed: 21 }), host('b2ks_mumu', params, 22, broken), N, LLP_KEYS);
    expect(c.failures.some((f) => /flight_cm/.test(f)), c.failures.join('; ')).toBe(true);
    expect(c.failures.some((f) => /t_proper_ns/.test(f))).toBe(true);
    expect(c.failures.some((f) => /m_xx_GeV|m_red_GeV/.test(f))).toBe(false);
  });
  it('B -> K S: an S 1% heavier shows in M_xx and M_red', () => {
    const params = { mS: 1.5, ctauCm: 2 };
    const broken = (rng: EventRandom, p: Params) => F64.b2ks_mumu(rng, { ...p, mS: 1.01 * p.mS });
    const c = compareSamples(generate({ process: 'b2ks_mumu', params, events: N, seed: 21 }), host('b2ks_mumu', params, 22, broken), N, LLP_KEYS);
    expect(c.failures.some((f) => /m_xx_GeV/.test(f)) && c.failures.some((f) => /m_red_GeV/.test(f)), c.failures.join('; ')).toBe(true);
  });
  it('B -> K a: an ALP 1% heavier shows in M_gamma gamma; a B candidate 2% too fast in M_bc', () => {
    const params = { ma: 2 };
    const kernel = generate({ process: 'b_ka_gg', params, events: N, seed: 21 });
    const heavier = (rng: EventRandom, p: Params) => F64.b_ka_gg(rng, { ...p, ma: 1.01 * p.ma });
    expect(compareSamples(kernel, host('b_ka_gg', params, 22, heavier), N, BMESON_KEYS).failures.some((f) => /m_gg_GeV/.test(f))).toBe(true);
    // every final-state momentum 2% high: the candidate's CM momentum, so M_bc = sqrt(s / 4 - p*^2), moves
    const fast = (rng: EventRandom, p: Params): GenEvent => {
      const ev = F64.b_ka_gg(rng, p);
      return { ...ev, particles: ev.particles.map((q) => ({ ...q, p: [q.p[0], q.p[1] * 1.02, q.p[2] * 1.02, q.p[3] * 1.02] })) };
    };
    const c = compareSamples(kernel, host('b_ka_gg', params, 22, fast), N, BMESON_KEYS);
    expect(c.failures.some((f) => /Mbc_GeV/.test(f)), c.failures.join('; ')).toBe(true);
  });
  it('combinatorial K gamma gamma: a softer M_gamma gamma weight (exp(-M / 1.0 GeV)) shows in M_gamma gamma', () => {
    const broken = (rng: EventRandom, p: Params): GenEvent => {
      for (;;) {
        const ev = F64.b_kgg_comb(rng, p); // weighted by exp(-M / 1.2); thin to exp(-M / 1.0)
        const [g1, g2] = ev.particles.filter((q) => q.kind === 'gamma').map((q) => q.p);
        const m = Math.sqrt(Math.max(0, 2 * (g1[0] * g2[0] - g1[1] * g2[1] - g1[2] * g2[2] - g1[3] * g2[3])));
        if (rng.uniform() <= Math.exp(-m * (1 / 1.0 - 1 / 1.2))) return ev;
      }
    };
    const c = compareSamples(generate({ process: 'b_kgg_comb', events: N, seed: 21 }), host('b_kgg_comb', {}, 22, broken), N, BMESON_KEYS);
    expect(c.failures.some((f) => /m_gg_GeV/.test(f)), c.failures.join('; ')).toBe(true);
  });
});

describe('gen_bdecay bounds', () => {
  it(`the combinatorial M_gamma gamma rejection accepts > 30% of tries for every kaon mode and parent mass, so ${TRIES3} tries fail with probability < 1e-10`, () => {
    // acceptance = int_0^hi p1*(m) (m / 2) exp(-m / s) dm / (hi p1*(0) / (2 e / s)), by the midpoint rule
    const sc = COMBINATORIAL.mScaleGeV, env = sc / (2 * Math.E);
    let worst = 1;
    for (const mode of B_MODES) {
      for (const M of [COMBINATORIAL.mLoGeV, (COMBINATORIAL.mLoGeV + COMBINATORIAL.mHiGeV) / 2, COMBINATORIAL.mHiGeV]) {
        const hi = M - mode.mK, n = 20000;
        let s = 0;
        for (let i = 0; i < n; i++) {
          const m = ((i + 0.5) / n) * hi;
          s += twoBodyP(M, mode.mK, m) * (m / 2) * Math.exp(-m / sc);
        }
        worst = Math.min(worst, (s / n) / (twoBodyP(M, mode.mK, 0) * env));
      }
    }
    expect(worst).toBeGreaterThan(0.3);
    expect((1 - worst) ** TRIES3).toBeLessThan(1e-10);
  });
  it('the kernel refuses parameters outside its f32 range by name', () => {
    const llp = getProcess('b2ks_mumu'), bka = getProcess('b_ka_gg');
    expect(() => bdecayKernelParams(llp, resolveParams(llp, { ctauCm: 1e-13 }), BELLE2_DETECTOR, [0, 0], 0)).toThrow(/ctauCm = 1e-13 cm must be in \[1e-12, 1e12\]/);
    expect(() => generate({ process: 'b_ka_gg', params: { ma: 1e-4 }, events: 1, seed: 1 })).toThrow(/ma = 0.0001 GeV must be >= 0.001/);
    expect(() => bdecayKernelParams(bka, resolveParams(bka, { ma: 0.16 }), BELLE2_DETECTOR, [0, 0], 0)).not.toThrow();
  });
  it('the B momentum of Upsilon(4S) -> B Bbar is the host f64 two-body momentum of each mode', () => {
    for (const [i, mode] of B_MODES.entries()) {
      const p = bdecayKernelParams(bka(), resolveParams(bka(), { mode: i }), BELLE2_DETECTOR, [0, 0], 0);
      expect(p.p_b).toBeCloseTo(twoBodyP(10.583005244258363, mode.mB, mode.mB), 12);
      expect(p.m_k).toBe(mode.mK);
    }
    function bka() {
      return getProcess('b_ka_gg');
    }
  });
});

