import { readFileSync } from 'node:fs';
import type { SimEventBase } from '../engine/types.ts';
import { History } from '../history/history.ts';
import { parseLog, replayLog } from '../history/jsonl.ts';
import { loadRunnable, UsageError } from '../explore/loadRunnable.ts';
import { DEFAULT_MAX_EVENTS, startEngine, type Runnable } from '../explore/runnable.ts';
import { checkScenario } from '../scenario/scenario.ts';
import { scenarioRunnable } from '../scenario/scenarioRunnable.ts';

export { loadRunnable, UsageError };

export interface Opened<S, E extends SimEventBase> {
  readonly runnable: Runnable<S, E>;
  /** Absolute path of the module the runnable came from (recorded in saved logs and sessions). */
  readonly source: string;
  readonly history: History<S, E>;
}

/** Run a Runnable to its bound and keep its whole history. */
export function runToHistory<S, E extends SimEventBase>(r: Runnable<S, E>, snapshotEvery = r.snapshotEvery ?? 1024): History<S, E> {
  const e = startEngine(r, snapshotEvery);
  e.run({ until: r.until, maxEvents: r.maxEvents ?? DEFAULT_MAX_EVENTS });
  return new History(e);
}

/** Rebuild a history from log text, with the model and boot state of `r`. */
export function historyFromLog<S, E extends SimEventBase>(r: Runnable<S, E>, text: string, file: string): History<S, E> {
  try {
    return replayLog(parseLog<E>(text, file, r.model as never), r.model, r.initial, file).history;
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

/** The header line of a JSONL file, parsed, or null when the file is not JSONL. */
export function firstLine(file: string): { header: Record<string, unknown>; text: string } | null {
  let text: string;
  try { text = readFileSync(file, 'utf8'); } catch (e) { throw new UsageError(`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`); }
  const nl = text.indexOf('\n');
  try {
    const header = JSON.parse(nl < 0 ? text : text.slice(0, nl)) as Record<string, unknown>;
    return typeof header === 'object' && header !== null ? { header, text } : null;
  } catch {
    return null;
  }
}

/**
 * Open what `cma-sim debug` was given: a scenario module (run it), or a log written by
 * `exportLog` whose header names its source module (or `--target <module>` names it).
 */
export async function openTarget(arg: string, targetOverride?: string): Promise<Opened<any, any>> {
  if (arg.endsWith('.jsonl')) {
    const f = firstLine(arg);
    if (!f) throw new UsageError(`${arg}:1: expected a JSON header line`);
    const meta = (f.header.meta ?? {}) as { source?: unknown; scenario?: unknown };
    const src = targetOverride ?? (typeof meta.source === 'string' ? meta.source : undefined);
    if (!src && meta.scenario !== undefined) {
      // Logs of JSON scenarios carry the scenario itself.
      const runnable = scenarioRunnable(checkScenario(meta.scenario), { seed: typeof f.header.seed === 'number' ? f.header.seed : undefined }) as unknown as Runnable<any, any>;
      return { runnable, source: arg, history: historyFromLog(runnable, f.text, arg) };
    }
    if (!src) throw new UsageError(`${arg}: the log does not name the scenario it was recorded from: pass --target <scenario module>`);
    const { runnable, source } = await loadRunnable(src);
    return { runnable, source, history: historyFromLog(runnable, f.text, arg) };
  }
  const { runnable, source } = await loadRunnable(targetOverride ?? arg);
  return { runnable, source, history: runToHistory(runnable) };
}
