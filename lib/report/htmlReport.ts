/**
 * A self-contained HTML page: the report tables, inline-SVG charts (latency CDF per device,
 * latency histogram, utilisation, fragmentation, page cache and migrations over time) and a
 * pageblock map of every area with a slider that scrubs through the run's map frames. No
 * external resource: styles and the one small script are inline, and a Content-Security-Policy
 * forbids any fetch. Every scenario string is HTML-escaped; the map frames travel as JSON in a
 * `<script type="application/json">` block escaped so it cannot end the element.
 */
import { aggregate } from './aggregate.ts';
import { escapeHtml, jsonForScript } from '../text/escape.ts';
import { mapSection, MAP_CSS, MAP_SCRIPT } from './htmlMap.ts';
import { sortedNumbers } from '../text/percentile.ts';
import type { RunData } from './runData.ts';
import { reportSections, type Table } from './sections.ts';
import { series } from './series.ts';
import { barChart, lineChart, type Axis } from './svgCharts.ts';
import { fmtNs, fmtPct } from './units.ts';
import { maxOf, minOf } from './minMax.ts';

const CSS = `body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222;max-width:1400px}
h1{font-size:1.4em}h2{font-size:1.15em;margin-top:1.6em}
table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ccc;padding:2px 8px}td.n{text-align:right;font-variant-numeric:tabular-nums}
th{background:#f3f3f3}.charts{display:flex;flex-wrap:wrap;gap:1em}figure.chart{margin:0;border:1px solid #ddd;padding:.4em}
figcaption{font-weight:600}svg text{font-size:10px;fill:#333}.axis line{stroke:#333}.axis line.grid{stroke:#e4e4e4}
.legend{font-size:12px}.key{margin-right:1em;white-space:nowrap}.swatch{display:inline-block;width:10px;height:10px;margin-right:4px}
.note{color:#555}` + MAP_CSS;

const CSP = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:";

function htmlTable(t: Table): string {
  const head = `<tr>${t.headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>`;
  const body = t.rows.map((r) => `<tr>${r.map((c, j) => `<td${t.right[j] ? ' class="n"' : ''}>${escapeHtml(c)}</td>`).join('')}</tr>`).join('');
  return `<h2>${escapeHtml(t.title)}</h2><table>${head}${body}</table>${t.note ? `<p class="note">${escapeHtml(t.note)}</p>` : ''}`;
}

const timeAxis: Axis = { label: 'simulated time', fmt: fmtNs };
const fracAxis = (label: string): Axis => ({ label, fmt: fmtPct, min: 0, max: 1 });
const countAxis = (label: string): Axis => ({ label, fmt: (v) => String(Math.round(v * 100) / 100), min: 0 });

/** Latency histogram with power-of-two bins: bin k holds latencies in [2^k, 2^(k+1)) ns. */
export function latencyBins(latencies: readonly number[]): { label: string; value: number }[] {
  if (!latencies.length) return [];
  const bin = (v: number) => Math.floor(Math.log2(Math.max(1, v)));
  const bins = latencies.map(bin);
  const lo = minOf(bins)!, hi = maxOf(bins)!;
  const counts = new Array<number>(hi - lo + 1).fill(0);
  for (const v of latencies) counts[bin(v) - lo]++;
  return counts.map((value, i) => ({ label: `≥${fmtNs(2 ** (lo + i))}`, value }));
}

function charts(data: RunData): string {
  const agg = aggregate(data);
  const s = series(data);
  const cdf = agg.groups.device.map((g) => {
    const lat = sortedNumbers(agg.rows.filter((r) => r.requester === g.key && r.latency !== null).map((r) => r.latency!));
    return { name: g.key, points: lat.map((v, k) => [Math.max(1, v), (k + 1) / lat.length] as const) };
  });
  const overTime = (f: (i: number) => readonly number[]) => s.areas.map((a, i) => ({ name: a.name, points: s.t.map((t, k) => [t, f(i)[k]] as const) }));
  return [
    lineChart({ id: 'chart-cdf', title: 'Latency CDF per device', step: true, series: cdf,
      x: { label: 'latency (log scale)', fmt: fmtNs, log: true }, y: fracAxis('fraction of finished requests') }),
    barChart('chart-histogram', 'Latency histogram (all requests)', 'latency (power-of-two bins)', 'requests',
      latencyBins(agg.rows.flatMap((r) => (r.latency === null ? [] : [r.latency])))),
    lineChart({ id: 'chart-utilisation', title: 'Area utilisation over time', series: overTime((i) => s.areas[i].utilisation), x: timeAxis, y: fracAxis('allocated / area') }),
    lineChart({ id: 'chart-fragmentation', title: 'Fragmentation over time (1 − largest free chunk / free)', series: overTime((i) => s.areas[i].fragmentation), x: timeAxis, y: fracAxis('fragmentation') }),
    lineChart({ id: 'chart-free', title: 'Largest free chunk versus free pages', x: timeAxis, y: countAxis('pages'),
      series: s.areas.flatMap((a) => [
        { name: `${a.name} free`, points: s.t.map((t, k) => [t, a.free[k]] as const) },
        { name: `${a.name} largest free chunk`, points: s.t.map((t, k) => [t, a.largestFree[k]] as const) }]) }),
    lineChart({ id: 'chart-pagecache', title: 'Page cache resident in CMA', series: overTime((i) => s.areas[i].pagecache), x: timeAxis, y: countAxis('pages') }),
    lineChart({ id: 'chart-migrations', title: 'Migrations per second', x: timeAxis, y: countAxis('pages / s'),
      series: [{ name: 'migrated pages / s', points: s.t.map((t, k) => [t, s.migrationsPerSec[k]] as const) }] }),
  ].join('');
}

export function htmlReport(data: RunData): string {
  const sec = reportSections(data);
  const map = mapSection(data);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(sec.title)}</title><style>${CSS}</style></head>
<body><h1>${escapeHtml(sec.title)}</h1>
<ul>${sec.lines.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>
<h2>Charts</h2><div class="charts">${charts(data)}</div>
${map.html}
${sec.tables.map(htmlTable).join('\n')}
<script type="application/json" id="map-data">${jsonForScript(map.data)}</script>
<script>${MAP_SCRIPT}</script>
</body></html>
`;
}
