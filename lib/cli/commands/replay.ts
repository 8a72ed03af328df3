import { COMMON_OPTIONS, read, type Command } from '../command.ts';
import { EXIT } from '../errors.ts';
import { loadRunLog } from '../loadLog.ts';
import { summaryFromLog } from '../logSummary.ts';
import { summaryText } from '../summary.ts';

export interface ReplayCliOptions {
  readonly log: string;
  readonly quiet: boolean;
}

export const replayCommand: Command<ReplayCliOptions> = {
  name: 'replay',
  summary: 'replay a saved log through the model and check it reproduces the recorded state',
  usage: 'replay <log.jsonl> [options]',
  options: { ...COMMON_OPTIONS },
  optionHelp: [['--quiet, -q', 'print only the verdict line']],
  examples: ['cma-sim run my.json --out r1 && cma-sim replay r1/log.jsonl'],
  parse(_v, pos) {
    read.maxPositionals(pos, 1, 'replay');
    return { log: read.requiredPositional(pos, 0, 'a log file (log.jsonl written by run --out)', 'replay'), quiet: _v.quiet === true };
  },
  async run(o, io) {
    const loaded = loadRunLog(o.log);
    const { scenario, replayed } = loaded;
    const h = replayed.history;
    io.out(`replayed ${h.lastSeq} events of '${scenario.name}' (seed ${replayed.header.seed}): final state hash ${replayed.finalHash.slice(0, 16)} matches the log\n`);
    if (!o.quiet) io.out(summaryText(summaryFromLog(loaded)));
    return EXIT.ok;
  },
};
