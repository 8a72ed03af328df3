import { availableParallelism } from 'node:os';
import { ScenarioError } from '../../scenario/check.ts';
import { isFatal } from '../../scenario/runScenario.ts';
import { checkScenario, type ScenarioInput } from '../../scenario/scenario.ts';
import { setPath } from '../../scenario/setPath.ts';
import { COMMON_OPTIONS, QUIET_OPTION, read, type Command } from '../command.ts';
import { EXIT, InputError, UsageError } from '../errors.ts';
import { resolveScenario } from '../scenarioArg.ts';
import { applySetsInput, readSets, SET_HELP, SET_OPTION, splitAssignment, valueOf, type SetEdit } from '../setOption.ts';
import { aggregateSweep, sweepCsv, sweepText, type VariantRows } from '../sweepTable.ts';
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
    format: { type: 'string', short: 'f' },
    'check-invariants': { type: 'boolean' },
  },
  optionHelp: [
    ['--seeds S', 'seeds to run: 1..100, 1,5,9 or a mix (default 1..10)'],
    SET_HELP,
    ['--vary path=v1,v2', 'run every seed once per value (repeat for a grid), e.g. cma.lockMode=global,split,per-area'],
    ['--workers N', `worker threads (default: ${availableParallelism()}, the CPUs; never more than runs); 0 runs in this thread`],
    ['--until T', 'simulated end time of every run'],
    ['--max-events N', 'stop each run after N events (default 50000000)'],
    ['--format F', 'text|json|csv (default text)'],
    ['--check-invariants', 'check invariants after every event in every run'],
    ['--quiet', 'no progress line'],
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
    };
  },
  async run(o, io) {
    const base = await resolveScenario(o.scenario, io);
    const variants: SweepVariant[] = [];
    try {
      const source = applySetsInput(base.source, o.sets);
      for (const combo of variantGrid(o.vary)) {
        let vs = source;
        for (const [p, val] of combo) vs = setPath(vs, p, val);
        checkScenario(vs);
        variants.push({ label: combo.map(([p, val]) => `${p}=${typeof val === 'string' ? val : JSON.stringify(val)}`).join(', '), source: vs });
      }
    } catch (e) {
      if (e instanceof ScenarioError) throw new InputError(`${o.vary.length ? '--set/--vary' : '--set'}: ${e.message}`);
      throw e;
    }
    const job: SweepJob = { variants, until: o.until, maxEvents: o.maxEvents, checkInvariants: o.checkInvariants };
    const tasks = sweepTasks(job, o.seeds);
    const show = !o.quiet && io.errIsTTY;
    const onDone = show ? (n: number) => io.err(`\r${n}/${tasks.length} runs\x1b[K`) : undefined;
    const rows = o.workers === 0 ? sweepSequential(job, tasks, onDone) : await sweepParallel(job, tasks, o.workers, onDone);
    if (show) io.err('\r\x1b[K');
    const groups: VariantRows[] = variants.map((v, i) => ({ label: v.label, rows: rows.slice(i * o.seeds.length, (i + 1) * o.seeds.length) }));
    if (o.format === 'json') {
      const out = { schema: 'cma-sim-sweep/1', sets: Object.fromEntries(o.sets), vary: Object.fromEntries(o.vary), variants: groups.map((g) => ({ label: g.label, aggregate: aggregateSweep(g.rows), runs: g.rows })) };
      io.out(JSON.stringify(out, null, 2) + '\n');
    } else io.out(o.format === 'csv' ? sweepCsv(groups) : sweepText(groups));
    return rows.some(isFatal) ? EXIT.failed : EXIT.ok;
  },
};
