import { COMMON_OPTIONS, read, type Command } from '../command.ts';
import { EXIT, UsageError } from '../errors.ts';
import { printable } from '../../text/escape.ts';
import { loadRunLog } from '../loadLog.ts';
import { KEY_HELP, KEY_OPTION, readLogKey } from '../logKey.ts';
import { summaryFromLog } from '../logSummary.ts';
import { FORCE_HELP, FORCE_OPTION, OutputSet } from '../outputDir.ts';
import { AT_HELP, AT_OPTION, FORMAT_FILES, FORMATS, needsRunData, readAt, readTraceFormat, Renderer, TRACE_FORMAT_HELP, type Format, type TraceFlavour } from '../render.ts';

export interface ReportCliOptions {
  readonly log: string;
  readonly formats: Format[];
  /** undefined: the run's kernel profile's format. */
  readonly traceFormat?: TraceFlavour;
  readonly out?: string;
  readonly force: boolean;
  /** `--key env:NAME|file:PATH` of a keyed log. */
  readonly key?: string;
  /** `--at T`: the simulated time the kernel-file formats show. */
  readonly at?: number;
}

export const reportCommand: Command<ReportCliOptions> = {
  name: 'report',
  summary: 'make reports from a saved log without re-running the simulation',
  usage: 'report <log.jsonl> [--format F ...] [--out DIR [--force]]',
  options: { ...COMMON_OPTIONS, format: { type: 'string', short: 'f', multiple: true }, 'trace-format': { type: 'string' }, out: { type: 'string', short: 'o' }, ...FORCE_OPTION, ...KEY_OPTION, ...AT_OPTION },
  optionHelp: [
    ['--format F', `${FORMATS.join('|')}; repeat or comma-separate (default: text)`],
    AT_HELP,
    TRACE_FORMAT_HELP,
    ['--out DIR', 'write one file per format instead of printing'],
    FORCE_HELP,
    KEY_HELP,
  ],
  examples: ['cma-sim report results/log.jsonl', 'cma-sim report results/log.jsonl --format json,text --out again'],
  parse(v, pos) {
    read.maxPositionals(pos, 1, 'report');
    const formats = read.choices(v.format, '--format', FORMATS, ['text']);
    if (v.out === undefined && formats.length > 1) throw new UsageError('several --format values need --out DIR', 'report');
    return {
      log: read.requiredPositional(pos, 0, 'a log file (log.jsonl written by run --out)', 'report'), formats,
      traceFormat: readTraceFormat(v['trace-format']), out: v.out as string | undefined, force: v.force === true,
      ...(v.key !== undefined ? { key: String(v.key) } : {}), ...readAt(v.at, formats, 'report') };
  },
  async run(o, io) {
    const set = o.out !== undefined ? OutputSet.open(o.out, o.force) : null;
    try {
      const loaded = loadRunLog(o.log, { key: readLogKey(o.key), collect: needsRunData(o.formats) });
      const r = new Renderer({ summary: summaryFromLog(loaded), history: loaded.replayed.history, traceFormat: o.traceFormat, at: o.at, data: loaded.data });
      if (set === null) {
        io.out(r.render(o.formats[0], io.columns));
        return EXIT.ok;
      }
      for (const f of o.formats) set.write(FORMAT_FILES[f], r.render(f));
      io.out(`wrote ${printable(set.commit().join(', '))}\n`);
      return EXIT.ok;
    } finally {
      set?.abort();
    }
  },
};
