import { COMMON_OPTIONS, QUIET_OPTION, read, type Command } from '../command.ts';
import { EXIT } from '../errors.ts';
import { printable } from '../../text/escape.ts';
import { loadRunLog } from '../loadLog.ts';
import { KEY_HELP, KEY_OPTION, readLogKey } from '../logKey.ts';
import { summaryFromLog } from '../logSummary.ts';
import { rerunDivergence } from '../rerunCheck.ts';
import { summaryText } from '../summary.ts';

export interface ReplayCliOptions {
  readonly log: string;
  /** Only fold the log through the reducers; do not re-run the scenario. */
  readonly foldOnly: boolean;
  readonly quiet: boolean;
  /** `--key env:NAME|file:PATH` of a keyed log. */
  readonly key?: string;
}

export const replayCommand: Command<ReplayCliOptions> = {
  name: 'replay',
  summary: 'check a saved log: fold it through the model, then re-run its scenario and compare',
  usage: 'replay <log.jsonl> [--fold-only] [options]   (an explorer trace: replay <scenario> --choices trace.json [--shrink]; see replay --choices --help)',
  options: { ...COMMON_OPTIONS, ...QUIET_OPTION, 'fold-only': { type: 'boolean' }, ...KEY_OPTION },
  optionHelp: [
    ['--fold-only', 'only fold the logged events through the reducers (skip the re-run)'],
    KEY_HELP,
    ['--quiet', 'print only the verdict lines'],
  ],
  examples: ['cma-sim run my.json --out r1 && cma-sim replay r1/log.jsonl', 'cma-sim replay r1/log.jsonl --fold-only'],
  parse(v, pos) {
    read.maxPositionals(pos, 1, 'replay');
    return { log: read.requiredPositional(pos, 0, 'a log file (log.jsonl written by run --out)', 'replay'), foldOnly: v['fold-only'] === true, quiet: v.quiet === true, ...(v.key !== undefined ? { key: String(v.key) } : {}) };
  },
  async run(o, io) {
    const loaded = loadRunLog(o.log, { key: readLogKey(o.key) });
    const { scenario, replayed } = loaded;
    const h = replayed.history;
    io.out(`replayed ${h.lastSeq} events of '${printable(scenario.name)}' (seed ${replayed.header.seed}): final state hash ${replayed.finalHash.slice(0, 16)} matches the log\n`);
    let code: number = EXIT.ok;
    if (!o.foldOnly) {
      const diverged = rerunDivergence(loaded);
      if (diverged === null) io.out(`re-ran the scenario with seed ${replayed.header.seed}: the same ${h.lastSeq} events\n`);
      else { io.out(`re-ran the scenario with seed ${replayed.header.seed}: ${printable(diverged)}\n`); code = EXIT.failed; }
    }
    if (!o.quiet) io.out(summaryText(summaryFromLog(loaded)));
    return code;
  },
};
