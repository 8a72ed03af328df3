import { availableParallelism } from 'node:os';
import { ScenarioError } from '../../scenario/check.ts';
import { checkScenario, type ScenarioInput } from '../../scenario/scenario.ts';
import { setPath } from '../../scenario/setPath.ts';
import { COMMON_OPTIONS, QUIET_OPTION, read, type Command } from '../command.ts';
import { EXIT, InputError, UsageError } from '../errors.ts';
import { resolveScenario } from '../scenarioArg.ts';
import { applySetsInput, readSets, SET_HELP, SET_OPTION, splitAssignment, valueOf, type SetEdit } from '../setOption.ts';
import { runsProgress } from '../progress.ts';
import { renderSweep, sweepFailed, type SweepFormat } from '../sweepTable.ts';
import { parseShard, shardFile, shardIndices, type SweepPlan } from '../sweepShard.ts';
import { sweepParallel, sweepSequential, sweepTasks, type SweepJob, type SweepVariant } from '../sweepRun.ts';

export interface SweepCliOptions {
  readonly scenario: string | null;
  readonly seeds: number[];
  /** [path, value] edits applied to the scenario before checking it. */
  readonly sets: SetEdit[];
  /** [path, values]: one variant per combination of values (cartesian product, in order). */
  readonly vary: [string, unknown[]][];
  /** 0: run sequentially in this thread. */
  readonly workers: number;
  readonly until?: number;
  readonly maxEvents?: number;
  readonly format: SweepFormat;
  readonly perRequest: boolean;
  /** Run only the K-th of N slices and print its shard file (for `cma-sim merge`). */
  readonly shard?: { readonly k: number; readonly n: number };
  readonly checkInvariants: boolean;
  readonly quiet: boolean;
  readonly maxMemory?: number;
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

/** `path=v1,v2,...`: commas inside brackets, braces or quotes do not split. */
export function parseVary(text: string): [string, unknown[]] {
  const [p, raw] = splitAssignment(text, '--vary', 'cma.lockMode=global,per-area');
  const parts: string[] = [];
  let depth = 0, quote = false, cur = '';
  for (const ch of raw) {
    if (ch === '"') quote = !quote;
    else if (!quote && (ch === '[' || ch === '{')) depth++;
    else if (!quote && (ch === ']' || ch === '}')) depth--;
    if (ch === ',' && depth === 0 && !quote) { parts.push(cur); cur = ''; } else cur += ch;
  }
  parts.push(cur);
  if (parts.some((x) => x.trim() === '')) throw new UsageError(`--vary ${p}: empty value in '${raw}'`, 'sweep');
  return [p, parts.map((x) => valueOf(x.trim()))];
}

/** Every combination of the --vary values, first --vary varying slowest. */
export function variantGrid(vary: readonly [string, unknown[]][]): [string, unknown][][] {
  return vary.reduce<[string, unknown][][]>((acc, [p, vals]) => acc.flatMap((combo) => vals.map((v) => [...combo, [p, v] as [string, unknown]])), [[]]);
}

export const sweepCommand: Command<SweepCliOptions> = {
  name: 'sweep',
  summary: 'run a scenario over many seeds (and parameter edits) in parallel; per-seed and aggregate results',
  usage: 'sweep [scenario] --seeds 1..100 [--set path=value ...] [--workers N] [options]',
  options: {
    ...COMMON_OPTIONS, ...QUIET_OPTION,
    seeds: { type: 'string' },
    ...SET_OPTION,
    vary: { type: 'string', multiple: true },
    workers: { type: 'string', short: 'j' },
    until: { type: 'string' },
    'max-events': { type: 'string' },
    'max-memory': { type: 'string' },
    format: { type: 'string', short: 'f' },
    'check-invariants': { type: 'boolean' },
    shard: { type: 'string' },
    'per-request': { type: 'boolean' },
  },
  optionHelp: [
    ['--seeds S', 'seeds to run: 1..100, 1,5,9 or a mix (default 1..10)'],
    SET_HELP,
    ['--vary path=v1,v2', 'run every seed once per value (repeat for a grid), e.g. cma.lockMode=global,split,per-area'],
    ['--workers N', `worker threads (default: ${availableParallelism()}, the CPUs; never more than runs); 0 runs in this thread`],
    ['--until T', 'simulated end time of every run'],
    ['--max-events N', 'stop each run after N events (default 50000000)'],
    ['--max-memory SIZE', 'memory budget for each run\'s model state (default 4G, about 64 bytes per page): a larger machine is refused, naming the field'],
    ['--format F', 'text|json|csv (default text)'],
    ['--check-invariants', 'check invariants after every event in every run'],
    ['--per-request', 'print one CSV row per CMA request of every run instead (variant, seed, then the columns of requests.csv); a run that failed has no rows (exit 1)'],
    ['--shard K/N', 'run only the K-th of N deterministic slices and print its results as a shard file for `cma-sim merge` (one job of a job array)'],
    ['--quiet', 'no progress line (runs done and ETA, on a terminal)'],
  ],
  examples: [
    'cma-sim sweep examples/basic.ts --seeds 1..100',
    'cma-sim sweep my.json --seeds 1..20 --set cma.lockMode=global --workers 2 --format csv > global.csv',
    'cma-sim sweep my.json --seeds 1..50 --set costs.migratePerPage=2us --set cma.areas[0].size=128M',
    'cma-sim sweep my.json --seeds 1..20 --vary cma.lockMode=global,split,per-area --vary cma.areas[0].allocator=bitmap,best-fit',
  ],
  parse(v, pos) {
    read.maxPositionals(pos, 1, 'sweep');
    const seeds = parseSeeds(typeof v.seeds === 'string' ? v.seeds : '1..10');
    const workersRaw = v.workers === '0' ? 0 : read.positiveInt(v.workers, '--workers');
    const fmt = read.choices(v.format, '--format', ['text', 'json', 'csv'] as const, ['text']);
    if (fmt.length > 1) throw new UsageError('--format: sweep prints one format', 'sweep');
    if (v['per-request'] === true && v.format !== undefined) throw new UsageError('--per-request prints CSV rows; it takes no --format', 'sweep');
    if (v.shard !== undefined && v.format !== undefined) throw new UsageError('--shard prints a shard file; give --format to cma-sim merge', 'sweep');
    return {
      scenario: pos[0] ?? null,
      seeds,
      sets: readSets(v.set),
      vary: ((v.vary as string[] | undefined) ?? []).map(parseVary),
      workers: workersRaw ?? availableParallelism(),
      until: read.duration(v.until, '--until'),
      maxEvents: read.positiveInt(v['max-events'], '--max-events'),
      format: fmt[0],
      checkInvariants: v['check-invariants'] === true,
      quiet: v.quiet === true,
      perRequest: v['per-request'] === true,
      ...(v.shard !== undefined ? { shard: parseShard(String(v.shard)) } : {}),
      ...(v['max-memory'] !== undefined ? { maxMemory: read.size(v['max-memory'], '--max-memory') } : {}),
    };
  },
  async run(o, io) {
    const base = (await resolveScenario(o.scenario, io, { maxMemory: o.maxMemory })).scenario;
    const variants: SweepVariant[] = [];
    try {
      const source = applySetsInput(base.source, o.sets, { maxMemory: o.maxMemory });
      for (const combo of variantGrid(o.vary)) {
        let vs = source;
        for (const [p, val] of combo) vs = setPath(vs, p, val);
        checkScenario(vs, { maxMemory: o.maxMemory });
        variants.push({ label: combo.map(([p, val]) => `${p}=${typeof val === 'string' ? val : JSON.stringify(val)}`).join(', '), source: vs });
      }
    } catch (e) {
      // --set edits were checked on their own above: what breaks here is a --vary value.
      if (e instanceof ScenarioError) throw new InputError(`--vary: ${e.message}`);
      throw e;
    }
    const job: SweepJob = { variants, until: o.until, maxEvents: o.maxEvents, checkInvariants: o.checkInvariants, ...(o.perRequest ? { perRequest: true } : {}), ...(o.maxMemory !== undefined ? { maxMemory: o.maxMemory } : {}) };
    const plan: SweepPlan = { seeds: o.seeds, sets: o.sets, vary: o.vary, job };
    const all = sweepTasks(job, o.seeds);
    const indices = o.shard ? shardIndices(all.length, o.shard.k, o.shard.n) : all.map((_t, i) => i);
    const tasks = indices.map((i) => all[i]);
    const progress = runsProgress(io, o.quiet, tasks.length);
    const rows = o.workers === 0 ? sweepSequential(job, tasks, progress.onDone) : await sweepParallel(job, tasks, o.workers, progress.onDone);
    progress.done();
    io.out(o.shard ? shardFile(plan, o.shard.k, o.shard.n, indices, rows) : renderSweep(plan, rows, o.format, io.columns));
    return sweepFailed(rows) ? EXIT.failed : EXIT.ok;
  },
};
