import { scenarioJsonSchema } from '../../scenario/jsonSchema.ts';
import { COMMON_OPTIONS, read, type Command } from '../command.ts';
import { EXIT } from '../errors.ts';

export const schemaCommand: Command<null> = {
  name: 'schema',
  summary: 'print the JSON Schema of the scenario format (for editors: "$schema" in a JSON scenario)',
  usage: 'schema',
  options: { ...COMMON_OPTIONS },
  optionHelp: [],
  examples: ['cma-sim schema > scenario.schema.json'],
  parse(_v, pos) {
    read.maxPositionals(pos, 0, 'schema');
    return null;
  },
  async run(_o, io) {
    io.out(`${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
    return EXIT.ok;
  },
};
