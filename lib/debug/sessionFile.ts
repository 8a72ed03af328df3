import type { SimEventBase } from '../engine/types.ts';
import type { History } from '../history/history.ts';
import { logLines, type ParsedLog } from '../history/jsonl.ts';
import { writeFileAtomic } from '../io/atomicWrite.ts';
import { InputError } from '../io/inputError.ts';
import type { DebugPlugin, Runnable } from '../run/runnable.ts';
import { pluginFor } from './cmaPlugin.ts';
import { DebugSession, type ForkSpec } from './session.ts';

/** A run opened for debugging (lib/cli/debugTarget.ts opens scenarios, logs and choice traces). */
export interface Opened<S, E extends SimEventBase> {
  readonly runnable: Runnable<S, E>;
  /**
   * The scenario, as data, when the runnable is exactly that scenario booted (a JSON scenario or a
   * log carrying one): saved sessions embed it so they reopen without running any code. null when
   * the run came from a module, which must be named again on the command line (`--target`).
   */
  readonly scenario: object | null;
  readonly history: History<S, E>;
}

/** The first session format named a module to import on reopening; it is refused, never read. */
export const OLD_SESSION_FORMAT = 'cma-sim-session';

/** What a session adds to its root run's log header (`meta.session`). */
interface SessionMeta<E> {
  current: string;
  cursors: Record<string, number>;
  watches: string[];
  breaks: string[];
  forks: (ForkSpec<E> & { name: string })[];
}

/**
 * A session file is the root run's own hash-chained log whose header carries the session
 * (timelines, cursors, watches, breakpoints) and, when the run is a scenario, the scenario as
 * data. The chain covers all of it; nothing in it names code.
 */
export function saveSession<S, E extends SimEventBase>(file: string, s: DebugSession<S, E>, opened: Opened<S, E>): string {
  const root = s.timelines[0].history;
  const session: SessionMeta<E> = {
    current: s.current.name,
    cursors: Object.fromEntries(s.timelines.map((t) => [t.name, t.history.cursor])),
    watches: s.watches.map((w) => w.path),
    breaks: s.breaks.map((b) => b.source),
    forks: s.timelines.filter((t) => t.fork).map((t) => ({ name: t.name, ...t.fork! })),
  };
  writeFileAtomic(file, logLines(root, opened.runnable.seed, { ...(opened.scenario ? { scenario: opened.scenario } : {}), session }));
  s.markSaved();
  return `saved ${s.timelines.length} timeline(s), cursor #${s.cursor} on ${s.current.name}, to ${file}${opened.scenario ? '' : ' (reopen it with --target <the same module>)'}`;
}

const isInt = (v: unknown): v is number => Number.isSafeInteger(v);
const isStr = (v: unknown): v is string => typeof v === 'string';

/** The session part of a chain-checked header, shape-checked (values are checked again as commands use them). */
function sessionMeta(parsed: ParsedLog<SimEventBase>, file: string): SessionMeta<SimEventBase> | null {
  const v = (parsed.header.meta as { session?: unknown } | undefined)?.session;
  if (v === undefined) return null;
  const bad = (what: string): never => { throw new InputError(`${file}:1: meta.session.${what}`); };
  const m = v as SessionMeta<SimEventBase>;
  if (typeof m !== 'object' || m === null) bad(': expected an object');
  if (!isStr(m.current)) bad('current: expected a timeline name');
  if (typeof m.cursors !== 'object' || m.cursors === null || !Object.values(m.cursors).every(isInt)) bad('cursors: expected { timeline: seq }');
  if (!Array.isArray(m.watches) || !m.watches.every(isStr)) bad('watches: expected a list of paths');
  if (!Array.isArray(m.breaks) || !m.breaks.every(isStr)) bad('breaks: expected a list of predicates');
  if (!Array.isArray(m.forks)) bad('forks: expected a list');
  m.forks.forEach((f, i) => {
    if (!isStr(f?.name) || !isStr(f.parent) || !isInt(f.seq) || !Array.isArray(f.inject) || !Array.isArray(f.drop) || !f.drop.every(isInt)
      || !Array.isArray(f.delay) || !f.delay.every((d) => isInt(d?.seq) && isInt(d.by))
      || !f.inject.every((x) => isInt(x?.time) && typeof x.event === 'object')) bad(`forks[${i}]: expected { name, parent, seq, inject, drop, delay }`);
  });
  return m;
}

/**
 * A debugging session over an opened log (its chain already checked): when the log is a saved
 * session, its forks, cursors, watches and breakpoints are rebuilt.
 */
export function restoreSession(
  opened: Opened<any, any>, parsed: ParsedLog<SimEventBase>, file: string, cma: Partial<DebugPlugin<any>> = {},
): { session: DebugSession<any, any>; opened: Opened<any, any> } {
  const session = new DebugSession(opened.history, pluginFor(opened.runnable, cma), opened.runnable.model.validateEvent);
  const h = sessionMeta(parsed, file);
  if (!h) return { session, opened };
  try {
    for (const f of h.forks) {
      const { name, ...spec } = f;
      session.current = session.timeline(spec.parent);
      session.current.history.seek(spec.seq);
      session.fork(name);
      session.editFork((x) => { x.inject.push(...spec.inject); x.drop.push(...spec.drop); x.delay.push(...spec.delay); });
      session.extend(session.current.history, session.current.fork, Infinity); // cursors may lie anywhere in it
    }
    for (const t of session.timelines) t.history.seek(Object.hasOwn(h.cursors, t.name) ? h.cursors[t.name] : t.history.lastSeq);
    for (const w of h.watches) session.watches.push({ path: w });
    for (const b of h.breaks) session.addBreak(b);
    session.current = session.timeline(h.current);
    session.markSaved();
  } catch (e) {
    throw new InputError(`${file}:1: meta.session: ${(e as Error).message}`);
  }
  return { session, opened };
}
