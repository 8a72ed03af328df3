import { readFileSync } from 'node:fs';
import type { SimEventBase } from '../engine/types.ts';
import type { History } from '../history/history.ts';
import { LogFormatError, parseLog, replayLog, type ParsedLog } from '../history/jsonl.ts';
import { InputError } from '../io/inputError.ts';
import type { DebugPlugin, Runnable } from '../run/runnable.ts';
import { runToHistory } from '../run/runToHistory.ts';
import { cmaSimModel } from '../../models/cmaSimModel.ts';
import { fmtEnvelope, fmtTime } from '../debug/format.ts';
import type { DebugSession } from '../debug/session.ts';
import { restoreSession, type Opened } from '../debug/sessionFile.ts';
import { withChoices } from '../explore/regression.ts';
import { fmtFailure } from '../explore/summary.ts';
import { checkTraceScenario, readTrace, TraceError } from '../explore/trace.ts';
import { ScenarioError } from '../scenario/check.ts';
import { checkScenario, type ScenarioInput } from '../scenario/scenario.ts';
import { scenarioRunnable } from '../scenario/scenarioRunnable.ts';
import { loadExploreScenario, scenarioPath } from './loadExploreScenario.ts';
import { loadRunnable } from './loadRunnable.ts';
import { cannotRead } from '../io/cannotRead.ts';

/*
 * Opening what `cma-sim debug` is given: a scenario or race (run it), a log or saved session
 * (fold it), or a scenario with an explorer choice trace. File problems are InputErrors.
 */

function asUsage<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof LogFormatError) throw new InputError(e.message);
    throw e;
  }
}

/**
 * A history of a parsed (chain-checked) log, with the model and boot state of `r`, replayed lazily:
 * only as far as the session goes (a long log opens in the time it takes to read and check it).
 */
export function historyFromParsed<S, E extends SimEventBase>(r: Runnable<S, E>, parsed: ParsedLog<E>, file: string): History<S, E> {
  return asUsage(() => replayLog(parsed, r.model, r.initial, file, undefined, { lazy: true }).history);
}

export function readText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`${file}: ${cannotRead(e)}`);
  }
}

/** The header line of a JSONL text, parsed, or null when it is not a JSON object (only to tell file kinds apart). */
export function headerOf(text: string): Record<string, unknown> | null {
  const nl = text.indexOf('\n');
  try {
    const header = JSON.parse(nl < 0 ? text : text.slice(0, nl)) as unknown;
    return typeof header === 'object' && header !== null && !Array.isArray(header) ? header as Record<string, unknown> : null;
  } catch {
    return null;
  }
}

/** The runnable a chain-checked log describes by itself: the scenario in its header, as data. */
function scenarioOfLog(parsed: ParsedLog<SimEventBase>, file: string): { runnable: Runnable<any, any>; scenario: ScenarioInput } | null {
  const meta = parsed.header.meta as { scenario?: unknown } | undefined;
  if (meta?.scenario === undefined) return null;
  try {
    const s = checkScenario(meta.scenario);
    return { runnable: scenarioRunnable(s, { seed: parsed.header.seed }), scenario: s.source };
  } catch (e) {
    if (e instanceof ScenarioError) throw new InputError(`${file}:1: meta.scenario: ${e.message}`);
    throw e;
  }
}

const NEEDS_TARGET = 'it does not carry its scenario as data; a log never names code to run, so name the scenario module it was recorded from: --target <module>';

/**
 * A log (or a saved session, which is a log) opened as a history. Nothing in the file chooses
 * code: with `--target` the named module supplies model and boot state; without it, the log must
 * be a cma-sim log carrying its scenario as data. Either way the whole hash chain is checked
 * (parseLog) before any field of the file is used.
 */
export async function openLog(file: string, text: string, target?: string): Promise<{ opened: Opened<any, any>; parsed: ParsedLog<any> }> {
  if (target !== undefined) {
    const { runnable, scenario, fromScenario } = await loadRunnable(scenarioPath(target));
    const parsed = asUsage(() => parseLog(text, file, runnable.model));
    return { opened: { runnable, scenario: fromScenario ? scenario!.source : null, history: historyFromParsed(runnable, parsed, file) }, parsed };
  }
  let parsed: ParsedLog<any>;
  try {
    parsed = parseLog(text, file, cmaSimModel);
  } catch (e) {
    if (e instanceof LogFormatError && /is for model/.test(e.reason)) throw new InputError(`${e.message}: ${NEEDS_TARGET}`);
    throw e instanceof LogFormatError ? new InputError(e.message) : e;
  }
  const own = scenarioOfLog(parsed, file);
  if (!own) throw new InputError(`${file}: ${NEEDS_TARGET}`);
  return { opened: { runnable: own.runnable, scenario: own.scenario, history: historyFromParsed(own.runnable, parsed, file) }, parsed };
}

/**
 * A scenario (or race) run in the order a choice trace recorded, for `debug <scenario> --choices
 * trace.json`: the opened run, the seq to start at (the failing event, else the end) and one line
 * per place the run left the default order.
 */
/** A log or a saved session, opened and (for a session) restored. */
export async function openLogOrSession(
  file: string, text: string, target?: string, cma: Partial<DebugPlugin<any>> = {},
): Promise<{ session: DebugSession<any, any>; opened: Opened<any, any> }> {
  const { opened, parsed } = await openLog(file, text, target);
  return restoreSession(opened, parsed, file, cma);
}

export async function openChoices(arg: string, traceFile: string): Promise<{ opened: Opened<any, any>; at: number; notes: string[] }> {
  const scn = await loadExploreScenario(arg);
  let t;
  try {
    t = readTrace(traceFile);
    checkTraceScenario(scn, t, traceFile);
  } catch (e) {
    if (e instanceof TraceError) throw new InputError(e.message);
    throw e;
  }
  const runnable = withChoices(scn, t);
  let history: History<any, any>;
  try {
    history = runToHistory(runnable);
  } catch (e) {
    if (e instanceof TraceError) throw new InputError(`${traceFile}: ${e.message}`);
    throw e;
  }
  const at = t.failure && t.failure.seq <= history.lastSeq ? t.failure.seq : history.lastSeq;
  const notes = [
    t.failure ? `failure: ${fmtFailure(t.failure)}` : 'no failure recorded',
    ...(t.faults?.length ? [`faults injected: ${t.faults.map((f) => `${f.name} at ${fmtTime(f.time)}`).join(', ')}`] : []),
    ...(t.perturb?.length ? [`timings changed: ${t.perturb.map((p) => `${p.name} = ${fmtTime(p.value)}`).join(', ')}`] : []),
    t.choices.length ? `left the default order at ${t.choices.length} place(s):` : 'the default order throughout',
    ...t.choices.map((c) => {
      const env = c.seq <= history.lastSeq ? history.envelope(c.seq) : null;
      return `  #${c.seq}: ran candidate ${c.pick + 1} of ${c.of} first: ${env ? fmtEnvelope(env) : c.type}`;
    }),
  ];
  return { opened: { runnable, scenario: null, history }, at, notes };
}

/**
 * Open what `cma-sim debug` was given: a scenario (JSON, a module named on the command line, or a
 * built-in race by name: run it), or a log (`openLog`).
 */
export async function openTarget(arg: string, target?: string): Promise<Opened<any, any>> {
  if (arg.endsWith('.jsonl')) return (await openLog(arg, readText(arg), target)).opened;
  const { runnable, scenario, fromScenario } = await loadRunnable(scenarioPath(target ?? arg));
  return { runnable, scenario: fromScenario ? scenario!.source : null, history: runToHistory(runnable) };
}
