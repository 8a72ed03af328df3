import { relative, dirname } from 'node:path';
import type { Choice, SimEventBase } from '../engine/types.ts';
import { fmtFailure } from './summary.ts';
import { TraceError, traceScenario } from './trace.ts';
import type { ChoiceRecord, ChoiceTrace, ExploreScenario } from './types.ts';

/**
 * The engine's `choose` for a recorded order: at each recorded dispatch position, the recorded
 * candidate; the default (0) everywhere else. A position whose candidates no longer match the
 * record is refused with the seq and what was expected, so a stale regression fails loudly.
 */
export function chooserOf<E extends SimEventBase>(choices: readonly ChoiceRecord[]): (cands: readonly Choice<E>[], nextSeq: number) => number {
  const bySeq = new Map(choices.map((c) => [c.seq, c]));
  return (cands, nextSeq) => {
    const c = bySeq.get(nextSeq);
    if (!c) return 0;
    if (c.of !== cands.length || cands[c.pick]?.event.type !== c.type) {
      throw new TraceError(`recorded order diverged at seq ${c.seq}: expected ${c.of} candidates with '${c.type}' at ${c.pick}, got ${cands.length} (${cands.map((x) => x.event.type).join(', ')})`);
    }
    return c.pick;
  };
}

/** `scn` with a found order folded in: run plainly (cma-sim debug, runToHistory), it takes that order. */
export function withChoices<S, E extends SimEventBase>(scn: ExploreScenario<S, E>, t: Pick<ChoiceTrace, 'choices' | 'window' | 'failure' | 'faults' | 'perturb'>): ExploreScenario<S, E> {
  const name = `${scn.name}-regression`;
  return {
    ...traceScenario(scn, t), name, choose: chooserOf<E>(t.choices), window: t.window,
    description: `${scn.description ? `${scn.description}\n` : ''}Regression: the order that made ${t.failure ? fmtFailure(t.failure) : 'this outcome'}.`,
  };
}

/**
 * A regression scenario module for a failure: the scenario it came from, the failing order and
 * the expected failure, as a `.ts` file that `cma-sim debug` opens at once and a test can run
 * with runToHistory (the order is applied by the engine's tie-breaking, not by the explorer).
 */
export function regressionModule(file: string, scenarioFile: string, t: ChoiceTrace): string {
  const rel = (p: string): string => { const r = relative(dirname(file), p).split('\\').join('/'); return r.startsWith('.') ? r : `./${r}`; };
  const lib = rel(new URL('.', import.meta.url).pathname);
  return `/**
 * Regression found by cma-sim explore on ${JSON.stringify(t.scenario)}:
 * ${t.failure ? fmtFailure(t.failure).replace(/\*\//g, '*\\/') : 'no failure'}
 * Order: ${t.choices.length} place(s) where the run left the default order. Open it with
 * \`cma-sim debug <this file>\`; replay it in a test with runToHistory(race) and check \`expected\`.
 */
import { join } from 'node:path';
import { loadExploreScenario } from '${lib}/../cli/loadExploreScenario.ts';
import { withChoices } from '${lib}/regression.ts';

export const expected = ${JSON.stringify(t.failure, null, 2)};

export const trace = ${JSON.stringify({ choices: t.choices, window: t.window, failure: t.failure, ...(t.faults?.length ? { faults: t.faults } : {}), ...(t.perturb?.length ? { perturb: t.perturb } : {}) })};

export const race = withChoices(await loadExploreScenario(join(import.meta.dirname, ${JSON.stringify(rel(scenarioFile))})), trace);
`;
}
