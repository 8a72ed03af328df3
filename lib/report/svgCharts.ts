/**
 * Small inline-SVG charts for the HTML report: line/step charts with linear or log x axes, and a
 * bar chart. Output is a string with every label escaped; no scripts, no external resources.
 */
import { escapeHtml } from '../text/escape.ts';
import { maxOf, minOf } from './minMax.ts';

export const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];

export interface Axis {
  readonly label: string;
  readonly fmt: (v: number) => string;
  readonly log?: boolean;
  readonly min?: number;
  readonly max?: number;
}

export interface LineSeries {
  readonly name: string;
  /** [x, y] in data units, x ascending. */
  readonly points: readonly (readonly [number, number])[];
}

export interface LineChart {
  readonly id: string;
  readonly title: string;
  readonly x: Axis;
  readonly y: Axis;
  readonly series: readonly LineSeries[];
  /** Draw as steps (a CDF) instead of straight segments. */
  readonly step?: boolean;
}

const W = 640, H = 300, ML = 64, MR = 16, MT = 28, MB = 44;

function r2(v: number): string {
  return (Math.round(v * 100) / 100).toString();
}

/** "Nice" linear ticks (1, 2, 5 times a power of ten) covering [lo, hi]. */
export function linearTicks(lo: number, hi: number, target = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / target;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw)!;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) out.push(Math.round(v / step) * step);
  return out;
}

/** Powers of ten within [lo, hi] (lo > 0). */
export function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); 10 ** e <= hi * 1.000001; e++) if (10 ** e >= lo / 1.000001) out.push(10 ** e);
  return out.length ? out : [lo];
}

function domain(a: Axis, values: readonly number[]): [number, number] {
  let lo = a.min ?? minOf(values) ?? 0;
  let hi = a.max ?? maxOf(values) ?? 1;
  if (a.log) { lo = Math.max(1, lo / 1.5); hi = Math.max(hi * 1.5, lo * 10); } // padding keeps end points off the frame
  if (hi <= lo) hi = lo + 1;
  return [lo, hi];
}

function scaler(a: Axis, [lo, hi]: [number, number], r0: number, r1: number): (v: number) => number {
  if (a.log) {
    const l0 = Math.log10(lo), l1 = Math.log10(hi);
    return (v) => r0 + ((Math.log10(Math.max(v, lo)) - l0) / (l1 - l0)) * (r1 - r0);
  }
  return (v) => r0 + ((v - lo) / (hi - lo)) * (r1 - r0);
}

function frame(id: string, title: string, body: string, legend: readonly string[]): string {
  const items = legend.map((name, i) =>
    `<span class="key"><span class="swatch" style="background:${PALETTE[i % PALETTE.length]}"></span>${escapeHtml(name)}</span>`).join(' ');
  return `<figure class="chart" id="${escapeHtml(id)}"><figcaption>${escapeHtml(title)}</figcaption>` +
    `<svg viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-label="${escapeHtml(title)}">${body}</svg>` +
    (legend.length ? `<div class="legend">${items}</div>` : '') + '</figure>';
}

function axes(x: Axis, y: Axis, xd: [number, number], yd: [number, number], sx: (v: number) => number, sy: (v: number) => number): string {
  const xt = x.log ? logTicks(...xd) : linearTicks(...xd);
  const yt = y.log ? logTicks(...yd) : linearTicks(...yd);
  const parts = [`<g class="axis"><line x1="${ML}" y1="${H - MB}" x2="${W - MR}" y2="${H - MB}"/><line x1="${ML}" y1="${MT}" x2="${ML}" y2="${H - MB}"/>`];
  for (const t of xt) parts.push(`<line class="grid" x1="${r2(sx(t))}" y1="${MT}" x2="${r2(sx(t))}" y2="${H - MB}"/><text x="${r2(sx(t))}" y="${H - MB + 14}" text-anchor="middle">${escapeHtml(x.fmt(t))}</text>`);
  for (const t of yt) parts.push(`<line class="grid" x1="${ML}" y1="${r2(sy(t))}" x2="${W - MR}" y2="${r2(sy(t))}"/><text x="${ML - 4}" y="${r2(sy(t) + 3)}" text-anchor="end">${escapeHtml(y.fmt(t))}</text>`);
  parts.push(`<text x="${(ML + W - MR) / 2}" y="${H - 6}" text-anchor="middle">${escapeHtml(x.label)}</text>`);
  parts.push(`<text transform="rotate(-90)" x="${-(MT + H - MB) / 2}" y="14" text-anchor="middle">${escapeHtml(y.label)}</text></g>`);
  return parts.join('');
}

export function lineChart(c: LineChart): string {
  const xs = c.series.flatMap((s) => s.points.map((p) => p[0]));
  const ys = c.series.flatMap((s) => s.points.map((p) => p[1]));
  const xd = domain(c.x, xs), yd = domain(c.y, ys);
  const sx = scaler(c.x, xd, ML, W - MR), sy = scaler(c.y, yd, H - MB, MT);
  const paths = c.series.map((s, i) => {
    if (!s.points.length) return '';
    let d = `M${r2(sx(s.points[0][0]))},${r2(sy(c.step ? 0 : s.points[0][1]))}`;
    for (const [x, y] of s.points) d += c.step ? `H${r2(sx(x))}V${r2(sy(y))}` : `L${r2(sx(x))},${r2(sy(y))}`;
    return `<path class="series" data-series="${escapeHtml(s.name)}" fill="none" stroke="${PALETTE[i % PALETTE.length]}" stroke-width="1.6" d="${d}"><title>${escapeHtml(s.name)}</title></path>`;
  });
  const empty = c.series.every((s) => !s.points.length) ? `<text x="${W / 2}" y="${H / 2}" text-anchor="middle">no data</text>` : '';
  return frame(c.id, c.title, axes(c.x, c.y, xd, yd, sx, sy) + paths.join('') + empty, c.series.map((s) => s.name));
}

export interface Bar { readonly label: string; readonly value: number }

export function barChart(id: string, title: string, xLabel: string, yLabel: string, bars: readonly Bar[]): string {
  const max = Math.max(1, maxOf(bars.map((b) => b.value)) ?? 0);
  const y: Axis = { label: yLabel, fmt: (v) => String(v), min: 0, max };
  const sy = scaler(y, [0, max], H - MB, MT);
  const bw = (W - ML - MR) / Math.max(1, bars.length);
  const yt = linearTicks(0, max).filter((t) => Number.isInteger(t));
  const parts = [`<g class="axis"><line x1="${ML}" y1="${H - MB}" x2="${W - MR}" y2="${H - MB}"/><line x1="${ML}" y1="${MT}" x2="${ML}" y2="${H - MB}"/>`];
  for (const t of yt) parts.push(`<line class="grid" x1="${ML}" y1="${r2(sy(t))}" x2="${W - MR}" y2="${r2(sy(t))}"/><text x="${ML - 4}" y="${r2(sy(t) + 3)}" text-anchor="end">${t}</text>`);
  parts.push(`<text x="${(ML + W - MR) / 2}" y="${H - 6}" text-anchor="middle">${escapeHtml(xLabel)}</text><text transform="rotate(-90)" x="${-(MT + H - MB) / 2}" y="14" text-anchor="middle">${escapeHtml(yLabel)}</text></g>`);
  bars.forEach((b, i) => {
    const x = ML + i * bw;
    parts.push(`<rect class="bar" x="${r2(x + 1)}" y="${r2(sy(b.value))}" width="${r2(Math.max(1, bw - 2))}" height="${r2(H - MB - sy(b.value))}" fill="${PALETTE[0]}"><title>${escapeHtml(`${b.label}: ${b.value}`)}</title></rect>`);
    if (i % Math.ceil(bars.length / 8) === 0) parts.push(`<text x="${r2(x + bw / 2)}" y="${H - MB + 14}" text-anchor="middle">${escapeHtml(b.label)}</text>`);
  });
  return frame(id, title, parts.join(''), []);
}
