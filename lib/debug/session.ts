import { performance } from 'node:perf_hooks';
import type { Envelope, SimEventBase } from '../engine/types.ts';
import type { ForkEdit, History } from '../history/history.ts';
import { runEngine } from '../run/runEngine.ts';
import { RUNNABLE_MAX_EVENTS, type DebugPlugin, type Injection } from '../run/runnable.ts';
import { compilePredicate, type Predicate } from './predicate.ts';
import type { StepTest } from './scan.ts';
import { parseStatePath, readStatePath } from './statePath.ts';

/** Wall-time budget for running a fork per command, and the events run between budget checks. */
const FORK_BUDGET_MS = 600;
const FORK_CHUNK = 20_000;

/**
 * A user mistake in a command: printed as one line, never with a stack. Recognised by name, since
 * a scenario module loaded at run time may bring its own copy of this module.
 */
export class CommandError extends Error {
  override readonly name = 'CommandError';
}

export function isCommandError(e: unknown): e is Error {
  return e instanceof Error && (e instanceof CommandError || e.name === 'CommandError');
}

/** Edits of a fork, kept as data so the fork can be rebuilt and saved. */
export interface ForkSpec<E> {
  readonly parent: string;
  readonly seq: number;
  readonly inject: Injection<E>[];
  readonly drop: number[];
  readonly delay: { seq: number; by: number }[];
}

export interface Timeline<S, E extends SimEventBase> {
  readonly name: string;
  history: History<S, E>;
  /** null for the root timeline. */
  readonly fork: ForkSpec<E> | null;
}

export interface Breakpoint<S, E extends SimEventBase> {
  readonly id: number;
  /** The text the user typed: a predicate, or `invariant`. */
  readonly source: string;
  readonly test: StepTest<S, E>;
}

export interface Watch {
  readonly path: string;
}

/** Reads `path` (`cma.areas.video-a`, `memory.pageblocks[3]`, `state.x`) from the model state. */
export function readPath(model: unknown, path: string): unknown {
  return readStatePath(model, parseStatePath(path));
}

export function predicateTest<S, E extends SimEventBase>(pred: Predicate): StepTest<S, E> {
  return {
    needsState: pred.usesState,
    check: (env, state) => (pred.test({ seq: env.seq, time: env.time, cause: env.cause, event: env.event, state }) ? pred.source : null),
  };
}

export function invariantTest<S, E extends SimEventBase>(plugin: DebugPlugin<S> | undefined, full = false): StepTest<S, E> {
  const inv = plugin?.invariants;
  if (!inv) throw new CommandError('this model has no invariants to break on');
  // The last state that passed, in whatever direction the search goes: the check looks at what changed since.
  let prev: S | undefined;
  return {
    needsState: true,
    check: (_env, state) => {
      const s = state();
      const v = inv(s, { prev, full });
      if (v.length === 0) prev = s;
      return v.length ? `invariant violated: ${v[0]}` : null;
    },
  };
}

/**
 * The debugger's state: timelines (the root run and its forks), the current one, watches and
 * breakpoints. Commands read and change it; it holds no I/O.
 */
export class DebugSession<S, E extends SimEventBase> {
  readonly timelines: Timeline<S, E>[];
  current: Timeline<S, E>;
  readonly watches: Watch[] = [];
  readonly breaks: Breakpoint<S, E>[] = [];
  private nextBreak = 1;
  /** `break invariant` walks every state in full (`debug --check full`) instead of what each event changed. */
  fullChecks = false;
  /** The forks as they were last saved (or opened), to tell what quitting would lose. */
  private savedForks = new Map<string, string>();

  constructor(
    root: History<S, E>,
    readonly plugin: DebugPlugin<S> = {},
    /** Validates events typed by the user (inject). */
    readonly validate: (e: unknown) => string | null = () => null,
  ) {
    this.timelines = [{ name: 'main', history: root, fork: null }];
    this.current = this.timelines[0];
  }

  /** Names of forks that are new or edited since the session was last saved or opened. */
  unsavedForks(): string[] {
    return this.timelines.filter((t) => t.fork && this.savedForks.get(t.name) !== JSON.stringify(t.fork)).map((t) => t.name);
  }

  markSaved(): void {
    this.savedForks = new Map(this.timelines.filter((t) => t.fork).map((t) => [t.name, JSON.stringify(t.fork)]));
  }

  get h(): History<S, E> {
    return this.current.history;
  }

  get cursor(): number {
    return this.h.cursor;
  }

  envelopeAt(seq: number): Envelope<E> | null {
    return seq >= 1 ? this.h.envelope(seq) : null;
  }

  timeline(name: string): Timeline<S, E> {
    const t = this.timelines.find((x) => x.name === name) ?? this.timelines[Number(name)];
    if (!t) throw new CommandError(`no timeline '${name}' (have: ${this.timelines.map((x) => x.name).join(', ')})`);
    return t;
  }

  addBreak(source: string): Breakpoint<S, E> {
    const test = source.trim() === 'invariant' ? invariantTest<S, E>(this.plugin, this.fullChecks) : predicateTest<S, E>(compilePredicate(source));
    const b = { id: this.nextBreak++, source: source.trim(), test };
    this.breaks.push(b);
    return b;
  }

  deleteBreak(id: number): void {
    const i = this.breaks.findIndex((b) => b.id === id);
    if (i < 0) throw new CommandError(`no breakpoint ${id}`);
    this.breaks.splice(i, 1);
  }

  /** Start a new timeline at the cursor of the current one and switch to it. */
  fork(name?: string): Timeline<S, E> {
    const nm = name ?? `fork${this.timelines.length}`;
    if (this.timelines.some((t) => t.name === nm)) throw new CommandError(`a timeline named '${nm}' exists`);
    const spec: ForkSpec<E> = { parent: this.current.name, seq: this.cursor, inject: [], drop: [], delay: [] };
    const t: Timeline<S, E> = { name: nm, history: this.build(spec), fork: spec };
    this.timelines.push(t);
    this.current = t;
    return t;
  }

  /** Apply `change` to the current fork's edits and rebuild it from its parent. */
  editFork(change: (spec: ForkSpec<E>) => void): void {
    const t = this.current;
    if (!t.fork) throw new CommandError("the main timeline cannot be edited: 'fork' first");
    if (this.timelines.some((x) => x.fork?.parent === t.name)) throw new CommandError(`timeline '${t.name}' has forks of its own: fork again instead of editing it`);
    const spec: ForkSpec<E> = { ...t.fork, inject: [...t.fork.inject], drop: [...t.fork.drop], delay: [...t.fork.delay] };
    change(spec);
    const history = this.build(spec);
    (t as { fork: ForkSpec<E> }).fork = spec;
    t.history = history;
    history.seek(spec.seq);
  }

  /** Runs a fork: from its parent's state at the fork point, with its edits, to the parent's end time. */
  build(spec: ForkSpec<E>): History<S, E> {
    const parent = this.timeline(spec.parent).history;
    const edit: ForkEdit<E> = { inject: spec.inject, drop: spec.drop, delay: spec.delay };
    let child: History<S, E>;
    try {
      child = parent.fork(spec.seq, edit, this.validate as (e: E) => string | null);
    } catch (e) {
      throw new CommandError((e as Error).message);
    }
    child.seek(spec.seq);
    this.extend(child, spec, FORK_BUDGET_MS);
    return child;
  }

  /**
   * Run a fork further towards its parent's end time, for at most `budgetMs` of wall time (a fork
   * of a million-event run is built in steps so every command still answers within a second).
   * Returns whether the fork is now complete.
   */
  extend(h: History<S, E> = this.h, spec: ForkSpec<E> | null = this.current.fork, budgetMs = FORK_BUDGET_MS): boolean {
    if (!spec) return true;
    const parent = this.timeline(spec.parent).history;
    const until = Math.max(parent.engine.now, ...spec.inject.map((i) => i.time));
    const cap = Math.max(RUNNABLE_MAX_EVENTS, 2 * parent.lastSeq) + spec.seq;
    const deadline = performance.now() + budgetMs;
    for (;;) {
      const left = cap - h.lastSeq;
      if (left <= 0) return true;
      const r = runEngine(h.engine, { until, maxEvents: Math.min(FORK_CHUNK, left) });
      if (r.reason !== 'maxEvents') return true;
      if (performance.now() > deadline) return false;
    }
  }

  /** Whether a fork has run as far as its parent did. */
  complete(t: Timeline<S, E> = this.current): boolean {
    if (!t.fork) return true;
    const h = t.history;
    const parent = this.timeline(t.fork.parent).history;
    return h.engine.scheduler.size === 0 || (h.engine.scheduler.peek()!.time > Math.max(parent.engine.now, ...t.fork.inject.map((i) => i.time)));
  }
}
