/**
 * Explored runs per second on race scenario 3 (examples/races/race3.ts: two concurrent 1 MiB
 * cma_alloc calls under 'split' locking, page cache to migrate, 68 events per run). Reduction is
 * off so the search has thousands of orderings to run; every run after the first resumes from a
 * snapshot at a choice point. Target: >= 1,000 runs/s. Also: debugger command latency on a
 * million-event history (target: every command under a second).
 */
import { performance } from 'node:perf_hooks';
import { runDebugCommand } from '../../lib/debug/commands.ts';
import { DebugSession } from '../../lib/debug/session.ts';
import { runToHistory } from '../../lib/run/runToHistory.ts';
import type { Model } from '../../lib/engine/index.ts';
import { explore, type ExploreOptions } from '../../lib/explore/explore.ts';
import { logLines, parseLog, replayLog } from '../../lib/history/index.ts';
import { race } from '../../examples/races/race3.ts';

export interface ExploreBench {
  /** Exhaustive DFS, checks (CMA invariants, no-overlapping-claims, eventually) after every event. */
  readonly runsPerSec: number;
  /** The same search without per-event checks: the cost of running and forking alone. */
  readonly runsPerSecNoChecks: number;
  /** Seeded random walks from the first choice point, with checks. */
  readonly randomRunsPerSec: number;
  readonly runs: number;
}

function rate(opts: Partial<ExploreOptions>, checks: boolean, runs: number): number {
  const scn = checks ? race : { ...race, checks: [] };
  const t0 = performance.now();
  const r = explore(scn, { por: false, maxRuns: runs, ...opts });
  return Math.round(r.runs / ((performance.now() - t0) / 1000));
}

export async function benchExploreDetail(runs = 2000): Promise<ExploreBench> {
  rate({}, true, 200); // warm-up
  return {
    runsPerSec: rate({}, true, runs),
    runsPerSecNoChecks: rate({}, false, runs),
    randomRunsPerSec: rate({ strategy: 'random', seed: 1 }, true, runs),
    runs,
  };
}

/** Explored runs per second on race 3 (exhaustive, checks on). */
export async function benchExplore(runs = 2000): Promise<number> {
  return (await benchExploreDetail(runs)).runsPerSec;
}

type TickEvent = { type: 'tick'; left: number } | { type: 'set'; key: string; value: number };

/** A trivial self-rescheduling model, so a million-event history builds in seconds. */
const tickModel: Model<{ ticks: number; sum: number; cells: Record<string, number> }, TickEvent> = {
  name: 'ticks', version: '1',
  reducers: {
    tick(d, e, ctx) {
      d.ticks++;
      const r = ctx.randomInt(0, 999);
      d.sum += r;
      d.cells[`c${d.ticks % 5}`] = r;
      if (e.left > 0) ctx.schedule({ type: 'tick', left: e.left - 1 }, 1 + (r % 3));
    },
    set(d, e) { d.cells[e.key] = e.value; },
  },
};

/** Debugger commands on a 1,000,000-event history: wall time of each, in ms (the promise: < 1 s). */
export async function benchDebugger(): Promise<Record<string, number>> {
  const h = runToHistory({ name: 'ticks', model: tickModel, initial: { ticks: 0, sum: 0, cells: {} }, seed: 1, maxEvents: 1_000_000,
    inject: [{ event: { type: 'tick', left: 2_000_000 }, time: 0 }, { event: { type: 'set', key: 'x', value: 1 }, time: 5 }] }, 1024);
  const s = new DebugSession(h);
  const out: Record<string, number> = {};
  for (const c of ['goto 500000', 'step 1000', 'back 300000', 'goto 1.5ms', 'next set', 'prev set', 'next ticks > 800000', 'prev ticks < 5',
    'print cells', 'diff 1000 999000', 'why 999999', 'watch cells.x', 'back-to-write', 'goto 500000', 'pending', 'fork f', 'extend', 'timeline main']) {
    const t0 = performance.now();
    runDebugCommand(s, c);
    out[c] = +(performance.now() - t0).toFixed(1);
  }
  return out;
}

export interface OpenLogBench {
  readonly events: number;
  readonly logMiB: number;
  /** Reading the text, parsing and checking every line and the hash chain (parseLog). */
  readonly parseMs: number;
  /** Then replaying it all (what opening did before) vs reading it lazily. */
  readonly eagerReplayMs: number;
  readonly lazyOpenMs: number;
  /** On the lazily opened log: `goto` to 1,000 events before the end, then fork and delay there. */
  readonly gotoNearEndMs: number;
  readonly forkDelayNearEndMs: number;
}

/**
 * Open a log of the tick model (`events` events, exported as `run --out` writes logs) the way
 * the debugger does: parse and check it, then replay eagerly (before) or lazily (now).
 */
export function benchOpenLog(events = 1_000_000): OpenLogBench {
  const h = runToHistory({ name: 'ticks', model: tickModel, initial: { ticks: 0, sum: 0, cells: {} }, seed: 1, maxEvents: events,
    inject: [{ event: { type: 'tick', left: 2 * events }, time: 0 }] }, 1024);
  const text = [...logLines(h, 1)].join('');
  let t = performance.now();
  const parsed = parseLog<TickEvent>(text, 'ticks.jsonl', tickModel);
  const parseMs = performance.now() - t;
  t = performance.now();
  replayLog(parsed, tickModel, { ticks: 0, sum: 0, cells: {} }, 'ticks.jsonl');
  const eagerReplayMs = performance.now() - t;
  t = performance.now();
  const lazy = replayLog(parsed, tickModel, { ticks: 0, sum: 0, cells: {} }, 'ticks.jsonl', undefined, { lazy: true }).history;
  const lazyOpenMs = performance.now() - t;
  const s = new DebugSession(lazy);
  t = performance.now();
  runDebugCommand(s, `goto ${lazy.lastSeq - 1000}`);
  const gotoNearEndMs = performance.now() - t;
  const pending = lazy.pendingAt(lazy.lastSeq - 1000)[0].seq!;
  t = performance.now();
  runDebugCommand(s, 'fork near-end');
  runDebugCommand(s, `delay ${pending} 1us`);
  const forkDelayNearEndMs = performance.now() - t;
  return { events: lazy.lastSeq, logMiB: Math.round(text.length / 2 ** 20), parseMs: Math.round(parseMs), eagerReplayMs: Math.round(eagerReplayMs), lazyOpenMs: Math.round(lazyOpenMs), gotoNearEndMs: Math.round(gotoNearEndMs), forkDelayNearEndMs: Math.round(forkDelayNearEndMs) };
}

if (process.argv[1]?.endsWith('explore.bench.ts')) {
  console.log(await benchExploreDetail());
  console.log(await benchDebugger());
  console.log(benchOpenLog());
}
