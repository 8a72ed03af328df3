import { childPath } from '../jsonPath.ts';
import { duration, object } from '../check.ts';

/**
 * Cost-model overrides: name -> integer ns. The CMA model checks the names against
 * models/timing's fields at boot (bootScenario maps its error back to this path).
 */
export function checkCosts(v: unknown, path: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, x] of Object.entries(object(v ?? {}, path, 'an object of cost overrides'))) out[k] = duration(x, childPath(path, k));
  return out;
}
