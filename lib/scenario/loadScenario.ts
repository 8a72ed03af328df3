import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ScenarioError } from './check.ts';
import { JsonSyntaxError, parseJsonWithPositions, type SourcePos } from './parseJson.ts';
import { checkScenario, type CheckOptions, type Scenario } from './scenario.ts';
import { bootScenario } from './toSimConfig.ts';
import { importModule } from '../io/importModule.ts';

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

/** Load a scenario from a .json file or a .ts/.js module whose default export is a scenario. */
export async function loadScenarioFile(file: string, opts: CheckOptions = {}): Promise<Scenario> {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.json') {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new ScenarioFileError(file, null, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
    return scenarioFromJson(text, file, opts);
  }
  if (!['.ts', '.mts', '.js', '.mjs'].includes(ext)) throw new ScenarioFileError(file, null, `expected a .json, .ts or .js scenario, got '${ext || 'no extension'}'`);
  let mod: { default?: unknown; scenario?: unknown };
  try {
    mod = (await importModule(file)) as typeof mod;
  } catch (e) {
    if (e instanceof ScenarioError) throw new ScenarioFileError(file, null, e.message);
    const code = (e as NodeJS.ErrnoException).code;
    throw new ScenarioFileError(file, null, code === 'ERR_MODULE_NOT_FOUND' ? 'cannot read: ENOENT' : `cannot load: ${(e as Error).message.split('\n')[0]}`);
  }
  const v = mod.default ?? mod.scenario;
  if (v === undefined) throw new ScenarioFileError(file, null, 'expected a default export (or `scenario`) made with defineScenario');
  const input = typeof v === 'object' && v !== null && 'source' in v ? (v as Scenario).source : v;
  try {
    const s = checkScenario(input, opts);
    bootScenario(s);
    return s;
  } catch (e) {
    if (e instanceof ScenarioError) throw new ScenarioFileError(file, null, e.message);
    throw e;
  }
}
