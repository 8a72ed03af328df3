import type { RunSummary } from '../scenario/runScenario.ts';
import { formatDuration } from '../text/duration.ts';
import { printable } from '../text/escape.ts';

/**
 * A short plain-text summary of a run: what ran, what it emitted, what failed. `brief` leaves out
 * what the full text report already shows (scenario, seed, counts, latency).
 */
export function summaryText(s: RunSummary, brief = false): string {
  const lines: string[] = [];
  if (!brief) lines.push(`scenario   ${printable(s.scenario)}`, `seed       ${s.seed}`);
  lines.push(`simulated  ${formatDuration(s.simTimeNs)} of ${formatDuration(s.until)} (stopped: ${s.stopReason})`);
  if (!brief) lines.push(`events     ${s.events}`);
  const em = Object.entries(s.emitted);
  if (em.length) lines.push(`workload   ${em.map(([k, v]) => `${k} ${v}`).join(', ')}`);
  const un = Object.entries(s.undeliverable);
  if (un.length) lines.push(`not modelled yet (dropped): ${un.map(([k, v]) => `${k} ${v}`).join(', ')}`);
  const m = s.metrics;
  if (!brief && m['alloc.requests'] > 0) {
    lines.push(`allocs     ${m['alloc.requests']} requested, ${m['alloc.done']} done, ${m['alloc.failed']} failed, ${m['alloc.retries']} busy retries`);
    lines.push(`latency    p50 ${formatDuration(m['alloc.latency.p50'], 3)}  p99 ${formatDuration(m['alloc.latency.p99'], 3)}  max ${formatDuration(m['alloc.latency.max'], 3)}`);
  }
  for (const a of s.assertions) {
    lines.push(`assert     ${a.ok ? 'ok  ' : a.fatal ? 'FAIL' : 'warn'} ${printable(a.name)} (value ${a.value}${a.at !== null ? ` at ${formatDuration(a.at)}` : ''})`);
  }
  for (const v of s.violations) lines.push(`INVARIANT  ${printable(v)}`);
  lines.push(`state hash ${s.finalHash.slice(0, 16)}`);
  return lines.join('\n') + '\n';
}
