import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { SimEventBase } from '../engine/types.ts';
import { loadScenarioFile, ScenarioFileError } from '../scenario/loadScenario.ts';
import type { Scenario } from '../scenario/scenario.ts';
import { scenarioRunnable } from '../scenario/scenarioRunnable.ts';
import type { Runnable } from '../run/runnable.ts';
import { importModule } from '../io/importModule.ts';

/** A bad command-line argument or input file: one line, exit code 2. */
export class UsageError extends Error {}

/** Where a command prints; `stdin` feeds the debugger's prompt. */
export interface CommandIo {
  out(s: string): void;
  err(s: string): void;
  stdin?: NodeJS.ReadableStream;
}


export function isRunnable(v: unknown): v is Runnable<unknown, SimEventBase> {
  const r = v as Runnable<unknown, SimEventBase> | null;
  return typeof r === 'object' && r !== null && typeof r.model === 'object' && Array.isArray(r.inject) && typeof r.seed === 'number';
}

function isScenario(v: unknown): v is Scenario {
  return typeof v === 'object' && v !== null && Array.isArray((v as Scenario).assertions) && typeof (v as Scenario).name === 'string';
}

export interface LoadedRunnable {
  readonly runnable: Runnable<any, any>;
  /** Absolute path of the file. */
  readonly source: string;
  /** The module's scenario, whose assertions the explorer checks. */
  readonly scenario: Scenario | null;
  /** Whether `runnable` is exactly `scenario` booted, so the scenario (data) can stand for it. */
  readonly fromScenario: boolean;
}

/**
 * A Runnable from a file: a module's `runnable`, `race` or default export (or a function returning
 * one), as race scenarios, examples and test fixtures have; otherwise a scenario (JSON, or a module
 * exporting one made with defineScenario) booted by lib/scenario, whose assertions come along.
 */
export async function loadRunnable(file: string): Promise<LoadedRunnable> {
  const abs = isAbsolute(file) ? file : resolve(file);
  if (!existsSync(abs)) throw new UsageError(`${file}: no such file`);
  if (!abs.toLowerCase().endsWith('.json')) {
    let mod: Record<string, unknown>;
    try {
      mod = await importModule(abs);
    } catch (e) {
      throw new UsageError(`${file}: cannot load: ${(e as Error).message.split('\n')[0]}`);
    }
    for (const key of ['runnable', 'race', 'default']) {
      let v = mod[key];
      if (typeof v === 'function') v = (v as () => unknown)();
      if (isRunnable(v)) return { runnable: v, source: abs, scenario: isScenario(mod.scenario) ? mod.scenario : null, fromScenario: false };
    }
    if (mod.scenario === undefined && mod.default === undefined) {
      throw new UsageError(`${file}: expected a scenario or a module exporting 'runnable', 'race' or a default Runnable { model, initial, seed, inject }`);
    }
  }
  try {
    const scenario = await loadScenarioFile(abs);
    return { runnable: scenarioRunnable(scenario), source: abs, scenario, fromScenario: true };
  } catch (e) {
    if (e instanceof ScenarioFileError) throw new UsageError(e.message);
    throw e;
  }
}
