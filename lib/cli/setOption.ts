import { ScenarioError } from '../scenario/check.ts';
import { checkScenario, type CheckOptions, type Scenario, type ScenarioInput } from '../scenario/scenario.ts';
import { setPath } from '../scenario/setPath.ts';
import { InputError, UsageError } from './errors.ts';

/** A value is JSON when it parses as JSON (numbers, true, [..]), else a string ("2us", "64M"). */
export function valueOf(raw: string): unknown {
  try { return JSON.parse(raw); } catch { return raw; }
}

export function splitAssignment(text: string, flag: string, example: string): [string, string] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`${flag}: expected path=value (e.g. ${example}), got '${text}'`);
  return [text.slice(0, eq), text.slice(eq + 1)];
}

/** `--set path=value`: one edit of a scenario field, the same on every command that takes it. */
export type SetEdit = readonly [path: string, value: unknown];

export function parseSet(text: string): SetEdit {
  const [p, raw] = splitAssignment(text, '--set', 'costs.migratePerPage=2us');
  return [p, valueOf(raw)];
}

export const SET_OPTION = { set: { type: 'string', multiple: true } } as const;
export const SET_HELP = ['--set path=value', 'edit any scenario field first, e.g. costs.migratePerPage=2us, cma.lockMode=global, workload[0].rate=50 (repeatable)'] as const;

export function readSets(v: unknown): SetEdit[] {
  return ((v as string[] | undefined) ?? []).map(parseSet);
}

/** `input` with the edits applied, in order; a field they break is a one-line input error naming --set. */
export function applySetsInput(input: ScenarioInput, sets: readonly SetEdit[], opts: CheckOptions = {}): ScenarioInput {
  try {
    let s = input;
    for (const [p, v] of sets) s = setPath(s, p, v);
    if (sets.length > 0) checkScenario(s, opts);
    return s;
  } catch (e) {
    if (e instanceof ScenarioError) throw new InputError(`--set: ${e.message}`);
    throw e;
  }
}

/** A checked scenario with the edits applied (the scenario itself when there are none). */
export function applySets(s: Scenario, sets: readonly SetEdit[], opts: CheckOptions = {}): Scenario {
  return sets.length === 0 ? s : checkScenario(applySetsInput(s.source, sets, opts), opts);
}
