import { read, COMMON_OPTIONS, type Command } from '../command.ts';
import { EXIT, UsageError } from '../errors.ts';
import { mergeShards } from '../sweepShard.ts';
import { renderSweep, sweepFailed, type SweepFormat } from '../sweepTable.ts';

export interface MergeCliOptions {
  readonly files: readonly string[];
  readonly format: SweepFormat;
  /** --format was given (a --per-request sweep prints CSV rows and takes none). */
  readonly formatGiven?: true;
}

export const mergeCommand: Command<MergeCliOptions> = {
  name: 'merge',
  summary: 'combine the shard files of `sweep --shard K/N` into the report the whole sweep gives, byte for byte',
  usage: 'merge <shard-1.json> ... <shard-N.json> [--format text|json|csv]',
  options: { ...COMMON_OPTIONS, format: { type: 'string', short: 'f' } },
  optionHelp: [['--format F', 'text|json|csv (default text), as sweep prints them']],
  examples: [
    'cma-sim merge results/shard-*.json --format csv > sweep.csv',
    'for k in 1 2 3; do cma-sim sweep my.json --seeds 1..300 --shard $k/3 > shard-$k.json & done; wait; cma-sim merge shard-*.json',
  ],
  parse(v, pos) {
    if (pos.length === 0) throw new UsageError("'merge' needs the shard files (written by sweep --shard K/N)", 'merge');
    const fmt = read.choices(v.format, '--format', ['text', 'json', 'csv'] as const, ['text']);
    if (fmt.length > 1) throw new UsageError('--format: merge prints one format', 'merge');
    return { files: pos, format: fmt[0], ...(v.format !== undefined ? { formatGiven: true as const } : {}) };
  },
  async run(o, io) {
    const { plan, results } = mergeShards(o.files);
    if (plan.job.perRequest && o.formatGiven) throw new UsageError('these are shards of a --per-request sweep, which prints CSV rows: merge takes no --format for them', 'merge');
    io.out(renderSweep(plan, results, o.format, io.columns));
    return sweepFailed(results) ? EXIT.failed : EXIT.ok;
  },
};
