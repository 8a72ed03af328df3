import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { UsageError, type CommandIo } from './loadRunnable.ts';
import { writeFileAtomic } from '../io/atomicWrite.ts';
import { parseFlags } from './args.ts';
import { DEFAULT_EXPLORE, explore, type ExploreOptions, type Strategy } from './explore.ts';
import { loadExploreScenario } from './loadScenario.ts';
import { fmtExploreResult, fmtProgress } from './summary.ts';

export const EXPLORE_USAGE = `usage: cma-sim explore <scenario | race1..race5> [--strategy exhaustive|random|pct] [--max-runs N]
       [--preemption-bound K] [--seed N] [--depth D] [--window 2us] [--no-reduction] [--no-invariants]
       [--out DIR] [--force] [--progress] [--quiet]
  Searches the orderings of concurrent events; writes one choice trace per distinct failure to --out
  (default ./explore-<scenario>). Exit 1 when a check failed.`;

const STRATEGIES: readonly Strategy[] = ['exhaustive', 'random', 'pct'];

function safeName(s: string): string {
  return s.replace(/[^\w.-]+/g, '_').slice(0, 60);
}

/** `cma-sim explore`: 0 no failures, 1 failures found, 2 bad usage. */
export async function exploreCommand(argv: string[], io: CommandIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) { io.out(EXPLORE_USAGE + '\n'); return 0; }
  let opts: ExploreOptions;
  let scn: Awaited<ReturnType<typeof loadExploreScenario>>;
  let out: string;
  let quiet: boolean;
  let showProgress: boolean;
  try {
    const { positional, flags } = parseFlags(argv, {
      strategy: 'string', 'max-runs': 'int', 'preemption-bound': 'int', seed: 'int', depth: 'int', window: 'duration',
      'no-reduction': 'bool', 'no-invariants': 'bool', out: 'string', force: 'bool', progress: 'bool', quiet: 'bool',
    });
    if (positional.length !== 1) throw new UsageError(`expected one scenario, got ${positional.length ? positional.map((p) => `'${p}'`).join(' ') : 'none'}`);
    const strategy = (flags.strategy ?? 'exhaustive') as Strategy;
    if (!STRATEGIES.includes(strategy)) throw new UsageError(`--strategy: expected one of ${STRATEGIES.join(', ')}, got '${strategy}'`);
    scn = await loadExploreScenario(positional[0]);
    // Whole-memory invariant suites after every event dominate a big scenario's runs: allow them off.
    if (flags['no-invariants'] === true) scn = { ...scn, checks: scn.checks.filter((c) => c.kind !== 'invariant') };
    opts = {
      ...DEFAULT_EXPLORE, strategy,
      maxRuns: (flags['max-runs'] as number | undefined) ?? DEFAULT_EXPLORE.maxRuns,
      preemptionBound: (flags['preemption-bound'] as number | undefined) ?? DEFAULT_EXPLORE.preemptionBound,
      seed: (flags.seed as number | undefined) ?? DEFAULT_EXPLORE.seed,
      depth: (flags.depth as number | undefined) ?? DEFAULT_EXPLORE.depth,
      window: (flags.window as number | undefined) ?? scn.window ?? 0,
      por: flags['no-reduction'] !== true,
    };
    if (opts.depth < 1) throw new UsageError('--depth: expected at least 1');
    out = (flags.out as string | undefined) ?? `explore-${safeName(scn.name)}`;
    if (existsSync(out) && readdirSync(out).length > 0 && flags.force !== true) throw new UsageError(`${out}: output directory exists and is not empty (use --force to overwrite, or --out)`);
    quiet = flags.quiet === true;
    showProgress = !quiet && (flags.progress === true || (process.stderr.isTTY ?? false));
  } catch (e) {
    if (e instanceof UsageError) { io.err(`cma-sim explore: ${e.message}\n`); return 2; }
    throw e;
  }
  let lastShown = performance.now();
  const r = explore(scn, {
    ...opts,
    progressEvery: 200,
    onProgress: showProgress ? (p) => {
      const now = performance.now();
      if (now - lastShown >= 500) { lastShown = now; io.err(`\r${fmtProgress(p)}`); }
    } : undefined,
  });
  if (showProgress) io.err(`\r${fmtProgress({ runs: r.runs, elapsedMs: r.elapsedMs, outcomes: r.outcomes.length, failures: r.failures.length })}\n`);
  const files: string[] = [];
  if (r.failures.length) {
    mkdirSync(out, { recursive: true });
    r.failures.forEach((f, i) => {
      const file = join(out, `failure-${i + 1}-${safeName(f.trace.failure!.check)}.json`);
      writeFileAtomic(file, JSON.stringify(f.trace, null, 2) + '\n');
      files.push(file);
    });
  }
  if (!quiet) {
    if (scn.description) io.out(`${scn.description}\n`);
    io.out(fmtExploreResult(scn.name, opts, r, files) + '\n');
  }
  return r.failures.length || r.sometimesMissed.length ? 1 : 0;
}
