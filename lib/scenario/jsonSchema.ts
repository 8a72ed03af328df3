import { SCENARIO } from './scenarioShape.ts';
import { toJsonSchema } from './shape.ts';

/** Where the schema says it lives (its `$id`); JSON scenarios may name it in `"$schema"`. */
export const SCENARIO_SCHEMA_ID = 'https://cma-sim.invalid/schema/scenario.json';

/** The JSON Schema (draft 2020-12) of the scenario format, from the same declaration as its type. */
export function scenarioJsonSchema(): Record<string, unknown> {
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', $id: SCENARIO_SCHEMA_ID, title: 'cma-sim scenario', ...toJsonSchema(SCENARIO) };
}
