import type { SimEventBase } from '../engine/types.ts';
import { logLines } from '../history/jsonl.ts';
import { writeFileAtomic } from '../io/atomicWrite.ts';
import { pluginFor } from './cmaPlugin.ts';
import { DebugSession, type ForkSpec } from './session.ts';
import { historyFromLog, loadRunnable, UsageError, type Opened } from './target.ts';

export const SESSION_FORMAT = 'cma-sim-session';

interface SessionHeader<E> {
  format: typeof SESSION_FORMAT;
  version: 1;
  /** Absolute path of the scenario module (model, boot state, plugin). */
  source: string;
  current: string;
  cursors: Record<string, number>;
  watches: string[];
  breaks: string[];
  forks: (ForkSpec<E> & { name: string })[];
}

/**
 * A session file: one header line (timelines, cursors, watches, breakpoints) followed by the
 * root run's own hash-chained log, so it reopens at the same place without the original log and
 * refuses to open if the model changed.
 */
export function saveSession<S, E extends SimEventBase>(file: string, s: DebugSession<S, E>, opened: Opened<S, E>): string {
  const root = s.timelines[0].history;
  const header: SessionHeader<E> = {
    format: SESSION_FORMAT, version: 1, source: opened.source, current: s.current.name,
    cursors: Object.fromEntries(s.timelines.map((t) => [t.name, t.history.cursor])),
    watches: s.watches.map((w) => w.path),
    breaks: s.breaks.map((b) => b.source),
    forks: s.timelines.filter((t) => t.fork).map((t) => ({ name: t.name, ...t.fork! })),
  };
  function* lines(): Generator<string> {
    yield JSON.stringify(header) + '\n';
    yield* logLines(root, opened.runnable.seed, { source: opened.source });
  }
  writeFileAtomic(file, lines());
  return `saved ${s.timelines.length} timeline(s), cursor #${s.cursor} on ${s.current.name}, to ${file}`;
}

/** Reopen a saved session: replay the embedded log, rebuild forks, restore cursors, watches and breakpoints. */
export async function loadSession(file: string, text: string): Promise<{ session: DebugSession<any, any>; opened: Opened<any, any> }> {
  const nl = text.indexOf('\n');
  const h = JSON.parse(text.slice(0, nl)) as SessionHeader<SimEventBase>;
  if (h.version !== 1 || typeof h.source !== 'string' || !Array.isArray(h.forks)) throw new UsageError(`${file}:1: unsupported or damaged session header`);
  const { runnable, source } = await loadRunnable(h.source);
  // Log line numbers in errors are relative to the embedded log; shift by the session header.
  const history = historyFromLog(runnable, text.slice(nl + 1), `${file} (embedded log, line 1 = file line 2)`);
  const opened: Opened<any, any> = { runnable, source, history };
  const session = new DebugSession(history, pluginFor(runnable), runnable.model.validateEvent);
  try {
    for (const f of h.forks) {
      const { name, ...spec } = f;
      session.current = session.timeline(spec.parent);
      session.current.history.seek(spec.seq);
      session.fork(name);
      session.editFork((x) => { x.inject.push(...spec.inject); x.drop.push(...spec.drop); x.delay.push(...spec.delay); });
      session.extend(session.current.history, session.current.fork, Infinity); // cursors may lie anywhere in it
    }
    for (const t of session.timelines) t.history.seek(h.cursors[t.name] ?? t.history.lastSeq);
    for (const w of h.watches) session.watches.push({ path: w });
    for (const b of h.breaks) session.addBreak(b);
    session.current = session.timeline(h.current);
  } catch (e) {
    throw new UsageError(`${file}:1: ${(e as Error).message}`);
  }
  return { session, opened };
}
