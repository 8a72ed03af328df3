import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { writeFileAtomic } from '../../io/atomicWrite.ts';
import { InputError } from '../../io/inputError.ts';
import { DEFAULT_EXPLORE, explore, type ExploreOptions, type Progress, type Strategy } from '../../explore/explore.ts';
import { exploreParallel } from '../../explore/parallel.ts';
import { regressionModule } from '../../explore/regression.ts';
import type { DebugPlugin } from '../../run/runnable.ts';
import type { ExploreScenario } from '../../explore/types.ts';
import { fmtExploreResult, fmtProgress } from '../../explore/summary.ts';
import { CHECK_MODES, type CheckMode } from '../../scenario/invariants.ts';
import { UsageError } from '../errors.ts';
import type { CommandIo } from '../io.ts';
import { loadExploreScenario, scenarioPath } from '../loadExploreScenario.ts';
import { parseFlags } from '../parseFlags.ts';
import { sourceExt } from '../packageRoot.ts';

export const EXPLORE_USAGE = `usage: cma-sim explore <scenario | race1..race6> [--strategy exhaustive|random|pct|swarm] [--max-runs N]
       [--preemption-bound K] [--seed N] [--depth D] [--window 2us] [--no-reduction] [--no-invariants]
       [--check incremental|full] [--workers N] [--first] [--out DIR] [--force] [--progress] [--quiet]
  Searches the orderings of concurrent events; writes per distinct failure a choice trace and a
  regression scenario (a .ts module that replays the failing order without the explorer) to --out
  (default ./explore-<scenario>). --first stops at the first failing run. Invariants are checked
  after every event on what it changed; --check full walks the whole state instead (slow). Open a failure with
  cma-sim debug <scenario> --choices <trace>. --workers N runs the search on N worker threads (the
  same findings for any N). swarm varies the scenario's timings within bounds in every run. Exit 1
  when a check failed.`;

/** What the command line adds to a loaded scenario: the model's debugger plugin (outcome words, diffs). */
export interface ExploreExtras {
  readonly pluginFor?: (r: ExploreScenario<any, any>) => DebugPlugin<any> | undefined;
}

const STRATEGIES: readonly Strategy[] = ['exhaustive', 'random', 'pct', 'swarm'];

function safeName(s: string): string {
  return s.replace(/[^\w.-]+/g, '_').slice(0, 60);
}

/** `cma-sim explore`: 0 no failures, 1 failures found, 2 bad usage. */
export async function exploreCommand(argv: string[], io: CommandIo, extras: ExploreExtras = {}): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) { io.out(EXPLORE_USAGE + '\n'); return 0; }
  let opts: ExploreOptions;
  let scn: Awaited<ReturnType<typeof loadExploreScenario>>;
  let out: string;
  let quiet: boolean;
  let showProgress: boolean;
  let scenarioFile: string;
  let workers: number;
  let noInvariants: boolean;
  let full = false;
  try {
    const { positional, flags } = parseFlags(argv, {
      strategy: 'string', 'max-runs': 'int', 'preemption-bound': 'int', seed: 'int', depth: 'int', window: 'duration',
      'no-reduction': 'bool', 'no-invariants': 'bool', check: 'string', workers: 'int', first: 'bool', out: 'string', force: 'bool', progress: 'bool', quiet: 'bool',
    });
    if (positional.length !== 1) throw new UsageError(`expected one scenario, got ${positional.length ? positional.map((p) => `'${p}'`).join(' ') : 'none'}`);
    const strategy = (flags.strategy ?? 'exhaustive') as Strategy;
    if (!STRATEGIES.includes(strategy)) throw new UsageError(`--strategy: expected one of ${STRATEGIES.join(', ')}, got '${strategy}'`);
    const check = (flags.check ?? 'incremental') as CheckMode;
    if (!CHECK_MODES.includes(check)) throw new UsageError(`--check: expected one of ${CHECK_MODES.join(', ')}, got '${check}'`);
    if (flags.check !== undefined && flags['no-invariants'] === true) throw new UsageError('--check chooses how invariants are checked: it cannot go with --no-invariants');
    scenarioFile = scenarioPath(positional[0]);
    full = check === 'full';
    scn = await loadExploreScenario(scenarioFile, { full });
    // A race's checks are its own functions: --check reaches only the model invariants the explorer adds.
    if (flags.check !== undefined && !scn.checks.some((c) => c.name === 'invariants')) {
      throw new UsageError(`--check: ${positional[0]} brings its own checks (${scn.checks.map((c) => c.name).join(', ')}); --check applies to the model invariants the explorer adds to a scenario`);
    }
    const plugin = extras.pluginFor?.(scn);
    if (plugin) scn = { ...scn, plugin };
    // Whole-memory invariant suites after every event dominate a big scenario's runs: allow them off.
    noInvariants = flags['no-invariants'] === true;
    if (noInvariants) scn = { ...scn, checks: scn.checks.filter((c) => c.kind !== 'invariant') };
    opts = {
      ...DEFAULT_EXPLORE, strategy,
      maxRuns: (flags['max-runs'] as number | undefined) ?? DEFAULT_EXPLORE.maxRuns,
      preemptionBound: (flags['preemption-bound'] as number | undefined) ?? DEFAULT_EXPLORE.preemptionBound,
      seed: (flags.seed as number | undefined) ?? DEFAULT_EXPLORE.seed,
      depth: (flags.depth as number | undefined) ?? DEFAULT_EXPLORE.depth,
      window: (flags.window as number | undefined) ?? scn.window ?? 0,
      por: flags['no-reduction'] !== true,
      first: flags.first === true,
    };
    if (opts.depth < 1) throw new UsageError('--depth: expected at least 1');
    out = (flags.out as string | undefined) ?? `explore-${safeName(scn.name)}`;
    if (existsSync(out) && readdirSync(out).length > 0 && flags.force !== true) throw new UsageError(`${out}: output directory exists and is not empty (use --force to overwrite, or --out)`);
    quiet = flags.quiet === true;
    workers = (flags.workers as number | undefined) ?? 0;
    showProgress = !quiet && (flags.progress === true || (process.stderr.isTTY ?? false));
  } catch (e) {
    if (e instanceof UsageError || e instanceof InputError) { io.err(`cma-sim explore: ${e.message}\n`); return 2; }
    throw e;
  }
  let lastShown = performance.now();
  const run = {
    ...opts,
    progressEvery: workers > 0 ? 1 : 200,
    onProgress: showProgress ? (p: Progress) => {
      const now = performance.now();
      if (now - lastShown >= 500) { lastShown = now; io.err(`\r${fmtProgress(p, opts.maxRuns)}\x1b[K`); }
    } : undefined,
  };
  const r = workers > 0 ? await exploreParallel(scn, { file: resolve(scenarioFile), noInvariants, full }, run, workers, new URL(`../exploreWorker${sourceExt}`, import.meta.url)) : explore(scn, run);
  if (showProgress) io.err(`\r${fmtProgress({ runs: r.runs, elapsedMs: r.elapsedMs, outcomes: r.outcomes.length, failures: r.failures.length })}\x1b[K\n`);
  const files: string[] = [];
  if (r.failures.length) {
    mkdirSync(out, { recursive: true });
    r.failures.forEach((f, i) => {
      const stem = join(out, `failure-${i + 1}-${safeName(f.trace.failure!.check)}`);
      writeFileAtomic(`${stem}.json`, JSON.stringify(f.trace, null, 2) + '\n');
      writeFileAtomic(`${stem}.regression.ts`, regressionModule(`${stem}.regression.ts`, resolve(scenarioFile), f.trace));
      files.push(`${stem}.json (regression scenario: ${stem}.regression.ts; open: cma-sim debug ${scenarioFile} --choices ${stem}.json)`);
    });
  }
  if (!quiet) {
    if (scn.description) io.out(`${scn.description}\n`);
    io.out(fmtExploreResult(scn.name, opts, r, files, scn.plugin?.diff as ((a: unknown, b: unknown) => string) | undefined) + '\n');
  }
  return r.failures.length || r.sometimesMissed.length ? 1 : 0;
}
