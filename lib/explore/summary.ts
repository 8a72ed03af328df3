import { formatDuration } from '../text/duration.ts';
import { fmtFaults, fmtPerturb } from './faults.ts';
import type { ExploreOptions, ExploreResult, Progress } from './explore.ts';
import type { ChoiceRecord, Failure } from './types.ts';

export function fmtChoices(cs: readonly ChoiceRecord[]): string {
  if (!cs.length) return 'default order';
  const shown = cs.slice(0, 6).map((c) => `#${c.seq}: ${c.type} (${c.pick + 1} of ${c.of})`);
  return shown.join(', ') + (cs.length > 6 ? `, ... ${cs.length - 6} more` : '');
}

export function fmtFailure(f: Failure): string {
  return `${f.kind} '${f.check}' failed at seq ${f.seq}: ${f.message}`;
}

const secs = (ms: number): string => (ms >= 120_000 ? `${Math.round(ms / 60_000)}min` : `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)}s`);

export function fmtProgress(p: Progress, maxRuns = Infinity): string {
  const rate = p.elapsedMs > 0 ? p.runs / (p.elapsedMs / 1000) : 0;
  const parts = [`runs ${p.runs} (${rate >= 10 ? Math.round(rate) : rate.toFixed(1)}/s)`, `distinct outcomes ${p.outcomes}`, `failures ${p.failures}`, `${secs(p.elapsedMs)}`];
  if (p.done !== undefined && p.done > 0 && p.runs > 0) {
    // Exhaustive: the tree estimate, capped by the runs left under --max-runs.
    const byTree = (p.elapsedMs * (1 - p.done)) / p.done;
    const byCap = rate > 0 && Number.isFinite(maxRuns) ? ((maxRuns - p.runs) / rate) * 1000 : Infinity;
    parts.push(`~${Math.round(100 * p.done)}% of the orderings, ETA ${secs(Math.min(byTree, byCap))}`);
  }
  if (p.inRun) parts.push(`run ${p.runs + 1} at event ${p.inRun.seq}, t=${formatDuration(p.inRun.now)}`);
  return parts.join(', ');
}


/** The text report of an exploration. `files[i]` are where failure i's trace (and regression scenario) went; `diff` says how two final states differ. */
export function fmtExploreResult(name: string, o: ExploreOptions, r: ExploreResult, files: readonly string[], diff?: (a: unknown, b: unknown) => string): string {
  const rate = r.elapsedMs > 0 ? Math.round(r.runs / (r.elapsedMs / 1000)) : r.runs;
  const how = o.strategy === 'exhaustive'
    ? `exhaustive, reduction ${o.por ? 'on' : 'off'}, preemption bound ${o.preemptionBound}${r.complete ? ', complete' : o.first && r.failures.length ? ', stopped at the first failure' : ', stopped at --max-runs'}`
    : `${o.strategy}, seed ${o.seed}${o.strategy === 'pct' ? `, depth ${o.depth}` : ''}`;
  const lines = [`${name}: ${r.runs} runs (${how}) in ${(r.elapsedMs / 1000).toFixed(2)}s, ${rate} runs/s${o.window ? `, window ${o.window}ns` : ''}`];
  lines.push(`${r.outcomes.length} distinct outcome(s):`);
  const sorted = [...r.outcomes].sort((a, b) => b.runs - a.runs);
  sorted.forEach((oc, i) => {
    lines.push(`  ${i + 1}. ${oc.outcome}  (${oc.runs} run(s); e.g. ${fmtChoices(oc.example)})`);
    if (i > 0 && diff) {
      const d = diff(sorted[0].final, oc.final).split('\n').filter(Boolean);
      if (d.length) lines.push(`     differs from 1: ${d.slice(0, 3).map((l) => l.trim()).join('; ')}${d.length > 3 ? `; ... ${d.length - 3} more` : ''}`);
    }
  });
  if (r.failures.length === 0 && r.sometimesMissed.length === 0) lines.push('no failures');
  r.failures.forEach((f, i) => {
    lines.push(`FAIL ${fmtFailure(f.trace.failure!)} (${f.runs} run(s); first in run ${f.firstRun}, after ${(f.firstMs / 1000).toFixed(2)}s)`);
    lines.push(`  choices: ${fmtChoices(f.trace.choices)}${f.trace.faults?.length ? `; faults: ${fmtFaults(f.trace.faults)}` : ''}${f.trace.perturb?.length ? `; timings: ${fmtPerturb(f.trace.perturb)}` : ''}${files[i] ? `; trace: ${files[i]}` : ''}`);
  });
  for (const s of r.sometimesMissed) lines.push(`FAIL sometimes '${s}' held in none of the ${r.runs} explored runs`);
  return lines.join('\n');
}
