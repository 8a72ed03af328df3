/**
 * `npm run bench -- rows [--root DIR] [--full] [row ...]`: issue 12's target table, row by row,
 * each row in a process of its own (its peak memory is its own), one after the other, named as
 * the README's Performance table names them. `--root DIR` measures another checkout of cma-sim
 * (its node_modules installed) with this file's runner: each row calls that tree's own bench
 * functions (spec/bench/*.bench.ts) and modules, loaded by path, so a tree from before this
 * runner existed is measured the same way. `--full` runs the history row at its full size.
 * Run directly: node --import tsx spec/bench/rows.ts --root /work/wt/base-tree
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { benchBasicScaling, benchExploreBasic, fromTree, OWN_ROOT } from './basic.bench.ts';
import { cpuSec } from './cpuSec.ts';
import { row } from './row.ts';

/** A figure as the tables print it; a field a tree's bench does not return shows as n/a. */
const n = (x: number | null | undefined): string => (typeof x === 'number' && Number.isFinite(x) ? Math.round(x).toLocaleString('en') : 'n/a');
const ratio = (a: number, b: number): string => `${(a / b).toFixed(2)}x`;

/** Bench modules of the measured tree: only the members a row reads, all optional (a tree may lack one). */
interface Benches {
  benchMemory?(o: object): Promise<Record<string, number | null>>;
  benchHistory?(gib: number, events: number, thinning: undefined, seeks: number): Record<string, number | null>;
  benchCma?(o: object): Promise<Record<string, number | Record<string, number>>>;
  runRealistic?(name: string, budgetSec: number): Promise<{ completed: boolean; simSeconds: number; untilSeconds: number; wallSeconds: number; cpuSeconds: number; peakRssMiB: number; events: number }>;
  benchTimeouts?(): { engine: Rate; plain: Rate; simpy: (Rate & { version: string }) | string };
}
interface Rate { readonly eventsPerSec: number; readonly eventsPerCpuSec: number }

const bench = async <K extends keyof Benches>(root: string, file: string, name: K): Promise<NonNullable<Benches[K]>> => {
  const f = (await fromTree<Benches>(root, `spec/bench/${file}`))[name];
  if (typeof f !== 'function') throw new Error(`${name} is not in spec/bench/${file} of this tree`);
  return f as NonNullable<Benches[K]>;
};

/** Size options: `full` is the size the issue's table names, where a row's default is smaller. */
interface Size { readonly full: boolean; readonly exploreRuns: number; readonly realisticBudgetSec: number }

/** The realistic scenarios as the README's table names them (spec/bench/scenarios/). */
const REALISTIC_ROWS = { board: 'board, 800 MiB, 256 MiB CMA', server: 'server, 64 GiB, three 10 GiB allocations', phone: 'phone, 8 GiB' } as const;

/** Each row: what it measures, and how it prints its lines (in the child process, on the measured tree). */
export const ROWS: Record<string, { readonly what: string; run(root: string, size: Size): Promise<void> }> = {
  memory: {
    what: 'memory bench, 8 GiB fill and mix, bytes/event at 8 and 16 GiB (benchMemory, its defaults)',
    async run(root) {
      const r = await (await bench(root, 'memory.bench.ts', 'benchMemory'))({});
      row('memory: 8 GiB page-cache fill (events/s; per CPU s)', `${n(r.fillEventsPerSec!)}; ${n(r.fillEventsPerCpuSec!)}`, '>= 500,000');
      row('memory: 8 GiB faults + reclaim mix (events/s; per CPU s)', `${n(r.steadyEventsPerSec!)}; ${n(r.steadyEventsPerCpuSec!)}`, '>= 500,000');
      row('memory: bytes retained per event, 8 GiB / 16 GiB', r.retainedBytesPerEvent === null ? null : `${n(r.retainedBytesPerEvent!)} / ${n(r.retained16BytesPerEvent!)}`, '1 M events <= 1 GiB');
      row('memory: 1 GiB all-dirty cache, failing allocations (events/s)', r.dirtyFullEventsPerSec);
    },
  },
  cma: {
    what: 'CMA bench, the migration shape: 8 GiB, 1 GiB area, 4 devices, 0.01 % pinned (benchCma, 2 simulated s)',
    async run(root) {
      const r = await (await bench(root, 'cma.bench.ts', 'benchCma'))({ pinnedPercent: 0.01, migrate: true });
      row('cma: 8 GiB, 1 GiB area, 4 devices, 0.01 % pinned, page cache migrated (events/s; per CPU s)', `${n(r.eventsPerSec as number)}; ${n(r.eventsPerCpuSec as number)}`, '>= 500,000');
      row('cma: same: allocations / failed / busy retries / pages migrated', `${r.allocations} / ${r.failed} / ${r.busyRetries} / ${n(r.pagesMigrated as number)}`);
    },
  },
  history: {
    what: 'a 16 GiB machine\'s memory history (benchHistory, default thinning): 200,000 events, 1,000,000 with --full',
    async run(root, size) {
      const r = (await bench(root, 'memory.bench.ts', 'benchHistory'))(16, size.full ? 1_000_000 : 200_000, undefined, 10);
      row(`history: 16 GiB + ${n(r.events!)} events: retained MiB (bytes/event)`, r.retainedMiB === null ? null : `${n(r.retainedMiB!)} (${n(r.retainedBytesPerEvent!)})`, '1 M events <= 1 GiB');
      row(`history: stateAt in that history, p50 / max of 10 (ms)`, `${r.seekP50Ms} / ${r.seekMaxMs}`, 'max <= 20');
    },
  },
  ...Object.fromEntries(Object.entries(REALISTIC_ROWS).map(([name, label]) => [name, {
    what: `realistic: ${label}, the whole scenario (runRealistic), stopped after --budget wall seconds`,
    async run(root: string, size: Size) {
      const r = await (await bench(root, 'realistic.bench.ts', 'runRealistic'))(name, size.realisticBudgetSec);
      const ran = r.completed ? `${r.untilSeconds} simulated s` : `${r.simSeconds.toFixed(1)} of ${r.untilSeconds} simulated s (wall budget)`;
      row(`realistic: ${label}, ${ran} (wall s, CPU s, peak)`, `${r.wallSeconds.toFixed(1)} s, ${r.cpuSeconds.toFixed(1)} CPU s, ${n(r.peakRssMiB)} MiB`, name === 'board' ? '<= 20 s, <= 1 GiB' : name === 'server' ? '<= 15 s' : '');
    },
  }])),
  explore: {
    what: '`cma-sim explore examples/basic.ts --progress`, invariants on, --max-runs from --explore-runs, default 1,000 (benchExploreBasic)',
    async run(root, size) {
      const r = await benchExploreBasic(root, size.exploreRuns);
      row(`explore: examples/basic.ts with invariants, ${n(r.runs)} runs (runs/s; per CPU s)`, `${r.runsPerSec}; ${r.runsPerCpuSec}`, '>= 10');
      row('explore: same, --progress: first line after / longest silence (ms; CPU ms)', `${n(r.firstLineMs)} / ${n(r.longestSilenceMs)}; ${n(r.longestSilenceCpuMs)}`, 'progress within a run');
    },
  },
  engine: {
    what: 'the 100-process timeouts shape: engine, plain JS loop, SimPy (benchTimeouts, its defaults)',
    async run(root) {
      const t = (await bench(root, 'engine.bench.ts', 'benchTimeouts'))();
      const both = (x: Rate): string => `${ratio(t.engine.eventsPerSec, x.eventsPerSec)} / ${ratio(t.engine.eventsPerCpuSec, x.eventsPerCpuSec)}`;
      row(`engine: timeouts shape, engine / plain loop (wall / CPU; engine ${n(t.engine.eventsPerCpuSec)} events per CPU s)`, both(t.plain), '>= 0.8x');
      if (typeof t.simpy === 'string') row('engine: timeouts shape, engine / SimPy', t.simpy, '>= 2x');
      else row(`engine: timeouts shape, engine / SimPy ${t.simpy.version} (wall / CPU)`, both(t.simpy), '>= 2x');
    },
  },
  basic: {
    what: '`cma-sim run examples/basic.ts --until 600s --max-events 100000`, timed at 50 k and 100 k events (benchBasicScaling)',
    async run(root) {
      const r = await benchBasicScaling(root);
      row('basic.ts: 50 k / 100 k events (CPU s; ratio)', `${r.atHalf.cpuSec} / ${r.atEnd.cpuSec} (${r.cpuRatio}x)`, '<= 2x');
      row('basic.ts: 50 k / 100 k events (wall s; peak MiB)', `${r.atHalf.wallSec} / ${r.atEnd.wallSec}; ${n(r.peakRssMiB)}`);
    },
  },
};

export interface RowsArgs {
  readonly root: string;
  readonly rows: readonly string[];
  readonly size: Size;
  /** Set in a child: the one row it runs. */
  readonly child?: string;
  /** `--list`: say what each row measures and stop. */
  readonly list?: boolean;
}

const USAGE = `usage: rows [--root DIR] [--full] [--explore-runs N] [--budget S] [--list] [row ...]; rows: ${Object.keys(ROWS).join(', ')}`;

export function parseRowsArgs(argv: readonly string[]): RowsArgs {
  let root = OWN_ROOT, full = false, list = false, exploreRuns = 1000, realisticBudgetSec = 300, child: string | undefined;
  const rows: string[] = [];
  const value = (i: number, flag: string): string => {
    const v = argv[i];
    if (v === undefined) throw new Error(`${flag} wants a value; ${USAGE}`);
    return v;
  };
  const count = (i: number, flag: string): number => {
    const v = Number(value(i, flag));
    if (!Number.isInteger(v) || v < 1) throw new Error(`${flag} wants a positive integer, got ${argv[i]}`);
    return v;
  };
  // Own names only: `in` would take inherited ones (toString) for rows.
  const rowName = (name: string, what: string): string => {
    if (!Object.hasOwn(ROWS, name)) throw new Error(`unknown ${what} ${name}; ${USAGE}`);
    return name;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--root') root = resolve(value(++i, a));
    else if (a === '--full') full = true;
    else if (a === '--list') list = true;
    else if (a === '--explore-runs') exploreRuns = count(++i, a);
    else if (a === '--budget') realisticBudgetSec = count(++i, a);
    else if (a === '--child') child = rowName(value(++i, a), '--child row');
    else rows.push(rowName(a, 'row or option'));
  }
  if (!existsSync(resolve(root, 'lib/scenario/index.ts'))) throw new Error(`--root ${root}: not a cma-sim checkout (no lib/scenario/index.ts)`);
  return { root, rows: rows.length ? rows : Object.keys(ROWS), size: { full, exploreRuns, realisticBudgetSec }, ...(child ? { child } : {}), ...(list ? { list } : {}) };
}

/** Which commit a tree is at, and whether it has uncommitted changes (printed above its rows). */
function describe(root: string): string {
  try {
    const head = execFileSync('git', ['-C', root, 'log', '-1', '--format=%h %s'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['-C', root, 'status', '--porcelain', '--untracked-files=no'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() !== '';
    return `${head.slice(0, 90)}${dirty ? ' (with uncommitted changes)' : ''}`;
  } catch {
    return 'not a git checkout (no commit to name)';
  }
}

/** The descriptor on which a row's child reports its CPU seconds to the runner (beside stdout, which prints the row). */
const CPU_FD = 3;

/** Run each row in a child process of its own, on the tree at `root`; print how long each took (wall, and the child's CPU). */
export function runRows(a: RowsArgs): void {
  const self = fileURLToPath(import.meta.url);
  console.log(`rows: ${a.root}: ${describe(a.root)}`);
  const took: string[] = [];
  for (const name of a.rows) {
    const t0 = performance.now();
    const flags = [...(a.size.full ? ['--full'] : []), '--explore-runs', String(a.size.exploreRuns), '--budget', String(a.size.realisticBudgetSec)];
    const r = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=8192', '--import', 'tsx', self, '--child', name, '--root', a.root, ...flags], { cwd: a.root, stdio: ['inherit', 'inherit', 'inherit', 'pipe'], env: { ...process.env, ROWS_CPU_FD: String(CPU_FD) } });
    if (r.status !== 0) row(`${name}: failed`, `exit ${r.status ?? r.signal}`);
    const cpu = Number(r.output[CPU_FD]?.toString());
    took.push(`${name} ${((performance.now() - t0) / 1000).toFixed(0)} s${cpu > 0 ? ` (${cpu.toFixed(0)} CPU s)` : ''}`);
  }
  console.log(`rows took: ${took.join(', ')}`);
}

/** The command: runs the rows, or (in a child) one row; a bad argument is one line on stderr and exit code 2. */
export async function rowsMain(argv: readonly string[]): Promise<void> {
  let a: RowsArgs;
  try {
    a = parseRowsArgs(argv);
  } catch (e) {
    console.error(`rows: ${(e as Error).message}`);
    process.exitCode = 2;
    return;
  }
  if (a.list) for (const name of a.rows) console.log(`${name.padEnd(8)} ${ROWS[name].what}`);
  else if (a.child) {
    await ROWS[a.child].run(a.root, a.size);
    // Only under the runner: by hand, descriptor 3 may be one of node's own.
    if (process.env.ROWS_CPU_FD === String(CPU_FD)) writeSync(CPU_FD, String(cpuSec()));
  }
  else runRows(a);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await rowsMain(process.argv.slice(2));
