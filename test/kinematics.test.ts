import { describe, expect, it } from 'vitest';
import {
  BELLE2_BEAMS, boost, cmBeta, dimuonVariables, fourVector, initialState, massFromPhotonEnergyCM, MUON_MASS_GeV,
  pairMass, photonEnergyCM, recoilMassCM, recoilMassLab, reducedMass, sqrtS, toCM, type FourVector,
} from '../engine/kinematics.js';

describe('kinematics (hand-computed cases)', () => {
  it('pair invariant mass', () => {
    // Massless: (3,0,0,3) + (4,0,4,0): M^2 = 7^2 - (3^2 + 4^2) = 24.
    expect(pairMass([3, 0, 0, 3], [4, 0, 4, 0])).toBeCloseTo(Math.sqrt(24), 12);
    // Back-to-back photons of 1 GeV: M = 2 GeV.
    expect(pairMass([1, 1, 0, 0], [1, -1, 0, 0])).toBe(2);
    // Muons of |p| = 1 GeV back to back: M = 2 sqrt(1 + m_mu^2) = 2 * 1.0055662... = 2.0111324 GeV.
    expect(pairMass(fourVector(1, 0, 0, MUON_MASS_GeV), fourVector(-1, 0, 0, MUON_MASS_GeV))).toBeCloseTo(2.0111324, 6);
  });

  it('Belle II beams: sqrt(s) = sqrt(4 * 7 * 4) = 10.5830 GeV, beta = 3/11, beta-gamma = 3/sqrt(112)', () => {
    expect(sqrtS(BELLE2_BEAMS)).toBeCloseTo(10.583005, 5);
    const b = cmBeta(BELLE2_BEAMS);
    expect(b[2]).toBeCloseTo(3 / 11, 8);
    expect(b[2] / Math.sqrt(1 - b[2] ** 2)).toBeCloseTo(0.283473, 6);
    // The initial state in the CM frame is (sqrt(s), 0, 0, 0).
    const P = toCM(initialState(BELLE2_BEAMS));
    expect(P[0]).toBeCloseTo(10.583005, 5);
    for (const j of [1, 2, 3]) expect(Math.abs(P[j])).toBeLessThan(1e-12);
    // Crossing angle 83 mrad (massless beams): s = 2 E1 E2 (1 + cos 0.083) = 111.80722, sqrt = 10.573893.
    expect(sqrtS({ eMinusGeV: 7, ePlusGeV: 4, crossingAngleRad: 0.083 })).toBeCloseTo(10.573893, 5);
  });

  it('boost: a particle at rest boosted by beta = 0.6 along z gets E = 1.25 m, pz = -0.75 m', () => {
    // Boost *to* a frame moving with +0.6: gamma = 1.25, the particle moves with -0.6.
    const p = boost([2, 0, 0, 0], [0, 0, 0.6]);
    expect(p[0]).toBeCloseTo(2.5, 12);
    expect(p[3]).toBeCloseTo(-1.5, 12);
    expect(() => boost([1, 0, 0, 0], [0, 0, 1])).toThrow(/beta/);
  });

  it('recoil mass in the CM frame', () => {
    expect(recoilMassCM([3, 0, 0, 0], 10)).toBe(7); // pair at rest, mass 3
    expect(recoilMassCM([5, 0, 3, 0], 10)).toBe(4); // (10 - 5)^2 - 3^2 = 16
    expect(recoilMassCM([9, 0, 0, 8], 10)).toBeCloseTo(-Math.sqrt(63), 12); // spacelike: signed
    // Lab and CM formulas agree for a Belle II muon pair.
    const m1: FourVector = fourVector(0.3, 1.2, 3.1, MUON_MASS_GeV), m2: FourVector = fourVector(-0.8, 0.1, 0.9, MUON_MASS_GeV);
    const pairCM = toCM([m1[0] + m2[0], m1[1] + m2[1], m1[2] + m2[2], m1[3] + m2[3]]);
    expect(recoilMassLab(m1, m2)).toBeCloseTo(recoilMassCM(pairCM, sqrtS()), 9);
    const cols = dimuonVariables({ px: [0.3], py: [1.2], pz: [3.1] }, { px: [-0.8], py: [0.1], pz: [0.9] });
    expect(cols.m_recoil_GeV[0]).toBeCloseTo(recoilMassLab(m1, m2), 12);
    expect(cols.m_mumu_GeV[0]).toBeCloseTo(pairMass(m1, m2), 12);
  });

  it("single photon: E* = (s - M^2) / (2 sqrt(s)) and back", () => {
    expect(photonEnergyCM(6, 10)).toBeCloseTo(3.2, 12); // (100 - 36) / 20
    expect(photonEnergyCM(0, 10.583005)).toBeCloseTo(5.2915025, 6);
    expect(massFromPhotonEnergyCM(3.2, 10)).toBeCloseTo(6, 12);
    expect(() => photonEnergyCM(11, 10)).toThrow(/M <= sqrt/);
  });

  it('LLP reduced mass sqrt(M^2 - 4 m^2)', () => {
    expect(reducedMass(5, 2)).toBe(3); // sqrt(25 - 16)
    expect(reducedMass(0.3, 0)).toBe(0.3);
    expect(reducedMass(2 * MUON_MASS_GeV, MUON_MASS_GeV)).toBe(0);
    expect(() => reducedMass(0.2, MUON_MASS_GeV)).toThrow(/below threshold/);
  });
});
