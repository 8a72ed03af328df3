/** The divergence report as text for a terminal. */
import { formatDuration } from '../text/duration.ts';
import type { DivergenceReport, RequestComparison, SideView } from './compareRuns.ts';

const pct = (a: number, b: number): string => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)}%`);
const num = (x: number | null, digits = 3): string => (x === null ? '-' : x.toFixed(digits));

function side(v: SideView | null): string {
  if (!v) return 'missing';
  const where = v.ok ? `+0x${v.pfn.toString(16)}` : `FAIL${v.errno === null ? '' : `(${v.errno})`}`;
  return `${where} r${v.retries} ${v.latency === null ? '-' : formatDuration(v.latency)}`;
}

function row(r: RequestComparison, mark: boolean): string {
  const head = `${mark ? '>' : ' '} #${String(r.index).padEnd(4)} ${r.requester.padEnd(14)} ${r.area.padEnd(10)} count=${r.count} align=${r.align}`;
  return `${head.padEnd(62)} trace ${side(r.trace).padEnd(26)} sim ${side(r.sim)}`;
}

export function formatDivergence(report: DivergenceReport): string {
  const out: string[] = [];
  out.push(`requests: trace ${report.traceRequests}, simulation ${report.simRequests}, compared ${report.compared}`);
  out.push(`outcome agrees:   ${report.outcomeAgree}/${report.compared} (${pct(report.outcomeAgree, report.compared)})`);
  out.push(`placement agrees: ${report.placementAgree}/${report.placementCompared} (${pct(report.placementAgree, report.placementCompared)}) of requests that succeeded on both sides`);
  out.push(`busy retries agree: ${report.retriesAgree}/${report.compared}`);
  if (!report.traceHasBusyRetries && report.placementAgree < report.placementCompared) {
    out.push('MODEL BUG: the trace has no busy retries, so every placement must agree (placement depends only on the allocator and the request sequence)');
  }
  const d = report.latencyRatio;
  out.push(`latency ratio sim/trace (n=${d.n}): min ${num(d.min)} p10 ${num(d.p10)} p50 ${num(d.p50)} p90 ${num(d.p90)} p99 ${num(d.p99)} max ${num(d.max)} geomean ${num(d.geomean)}`);
  if (!report.firstDivergence) {
    out.push('no divergence: every request agrees on outcome, placement and busy retries');
  } else {
    const first = report.rows[report.firstDivergence.index];
    const when = `trace time ${(first.start / 1e9).toFixed(6)} s${first.phase ? `, after marker '${first.phase}'` : ''}`;
    out.push(`first divergence at request #${first.index} (${first.divergence}): ${first.detail} [${when}]`);
    for (const r of report.firstDivergence.context) out.push(row(r, r.index === first.index));
  }
  return `${out.join('\n')}\n`;
}
