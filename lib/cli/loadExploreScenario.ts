import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { footprint } from '../../models/footprint.ts';
import { cmaTimings } from '../explore/cmaTimings.ts';
import { assertionChecks } from './scenarioChecks.ts';
import type { SimEventBase } from '../engine/types.ts';
import type { Check, ExploreScenario } from '../explore/types.ts';
import { UsageError } from './errors.ts';
import { loadRunnable } from './loadRunnable.ts';

/** Where the built-in race scenarios live: `cma-sim explore race3` finds examples/races/race3*.ts. */
export const RACES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../examples/races');

/** The module path for `arg`: a file, or the name (or number) of a built-in race scenario. */
export function scenarioPath(arg: string, racesDir = RACES_DIR): string {
  if (existsSync(arg)) return arg;
  if (!/[/\\.]/.test(arg)) {
    const n = /^\d+$/.test(arg) ? `race${arg}` : arg;
    for (const f of [`${n}.ts`, `${n}.js`]) if (existsSync(resolve(racesDir, f))) return resolve(racesDir, f);
  }
  throw new UsageError(`${arg}: no such scenario file or built-in race (try race1 .. race6)`);
}

/**
 * A scenario to explore from a module. A plain Runnable is accepted too: its plugin's invariants
 * become its only check, run on what changed since the last state checked (`full`: on everything).
 */
export async function loadExploreScenario(arg: string, opts: { full?: boolean } = {}): Promise<ExploreScenario<any, any>> {
  const { runnable, scenario } = await loadRunnable(scenarioPath(arg));
  const r = runnable as ExploreScenario<unknown, SimEventBase>;
  if (Array.isArray(r.checks)) return r;
  const inv = r.plugin?.invariants;
  const checks: Check<any>[] = inv ? [{ name: 'invariants', kind: 'invariant', test: (s, prev) => inv(s, { prev: prev ?? undefined, full: opts.full })[0] ?? null }] : [];
  // A scenario (defineScenario or JSON) also brings its assertions.
  if (scenario) checks.push(...assertionChecks(scenario.assertions));
  const cma = r.model.name === 'cma-sim';
  return { ...r, footprint: cma ? (footprint as never) : r.footprint, perturbations: cma ? (cmaTimings(r.initial as never) as never) : undefined, checks };
}
