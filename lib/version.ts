/**
 * The tool's one version: package.json's, what `cma-sim --version` prints and every report names.
 * The model's own number (models/cmaSimModel.ts MODEL_VERSION, in logs and RunData as
 * `modelVersion`) is something else: the revision of the reducers' behaviour, bumped when a
 * reducer changes so that older logs are refused instead of replayed wrongly. Reports print it as
 * "model revision", never as a version of cma-sim.
 */
import { readFileSync } from 'node:fs';

// This file is lib/version.ts in the sources and dist/lib/version.js in the build: package.json is
// one folder up from the former, two from the latter.
const packageJson = new URL(import.meta.url.endsWith('.ts') ? '../package.json' : '../../package.json', import.meta.url);

export const TOOL_VERSION: string = (JSON.parse(readFileSync(packageJson, 'utf8')) as { version: string }).version;

/** `name@revision` as RunData and logs carry it, shown as the revision alone when the model is cma-sim's own. */
export function modelRevision(modelVersion: string): string {
  return modelVersion.startsWith('cma-sim@') ? modelVersion.slice('cma-sim@'.length) : modelVersion;
}
