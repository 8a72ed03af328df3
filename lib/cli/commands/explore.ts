import { join, resolve } from 'node:path';
import { DEFAULT_EXPLORE, explore, type ExploreOptions, type Progress, type Strategy } from '../../explore/explore.ts';
import { exploreParallel } from '../../explore/parallel.ts';
import { regressionModule } from '../../explore/regression.ts';
import { pluginFor } from '../../debug/cmaPlugin.ts';
import { fmtExploreResult, fmtProgress } from '../../explore/summary.ts';
import type { ExploreScenario } from '../../explore/types.ts';
import { CHECK_MODES, type CheckMode } from '../../scenario/invariants.ts';
import { COMMON_OPTIONS, QUIET_OPTION, read, type Command } from '../command.ts';
import { UsageError } from '../errors.ts';
import type { Io } from '../io.ts';
import { loadExploreScenario, scenarioPath } from '../loadExploreScenario.ts';
import { FORCE_HELP, FORCE_OPTION, OutputSet } from '../outputDir.ts';
import { statusLine } from '../progress.ts';
import { sourceExt } from '../packageRoot.ts';

const STRATEGIES: readonly Strategy[] = ['exhaustive', 'random', 'pct', 'swarm'];

export interface ExploreCliOptions {
  /** A scenario module or file, or a built-in race name or number. */
  readonly scenario: string;
  readonly strategy: Strategy;
  readonly maxRuns?: number;
  readonly preemptionBound?: number;
  readonly seed?: number;
  readonly depth?: number;
  /** undefined: the scenario's window, else 0. */
  readonly window?: number;
  readonly reduction: boolean;
  readonly invariants: boolean;
  /** Set only when --check was given: it applies to the model invariants the explorer adds. */
  readonly check?: CheckMode;
  readonly workers: number;
  readonly first: boolean;
  /** undefined: ./explore-<scenario name>. */
  readonly out?: string;
  readonly force: boolean;
  readonly progress: boolean;
  readonly quiet: boolean;
}

function safeName(s: string): string {
  return s.replace(/[^\w.-]+/g, '_').slice(0, 60);
}

/** `cma-sim explore`: 0 no failures, 1 failures found. */
export const exploreCommand: Command<ExploreCliOptions> = {
  name: 'explore',
  summary: 'search the orderings of concurrent events for invariant or assertion failures',
  usage: 'explore <scenario | race1..race6> [options]',
  options: {
    ...COMMON_OPTIONS, ...QUIET_OPTION,
    strategy: { type: 'string' },
    'max-runs': { type: 'string' },
    'preemption-bound': { type: 'string' },
    seed: { type: 'string' },
    depth: { type: 'string' },
    window: { type: 'string' },
    'no-reduction': { type: 'boolean' },
    'no-invariants': { type: 'boolean' },
    check: { type: 'string' },
    workers: { type: 'string', short: 'j' },
    first: { type: 'boolean' },
    out: { type: 'string', short: 'o' },
    ...FORCE_OPTION,
    progress: { type: 'boolean' },
  },
  optionHelp: [
    ['--strategy S', 'exhaustive (default), random, pct or swarm (varies the scenario\'s timings within bounds in every run)'],
    ['--max-runs N', `stop after N runs (default ${DEFAULT_EXPLORE.maxRuns})`],
    ['--preemption-bound K', `at most K non-default choices per run (default ${DEFAULT_EXPLORE.preemptionBound})`],
    ['--seed N', 'seed of the random, pct and swarm strategies'],
    ['--depth D', 'pct: the bug depth it aims at'],
    ['--window T', 'events due within T of each other count as concurrent (default: the scenario\'s, else 0)'],
    ['--no-reduction', 'explore every ordering, without partial-order reduction'],
    ['--no-invariants', 'do not check the model invariants after every event (only the scenario\'s own checks)'],
    ['--check incremental|full', 'check the invariants on what each event changed (default) or by walking the whole state (slow)'],
    ['--workers N', 'run the search on N worker threads (the same findings for any N); 0 (default) runs in this thread'],
    ['--first', 'stop at the first failing run'],
    ['--out DIR', 'where each distinct failure\'s choice trace and regression scenario go (default ./explore-<scenario>)'],
    FORCE_HELP,
    ['--progress', 'show runs, outcomes and failures while searching (default on a terminal)'],
    ['--quiet', 'print nothing but errors; the exit code says whether a check failed (1)'],
  ],
  examples: ['cma-sim explore race1', 'cma-sim explore race3 --strategy random --max-runs 500 --out found'],
  parse(v, pos) {
    read.maxPositionals(pos, 1, 'explore');
    const check = v.check === undefined ? undefined : read.choices(v.check, '--check', CHECK_MODES, [])[0];
    if (check !== undefined && v['no-invariants'] === true) throw new UsageError('--check chooses how invariants are checked: it cannot go with --no-invariants', 'explore');
    return {
      scenario: read.requiredPositional(pos, 0, 'a scenario (a module, a JSON scenario or a built-in race: race1 .. race6)', 'explore'),
      strategy: read.choices(v.strategy, '--strategy', STRATEGIES, ['exhaustive'])[0] ?? 'exhaustive',
      maxRuns: read.positiveInt(v['max-runs'], '--max-runs'),
      preemptionBound: read.count(v['preemption-bound'], '--preemption-bound'),
      seed: read.seed(v.seed),
      depth: read.positiveInt(v.depth, '--depth'),
      window: read.duration(v.window, '--window', { zero: true }),
      reduction: v['no-reduction'] !== true,
      invariants: v['no-invariants'] !== true,
      ...(check !== undefined ? { check } : {}),
      workers: read.count(v.workers, '--workers') ?? 0,
      first: v.first === true,
      out: v.out as string | undefined,
      force: v.force === true,
      progress: v.progress === true,
      quiet: v.quiet === true,
    };
  },
  run: (o, io) => exploreRun(o, io),
};

async function exploreRun(o: ExploreCliOptions, io: Io): Promise<number> {
  const scenarioFile = scenarioPath(o.scenario);
  const full = o.check === 'full';
  let scn = await loadExploreScenario(scenarioFile, { full });
  // A race's checks are its own functions: --check reaches only the model invariants the explorer adds.
  if (o.check !== undefined && !scn.checks.some((c) => c.name === 'invariants')) {
    throw new UsageError(`--check: ${o.scenario} brings its own checks (${scn.checks.map((c) => c.name).join(', ')}); --check applies to the model invariants the explorer adds to a scenario`, 'explore');
  }
  // The debugger's model plugins: outcomes in CMA words, diffs between outcomes.
  const plugin = pluginFor(scn);
  if (plugin) scn = { ...scn, plugin };
  // Whole-memory invariant suites after every event dominate a big scenario's runs: allow them off.
  const noInvariants = !o.invariants;
  if (noInvariants) scn = { ...scn, checks: scn.checks.filter((c) => c.kind !== 'invariant') };
  const opts: ExploreOptions = {
    ...DEFAULT_EXPLORE, strategy: o.strategy,
    maxRuns: o.maxRuns ?? DEFAULT_EXPLORE.maxRuns,
    preemptionBound: o.preemptionBound ?? DEFAULT_EXPLORE.preemptionBound,
    seed: o.seed ?? DEFAULT_EXPLORE.seed,
    depth: o.depth ?? DEFAULT_EXPLORE.depth,
    window: o.window ?? scn.window ?? 0,
    por: o.reduction,
    first: o.first,
  };
  const out = o.out ?? `explore-${safeName(scn.name)}`;
  // Checked before the search; written, as every --out set is, only when there is something to put there.
  const set = OutputSet.open(out, o.force);
  try {
    return await search(scn, opts, o, io, set, { scenarioFile, noInvariants, full });
  } finally {
    set.abort();
  }
}

async function search(
  scn: ExploreScenario<any, any>, opts: ExploreOptions, o: ExploreCliOptions, io: Io, set: OutputSet,
  { scenarioFile, noInvariants, full }: { scenarioFile: string; noInvariants: boolean; full: boolean },
): Promise<number> {
  const out = set.shown;
  const { quiet, workers } = o;
  const showProgress = !quiet && (o.progress || io.errIsTTY);
  const line = statusLine(io);
  let lastShown = io.clock();
  // Asked after every run and every 100 events of a long run, drawn at most twice a second: a
  // user never waits more than about a second for a line while anything runs.
  const run = {
    ...opts,
    progressEvery: 1,
    progressEvents: 100,
    onProgress: showProgress ? (p: Progress) => {
      const now = io.clock();
      if (now - lastShown >= 500) { lastShown = now; line.draw(fmtProgress(p, opts.maxRuns)); }
    } : undefined,
  };
  const r = workers > 0 ? await exploreParallel(scn, { file: resolve(scenarioFile), noInvariants, full }, run, workers, new URL(`../exploreWorker${sourceExt}`, import.meta.url)) : explore(scn, run);
  if (showProgress) line.end(fmtProgress({ runs: r.runs, elapsedMs: r.elapsedMs, outcomes: r.outcomes.length, failures: r.failures.length }));
  const files: string[] = [];
  if (r.failures.length) {
    r.failures.forEach((f, i) => {
      const name = `failure-${i + 1}-${safeName(f.trace.failure!.check)}`;
      const stem = join(out, name);
      set.write(`${name}.json`, JSON.stringify(f.trace, null, 2) + '\n');
      set.write(`${name}.regression.ts`, regressionModule(`${stem}.regression.ts`, resolve(scenarioFile), f.trace));
      files.push(`${stem}.json (regression scenario: ${stem}.regression.ts; open: cma-sim debug ${scenarioFile} --choices ${stem}.json)`);
    });
    set.commit();
  }
  if (!quiet) {
    if (scn.description) io.out(`${scn.description}\n`);
    io.out(fmtExploreResult(scn.name, opts, r, files, scn.plugin?.diff as ((a: unknown, b: unknown) => string) | undefined) + '\n');
  }
  return r.failures.length || r.sometimesMissed.length ? 1 : 0;
}
