import { describe, expect, it } from 'vitest';
import { brazilPlot, linePlot, mapPlot } from '../engine/plot/svg.js';

describe('svg plots', () => {
  it('a Brazil plot has both bands, both curves, axis labels, and escapes text', () => {
    const mass = [1, 2, 3, 4];
    const svg = brazilPlot({
      title: 'limit <90% CL>', x: { label: "M_A' [GeV]" }, y: { label: 'σ [fb]', log: true }, mass,
      observed: [2, 3, 2.5, 4], expected: mass.map((m) => [m * 0.5, m * 0.7, m, m * 1.4, m * 2]),
    });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg.match(/<polygon /g)).toHaveLength(2);
    expect(svg.match(/<polyline /g)).toHaveLength(2);
    expect(svg).toContain('limit &lt;90% CL&gt;');
    expect(svg).toContain('M_A&#39;'.replace('&#39;', "'"));
    expect(svg).not.toContain('NaN');
  });
  it('a log axis without one finite positive value (every limit infinite) gets a default range instead of looping', () => {
    const svg = linePlot({ title: 't', x: { label: 'm' }, y: { label: 'limit', log: true }, series: [{ x: [2], y: [Infinity], label: 'a' }] });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('>10<');
  });
  it('a map has one marker per finite value, colour scale, no NaN coordinates', () => {
    const svg = mapPlot({ title: 'local Z', x: { label: 'x' }, y: { label: 'y' }, px: [1, 2, 3], py: [1, 2, 3], value: [0, 1, Number.NaN], valueLabel: 'Z' });
    expect(svg.match(/<rect x=/g)!.length).toBe(1 + 1 + 2 + 9); // frame + clip + markers + colour bar
    expect(svg).not.toContain('NaN');
  });
});
