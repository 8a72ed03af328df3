import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ScenarioError } from './check.ts';
import { JsonSyntaxError, parseJsonWithPositions, type SourcePos } from './parseJson.ts';
import { checkScenario, type CheckOptions, type Scenario } from './scenario.ts';
import { bootScenario } from './toSimConfig.ts';
import type { SimEventBase } from '../engine/types.ts';
import { importModule } from '../io/importModule.ts';
import { STDIN } from '../io/stdin.ts';
import type { Runnable } from '../run/runnable.ts';
import { scenarioRunnable } from './scenarioRunnable.ts';
import { cannotRead } from '../io/cannotRead.ts';

/** A scenario file that cannot be used: one line, `file:line:column: path: what was expected`. */
export class ScenarioFileError extends Error {
  constructor(readonly file: string, readonly pos: SourcePos | null, readonly detail: string) {
    super(`${file}${pos ? `:${pos.line}:${pos.column}` : ''}: ${detail}`);
  }
}

/** Check JSON text; errors carry the line and column of the offending value. */
export function scenarioFromJson(text: string, file: string, opts: CheckOptions = {}): Scenario {
  let parsed;
  try {
    parsed = parseJsonWithPositions(text);
  } catch (e) {
    if (e instanceof JsonSyntaxError) throw new ScenarioFileError(file, e.pos, `invalid JSON: ${e.detail}`);
    throw e;
  }
  try {
    const s = checkScenario(parsed.value, opts);
    bootScenario(s);
    return s;
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    throw new ScenarioFileError(file, nearestPos(parsed.positions, e.path), e.message);
  }
}

/** The position of `p`, or of its closest ancestor that exists in the file (a missing field points at its object). */
function nearestPos(positions: ReadonlyMap<string, SourcePos>, p: string): SourcePos | null {
  let cur = p;
  for (;;) {
    const pos = positions.get(cur);
    if (pos) return pos;
    if (cur === '') return null;
    const cut = Math.max(cur.lastIndexOf('.'), cur.lastIndexOf('['));
    cur = cut <= 0 ? '' : cur.slice(0, cut);
  }
}

/** A scenario file (or standard input) loaded once: what every command and tool runs from. */
export interface LoadedScenario {
  /** The path as given, or `<stdin>`. */
  readonly file: string;
  /** The scenario it defines (JSON, or a module's default or `scenario` export); null when a module exports only a Runnable. */
  readonly scenario: Scenario | null;
  /** A module's exports (its `runnable`, `race`, `reportSection`...); null for JSON. */
  readonly exports: Readonly<Record<string, unknown>> | null;
}

export interface LoadOptions extends CheckOptions {
  /** Reads standard input when the file is `-`. */
  readonly stdin?: () => Promise<string>;
}

const MODULE_EXTS = ['.ts', '.mts', '.js', '.mjs'];

/**
 * The one loader: a .json file, `-` (JSON on standard input), or a .ts/.js module, imported once.
 * A module may define a scenario (default or `scenario` export, made with defineScenario) and/or
 * a Runnable (`runnable`, `race` or default export, or a function returning one; see runnableOf).
 */
export async function loadScenario(file: string, opts: LoadOptions = {}): Promise<LoadedScenario> {
  if (file === STDIN) {
    if (!opts.stdin) throw new ScenarioFileError('-', null, 'standard input is not available here');
    return { file: '<stdin>', scenario: scenarioFromJson(await opts.stdin(), '<stdin>', opts), exports: null };
  }
  const ext = path.extname(file).toLowerCase();
  if (ext === '.json') {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new ScenarioFileError(file, null, cannotRead(e));
    }
    return { file, scenario: scenarioFromJson(text, file, opts), exports: null };
  }
  if (!MODULE_EXTS.includes(ext)) throw new ScenarioFileError(file, null, `expected a .json, .ts or .js scenario, got '${ext || 'no extension'}'`);
  let mod: Record<string, unknown>;
  try {
    mod = await importModule(file);
  } catch (e) {
    if (e instanceof ScenarioError) throw new ScenarioFileError(file, null, e.message);
    const code = (e as NodeJS.ErrnoException).code;
    throw new ScenarioFileError(file, null, code === 'ERR_MODULE_NOT_FOUND' ? 'cannot read: ENOENT' : `cannot load: ${(e as Error).message.split('\n')[0]}`);
  }
  const v = isScenarioInput(mod.default) ? mod.default : mod.scenario;
  if (v === undefined) {
    if (RUNNABLE_KEYS.some((k) => mod[k] !== undefined)) return { file, scenario: null, exports: mod };
    throw new ScenarioFileError(file, null, "expected a default export (or `scenario`) made with defineScenario, or a module exporting 'runnable', 'race' or a default Runnable { model, initial, seed, inject }");
  }
  const input = typeof v === 'object' && v !== null && 'source' in v ? (v as Scenario).source : v;
  try {
    const s = checkScenario(input, opts);
    bootScenario(s);
    return { file, scenario: s, exports: mod };
  } catch (e) {
    if (e instanceof ScenarioError) throw new ScenarioFileError(file, null, e.message);
    throw e;
  }
}

/** A scenario from a file or `-`; a module that only exports a Runnable is refused. */
export async function loadScenarioFile(file: string, opts: LoadOptions = {}): Promise<Scenario> {
  const l = await loadScenario(file, opts);
  if (l.scenario === null) throw new ScenarioFileError(file, null, 'expected a default export (or `scenario`) made with defineScenario');
  return l.scenario;
}

const RUNNABLE_KEYS = ['runnable', 'race', 'default'] as const;

export function isRunnable(v: unknown): v is Runnable<unknown, SimEventBase> {
  const r = v as Runnable<unknown, SimEventBase> | null;
  return typeof r === 'object' && r !== null && typeof r.model === 'object' && Array.isArray(r.inject) && typeof r.seed === 'number';
}

/** A default export that is neither a Runnable nor a function (one returning a Runnable). */
function isScenarioInput(v: unknown): boolean {
  return v !== undefined && typeof v !== 'function' && !isRunnable(v);
}

/**
 * What a loaded file runs: the module's own Runnable (`runnable`, `race` or default export, or a
 * function returning one), else its scenario booted. `fromScenario`: the runnable is exactly the
 * scenario booted, so the scenario (data) can stand for it (saved debugger sessions embed it).
 */
export function runnableOf(l: LoadedScenario): { runnable: Runnable<any, any>; fromScenario: boolean } {
  for (const key of RUNNABLE_KEYS) {
    let v = l.exports?.[key];
    if (typeof v === 'function') v = (v as () => unknown)();
    if (isRunnable(v)) return { runnable: v, fromScenario: false };
  }
  if (l.scenario === null) throw new ScenarioFileError(l.file, null, "expected a scenario or a module exporting 'runnable', 'race' or a default Runnable { model, initial, seed, inject }");
  return { runnable: scenarioRunnable(l.scenario), fromScenario: true };
}
