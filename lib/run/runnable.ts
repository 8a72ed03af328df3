import type { Choice, Model, Nanos, SimEventBase, Tie } from '../engine/index.ts';
import type { EventFootprint, FootprintRes } from '../../models/footprint.ts';

/** What the debugger and the explorer need to know about a state type to show it. */
export interface DebugPlugin<S> {
  /** `print <form> <arg>` forms, e.g. `print page 0x41230`, `print request 7`. */
  readonly printForms?: Readonly<Record<string, (state: S, arg: string) => string>>;
  /** `map [area]`: a text drawing of the state. */
  readonly map?: (state: S, arg: string | undefined) => string;
  /** `diff`: what changed between two states, summarised in the model's terms (lines indented two spaces). */
  readonly diff?: (a: S, b: S) => string;
  /** A final state in words, as the explorer names outcomes (`request 1 got 0xc01-0xd00; ...`). */
  readonly describe?: (state: S) => string;
  /**
   * Every invariant violated by `state`, as one-line messages (empty when all hold). `prev`: a
   * state that passed before, so only what changed since needs checking; `full`: walk everything.
   */
  readonly invariants?: (state: S, opts?: { readonly prev?: S; readonly full?: boolean }) => readonly string[];
  /**
   * `cat <path>`: a kernel pseudo-file as the simulated machine would print it (/proc/meminfo,
   * /sys/kernel/debug/cma/<area>/used); `ls`: the paths it answers. Throws naming the path.
   */
  readonly files?: { readonly read: (state: S, path: string) => string; readonly list: (state: S) => readonly string[] };
  /**
   * `why`'s dataflow: what an event reads and writes in the state it runs in (models/footprint.ts),
   * and a resource in the model's words (null: not worth naming).
   */
  readonly dataflow?: { readonly footprint: (event: any, state: S) => EventFootprint; readonly describe: (r: FootprintRes) => string | null };
}

export interface Injection<E> {
  readonly event: E;
  /** Integer ns. */
  readonly time: Nanos;
  readonly priority?: number;
  /** 'last': run after the follow-ups due at the same time and priority (lib/engine/types.ts Tie). */
  readonly tie?: Tie;
}

/**
 * A deterministic run as data: model, boot state, seed, injected events and bounds. Race
 * scenarios, debugger targets and benchmarks are all Runnables, so one loader serves every tool.
 */
export interface Runnable<S, E extends SimEventBase> {
  readonly name: string;
  readonly model: Model<S, E>;
  readonly initial: S;
  readonly seed: number;
  readonly inject: readonly Injection<E>[];
  /** Stop after this time (integer ns); idle otherwise. */
  readonly until?: Nanos;
  /** Hard bound on dispatched events per run (default RUNNABLE_MAX_EVENTS). */
  readonly maxEvents?: number;
  readonly snapshotEvery?: number;
  readonly plugin?: DebugPlugin<S>;
  /**
   * Tie-breaks: which of the events due together runs first (the engine's `choose`), and the
   * window within which events count as due together. A regression scenario carries a found
   * failing order this way, so it replays without the explorer.
   */
  readonly choose?: (candidates: readonly Choice<E>[], nextSeq: number) => number;
  readonly window?: Nanos;
}

/** Events a Runnable may dispatch when it sets no `maxEvents`: races and debugger targets are small. */
export const RUNNABLE_MAX_EVENTS = 1_000_000;
