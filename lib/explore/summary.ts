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

export function fmtProgress(p: Progress): string {
  const rate = p.elapsedMs > 0 ? Math.round(p.runs / (p.elapsedMs / 1000)) : 0;
  return `runs ${p.runs} (${rate}/s), distinct outcomes ${p.outcomes}, failures ${p.failures}`;
}

/** The text report of an exploration. `files[i]` is where failure i's trace went. */
export function fmtExploreResult(name: string, o: ExploreOptions, r: ExploreResult, files: readonly string[]): string {
  const rate = r.elapsedMs > 0 ? Math.round(r.runs / (r.elapsedMs / 1000)) : r.runs;
  const how = o.strategy === 'exhaustive'
    ? `exhaustive, reduction ${o.por ? 'on' : 'off'}, preemption bound ${o.preemptionBound}${r.complete ? ', complete' : ', stopped at --max-runs'}`
    : `${o.strategy}, seed ${o.seed}${o.strategy === 'pct' ? `, depth ${o.depth}` : ''}`;
  const lines = [`${name}: ${r.runs} runs (${how}) in ${(r.elapsedMs / 1000).toFixed(2)}s, ${rate} runs/s${o.window ? `, window ${o.window}ns` : ''}`];
  lines.push(`${r.outcomes.length} distinct outcome(s):`);
  for (const oc of [...r.outcomes].sort((a, b) => b.runs - a.runs)) lines.push(`  ${oc.outcome}  (${oc.runs} run(s); e.g. ${fmtChoices(oc.example)})`);
  if (r.failures.length === 0 && r.sometimesMissed.length === 0) lines.push('no failures');
  r.failures.forEach((f, i) => {
    lines.push(`FAIL ${fmtFailure(f.trace.failure!)} (${f.runs} run(s))`);
    lines.push(`  choices: ${fmtChoices(f.trace.choices)}${files[i] ? `; trace: ${files[i]}` : ''}`);
  });
  for (const s of r.sometimesMissed) lines.push(`FAIL sometimes '${s}' held in none of the ${r.runs} explored runs`);
  return lines.join('\n');
}
