// Dependency-free SVG plots for reports and the browser page: line plots with bands (Brazil
// plots) and scatter heat maps (one marker per window centre). Pure functions: data in, text out.

export interface Axis {
  label: string;
  log?: boolean;
  min?: number;
  max?: number;
}

export interface Series {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  label: string;
  color?: string;
  dash?: string;
  width?: number;
}

export interface Band {
  x: ArrayLike<number>;
  lo: ArrayLike<number>;
  hi: ArrayLike<number>;
  label: string;
  color: string;
}

export interface LinePlot {
  title: string;
  x: Axis;
  y: Axis;
  series: Series[];
  bands?: Band[];
  width?: number;
  height?: number;
  note?: string;
}

const M = { left: 72, right: 20, top: 36, bottom: 52 };

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  return a >= 1e4 || a < 1e-2 ? v.toExponential(0).replace('e+', 'e') : String(Number(v.toPrecision(3)));
}

function extent(values: number[], axis: Axis): [number, number] {
  const ok = values.filter((v) => Number.isFinite(v) && (!axis.log || v > 0));
  // No finite value (e.g. every limit infinite): a default range, [1, 10] on a log axis (log10(0) has no ticks).
  let lo = axis.min ?? (ok.length ? Math.min(...ok) : axis.log ? 1 : 0);
  let hi = axis.max ?? (ok.length ? Math.max(...ok) : axis.log ? 10 : 1);
  if (lo === hi) {
    lo = axis.log ? lo / 10 : lo - 1;
    hi = axis.log ? hi * 10 : hi + 1;
  }
  return [lo, hi];
}

function scale(axis: Axis, [lo, hi]: [number, number], a: number, b: number): (v: number) => number {
  if (axis.log) {
    const l0 = Math.log10(lo), l1 = Math.log10(hi);
    return (v) => a + ((Math.log10(Math.max(v, lo * 1e-3)) - l0) / (l1 - l0)) * (b - a);
  }
  return (v) => a + ((v - lo) / (hi - lo)) * (b - a);
}

function ticks(axis: Axis, [lo, hi]: [number, number]): number[] {
  if (axis.log) {
    const out: number[] = [];
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
      const v = 10 ** e;
      if (v >= lo * 0.999 && v <= hi * 1.001) out.push(v);
    }
    return out.length >= 2 ? out : [lo, hi];
  }
  const raw = (hi - lo) / 6;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}

function frame(title: string, W: number, H: number, xa: Axis, ya: Axis, xr: [number, number], yr: [number, number], sx: (v: number) => number, sy: (v: number) => number): string[] {
  const parts: string[] = [];
  parts.push(`<rect x="${M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}" fill="white" stroke="#333"/>`);
  for (const t of ticks(xa, xr)) {
    const x = sx(t).toFixed(1);
    parts.push(`<line x1="${x}" x2="${x}" y1="${H - M.bottom}" y2="${H - M.bottom + 5}" stroke="#333"/><text x="${x}" y="${H - M.bottom + 18}" text-anchor="middle">${fmt(t)}</text>`);
  }
  for (const t of ticks(ya, yr)) {
    const y = sy(t).toFixed(1);
    parts.push(`<line x1="${M.left - 5}" x2="${M.left}" y1="${y}" y2="${y}" stroke="#333"/><text x="${M.left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${fmt(t)}</text>`);
  }
  parts.push(`<text x="${(M.left + W - M.right) / 2}" y="${H - 12}" text-anchor="middle">${esc(xa.label)}</text>`);
  parts.push(`<text transform="translate(16 ${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(ya.label)}</text>`);
  parts.push(`<text x="${M.left}" y="22" font-weight="bold">${esc(title)}</text>`);
  return parts;
}

function open(W: number, H: number): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`;
}

export function linePlot(p: LinePlot): string {
  const W = p.width ?? 720, H = p.height ?? 440;
  const xs: number[] = [], ys: number[] = [];
  for (const s of p.series) xs.push(...Array.from(s.x)), ys.push(...Array.from(s.y));
  for (const b of p.bands ?? []) xs.push(...Array.from(b.x)), ys.push(...Array.from(b.lo), ...Array.from(b.hi));
  const xr = extent(xs, p.x), yr = extent(ys, p.y);
  const sx = scale(p.x, xr, M.left, W - M.right), sy = scale(p.y, yr, H - M.bottom, M.top);
  const parts = [open(W, H), `<clipPath id="plotarea"><rect x="${M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}"/></clipPath>`];
  parts.push(...frame(p.title, W, H, p.x, p.y, xr, yr, sx, sy));
  const legend: string[] = [];
  for (const b of p.bands ?? []) {
    const up: string[] = [], down: string[] = [];
    for (let i = 0; i < b.x.length; i++) {
      if (!Number.isFinite(b.lo[i]) || !Number.isFinite(b.hi[i])) continue;
      up.push(`${sx(b.x[i]).toFixed(1)},${sy(b.hi[i]).toFixed(1)}`);
      down.push(`${sx(b.x[i]).toFixed(1)},${sy(b.lo[i]).toFixed(1)}`);
    }
    parts.push(`<polygon clip-path="url(#plotarea)" points="${[...up, ...down.reverse()].join(' ')}" fill="${b.color}" stroke="none"/>`);
    legend.push(`<rect width="14" height="10" fill="${b.color}"/><text x="20" y="9">${esc(b.label)}</text>`);
  }
  for (const s of p.series) {
    const pts: string[] = [];
    for (let i = 0; i < s.x.length; i++) if (Number.isFinite(s.y[i])) pts.push(`${sx(s.x[i]).toFixed(1)},${sy(s.y[i]).toFixed(1)}`);
    const color = s.color ?? 'black';
    parts.push(`<polyline clip-path="url(#plotarea)" points="${pts.join(' ')}" fill="none" stroke="${color}" stroke-width="${s.width ?? 1.5}"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/>`);
    legend.push(`<line x1="0" x2="14" y1="5" y2="5" stroke="${color}" stroke-width="2"${s.dash ? ` stroke-dasharray="${s.dash}"` : ''}/><text x="20" y="9">${esc(s.label)}</text>`);
  }
  legend.forEach((l, i) => parts.push(`<g transform="translate(${W - M.right - 190} ${M.top + 10 + 16 * i})">${l}</g>`));
  if (p.note) parts.push(`<text x="${W - M.right}" y="22" text-anchor="end" fill="#555">${esc(p.note)}</text>`);
  parts.push('</svg>');
  return parts.join('\n');
}

/** Observed limit with expected median and 1/2 sigma bands; `expected` rows are [-2s, -1s, median, +1s, +2s]. */
export function brazilPlot(o: { title: string; x: Axis; y: Axis; mass: ArrayLike<number>; observed: ArrayLike<number>; expected: ArrayLike<number>[]; note?: string }): string {
  const col = (k: number) => Array.from(o.expected, (e) => e[k]);
  return linePlot({
    title: o.title, x: o.x, y: o.y, note: o.note,
    bands: [
      { x: o.mass, lo: col(0), hi: col(4), label: 'expected ±2σ', color: '#ffe119' },
      { x: o.mass, lo: col(1), hi: col(3), label: 'expected ±1σ', color: '#3cb44b' },
    ],
    series: [
      { x: o.mass, y: col(2), label: 'expected median', color: 'black', dash: '5,4' },
      { x: o.mass, y: o.observed, label: 'observed', color: 'black', width: 2 },
    ],
  });
}

export interface MapPlot {
  title: string;
  x: Axis;
  y: Axis;
  /** Marker centres and values (e.g. window centres and local Z). */
  px: ArrayLike<number>;
  py: ArrayLike<number>;
  value: ArrayLike<number>;
  valueLabel: string;
  logValue?: boolean;
  /** Marker half-sizes in data units (default: a few pixels). */
  rx?: ArrayLike<number>;
  ry?: ArrayLike<number>;
  width?: number;
  height?: number;
  note?: string;
}

// Viridis, sampled at 9 points (matplotlib's colormap, CC0).
const VIRIDIS = ['#440154', '#472d7b', '#3b528b', '#2c728e', '#21918c', '#28ae80', '#5ec962', '#addc30', '#fde725'];

function colour(t: number): string {
  const u = Math.min(1, Math.max(0, t)) * (VIRIDIS.length - 1);
  return VIRIDIS[Math.round(u)];
}

export function mapPlot(p: MapPlot): string {
  const W = p.width ?? 720, H = p.height ?? 520;
  // The axes cover the markers' extents, not just their centres.
  const spread = (c: ArrayLike<number>, r?: ArrayLike<number>) => Array.from(c).flatMap((v, i) => (r ? [v - r[i], v + r[i]] : [v]));
  const xr = extent(spread(p.px, p.rx), p.x), yr = extent(spread(p.py, p.ry), p.y);
  const sx = scale(p.x, xr, M.left, W - M.right - 70), sy = scale(p.y, yr, H - M.bottom, M.top);
  const vals = Array.from(p.value).filter((v) => Number.isFinite(v) && (!p.logValue || v > 0));
  const vr = extent(vals, { label: '', log: p.logValue });
  const tv = (v: number) => (p.logValue ? (Math.log10(v) - Math.log10(vr[0])) / (Math.log10(vr[1]) - Math.log10(vr[0])) : (v - vr[0]) / (vr[1] - vr[0]));
  const parts = [open(W, H), ...frame(p.title, W - 70, H, p.x, p.y, xr, yr, sx, sy)];
  parts.push(`<clipPath id="maparea"><rect x="${M.left}" y="${M.top}" width="${W - 70 - M.left - M.right}" height="${H - M.top - M.bottom}"/></clipPath><g clip-path="url(#maparea)">`);
  const order = Array.from({ length: p.px.length }, (_, i) => i).filter((i) => Number.isFinite(p.value[i]));
  order.sort((a, b) => p.value[a] - p.value[b]); // highest values drawn last, on top
  for (const i of order) {
    const cx = sx(p.px[i]), cy = sy(p.py[i]);
    const rx = p.rx ? Math.max(1.5, Math.abs(sx(p.px[i] + p.rx[i]) - cx)) : 3;
    const ry = p.ry ? Math.max(1.5, Math.abs(sy(p.py[i] + p.ry[i]) - cy)) : 3;
    parts.push(`<rect x="${(cx - rx).toFixed(1)}" y="${(cy - ry).toFixed(1)}" width="${(2 * rx).toFixed(1)}" height="${(2 * ry).toFixed(1)}" fill="${colour(tv(p.value[i]))}"/>`);
  }
  parts.push('</g>');
  const bx = W - 60, top = M.top, bottom = H - M.bottom;
  for (let k = 0; k < VIRIDIS.length; k++) {
    const h = (bottom - top) / VIRIDIS.length;
    parts.push(`<rect x="${bx}" y="${(bottom - (k + 1) * h).toFixed(1)}" width="14" height="${(h + 0.5).toFixed(1)}" fill="${VIRIDIS[k]}"/>`);
  }
  parts.push(`<text x="${bx + 18}" y="${bottom}" dominant-baseline="middle">${fmt(vr[0])}</text><text x="${bx + 18}" y="${top}" dominant-baseline="middle">${fmt(vr[1])}</text>`);
  parts.push(`<text transform="translate(${bx + 30} ${(top + bottom) / 2}) rotate(90)" text-anchor="middle">${esc(p.valueLabel)}</text>`);
  if (p.note) parts.push(`<text x="${W - M.right}" y="22" text-anchor="end" fill="#555">${esc(p.note)}</text>`);
  parts.push('</svg>');
  return parts.join('\n');
}
