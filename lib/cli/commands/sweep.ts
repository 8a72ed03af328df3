import { availableParallelism } from 'node:os';
import { ScenarioError } from '../../scenario/check.ts';
import { checkScenario, type ScenarioInput } from '../../scenario/scenario.ts';
import { setPath } from '../../scenario/setPath.ts';
import { COMMON_OPTIONS, read, type Command } from '../command.ts';
import { EXIT, InputError, UsageError } from '../errors.ts';
import { resolveScenario } from '../scenarioArg.ts';
import { aggregateSweep, sweepCsv, sweepText } from '../sweepTable.ts';
import { sweepParallel, sweepSequential, type SweepJob } from '../sweepRun.ts';

export interface SweepCliOptions {
  readonly scenario: string | null;
  readonly seeds: number[];
  /** [path, value] edits applied to the scenario before checking it. */
  readonly sets: [string, unknown][];
  /** 0: run sequentially in this thread. */
  readonly workers: number;
  readonly until?: number;
  readonly format: 'text' | 'json' | 'csv';
  readonly checkInvariants: boolean;
  readonly quiet: boolean;
}

/** `1..100`, `1,5,9`, `7` or a mix (`1..3,10`); at most 100,000 seeds, no duplicates. */
export function parseSeeds(text: string): number[] {
  const out: number[] = [];
  for (const part of text.split(',')) {
    const m = /^(\d+)(?:\.\.(\d+))?$/.exec(part.trim());
    if (!m) throw new UsageError(`--seeds: expected N, A..B or a comma list of them, got '${part}'`, 'sweep');
    const a = Number(m[1]), b = m[2] === undefined ? a : Number(m[2]);
    if (b < a) throw new UsageError(`--seeds: range ${part} goes backwards`, 'sweep');
    if (b > 2 ** 32 - 1) throw new UsageError(`--seeds: seeds must be below 2^32, got ${b}`, 'sweep');
    if (out.length + (b - a + 1) > 100_000) throw new UsageError('--seeds: at most 100000 seeds', 'sweep');
    for (let s = a; s <= b; s++) if (!out.includes(s)) out.push(s);
  }
  return out;
}

/** `path=value`: the value is JSON when it parses as JSON (numbers, true, [..]), else a string ("2us", "64M"). */
export function parseSet(text: string): [string, unknown] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new UsageError(`--set: expected path=value (e.g. costs.migratePerPage=2us), got '${text}'`, 'sweep');
  const raw = text.slice(eq + 1);
  let value: unknown = raw;
  try { value = JSON.parse(raw); } catch { /* a plain string */ }
  return [text.slice(0, eq), value];
}

export const sweepCommand: Command<SweepCliOptions> = {
  name: 'sweep',
  summary: 'run a scenario over many seeds (and parameter edits) in parallel; per-seed and aggregate results',
  usage: 'sweep [scenario] --seeds 1..100 [--set path=value ...] [--workers N] [options]',
  options: {
    ...COMMON_OPTIONS,
    seeds: { type: 'string' },
    set: { type: 'string', multiple: true },
    workers: { type: 'string', short: 'j' },
    until: { type: 'string' },
    format: { type: 'string', short: 'f' },
    'check-invariants': { type: 'boolean' },
  },
  optionHelp: [
    ['--seeds S', 'seeds to run: 1..100, 1,5,9 or a mix (default 1..10)'],
    ['--set path=value', 'edit any scenario field before running, e.g. costs.migratePerPage=2us, cma.lockMode=global, workload[0].rate=50 (repeatable)'],
    ['--workers N', `worker threads (default: min(${availableParallelism()} CPUs, seeds)); 0 runs in this thread`],
    ['--until T', 'simulated end time of every run'],
    ['--format F', 'text|json|csv (default text)'],
    ['--check-invariants', 'check invariants after every event in every run'],
    ['--quiet, -q', 'no progress line'],
  ],
  examples: [
    'cma-sim sweep examples/basic.ts --seeds 1..100',
    'cma-sim sweep my.json --seeds 1..20 --set cma.lockMode=global --workers 2 --format csv > global.csv',
    'cma-sim sweep my.json --seeds 1..50 --set costs.migratePerPage=2us --set cma.areas[0].size=128M',
  ],
  parse(v, pos) {
    read.maxPositionals(pos, 1, 'sweep');
    const seeds = parseSeeds(typeof v.seeds === 'string' ? v.seeds : '1..10');
    const workersRaw = v.workers === '0' ? 0 : read.positiveInt(v.workers, '--workers');
    const fmt = read.choices(v.format, '--format', ['text', 'json', 'csv'] as const, ['text']);
    if (fmt.length > 1) throw new UsageError('--format: sweep prints one format', 'sweep');
    return {
      scenario: pos[0] ?? null,
      seeds,
      sets: ((v.set as string[] | undefined) ?? []).map(parseSet),
      workers: workersRaw ?? Math.min(availableParallelism(), seeds.length),
      until: read.duration(v.until, '--until'),
      format: fmt[0],
      checkInvariants: v['check-invariants'] === true,
      quiet: v.quiet === true,
    };
  },
  async run(o, io) {
    const base = await resolveScenario(o.scenario);
    let source: ScenarioInput = base.source;
    try {
      for (const [p, val] of o.sets) source = setPath(source, p, val);
      checkScenario(source);
    } catch (e) {
      if (e instanceof ScenarioError) throw new InputError(`--set: ${e.message}`);
      throw e;
    }
    const job: SweepJob = { source, until: o.until, checkInvariants: o.checkInvariants };
    const show = !o.quiet && io.errIsTTY;
    const onDone = show ? (n: number) => io.err(`\r${n}/${o.seeds.length} seeds\x1b[K`) : undefined;
    const rows = o.workers === 0 ? sweepSequential(job, o.seeds, onDone) : await sweepParallel(job, o.seeds, o.workers, onDone);
    if (show) io.err('\r\x1b[K');
    const agg = aggregateSweep(rows);
    if (o.format === 'json') io.out(JSON.stringify({ schema: 'cma-sim-sweep/1', sets: Object.fromEntries(o.sets), runs: rows, aggregate: agg }, null, 2) + '\n');
    else if (o.format === 'csv') io.out(sweepCsv(rows));
    else io.out(sweepText(rows, agg));
    return agg.fatal > 0 ? EXIT.failed : EXIT.ok;
  },
};
