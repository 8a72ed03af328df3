import type { ParseArgsOptionsConfig } from 'node:util';
import { sizeBytes } from '../../models/memory/parseSize.ts';
import { parseDuration } from '../text/duration.ts';
import { UsageError } from './errors.ts';
import type { Io } from './io.ts';

export type RawValues = Readonly<Record<string, string | boolean | (string | boolean)[] | undefined>>;

/**
 * One subcommand. `parse` turns util.parseArgs output into typed options (or a UsageError);
 * `run` does the work and returns the exit code. Others add commands by adding one entry to the
 * table in commands.ts.
 */
export interface Command<O = unknown> {
  readonly name: string;
  readonly summary: string;
  /** Synopsis after `cma-sim `, e.g. `run [scenario] [options]`. */
  readonly usage: string;
  readonly options: ParseArgsOptionsConfig;
  /** One line per option for --help: [flag text, description]. */
  readonly optionHelp: readonly (readonly [string, string])[];
  readonly examples: readonly string[];
  parse(values: RawValues, positionals: readonly string[]): O;
  run(opts: O, io: Io): Promise<number>;
}

/** Shared option readers: each names the flag and the expected form in its error. */
export const read = {
  seed(v: unknown, flag = '--seed'): number | undefined {
    if (v === undefined) return undefined;
    const s = String(v);
    if (!/^\d+$/.test(s) || Number(s) > 2 ** 32 - 1) throw new UsageError(`${flag}: expected an integer in 0..4294967295, got '${s}'`);
    return Number(s);
  },
  /** A duration in ns; 0 only with `zero` (a time such as `--at 0`, not a length such as `--until`). */
  duration(v: unknown, flag: string, { zero = false } = {}): number | undefined {
    if (v === undefined) return undefined;
    const ns = parseDuration(String(v));
    if (ns === null || (ns === 0 && !zero)) throw new UsageError(`${flag}: expected a duration like ${zero ? '0, ' : ''}10s, 250ms or 5000000 (ns), got '${String(v)}'`);
    return ns;
  },
  size(v: unknown, flag: string): number | undefined {
    if (v === undefined) return undefined;
    const bytes = sizeBytes(String(v));
    if (bytes === null || bytes === 0) throw new UsageError(`${flag}: expected a size like 8G, 512M or 4096, got '${String(v)}'`);
    return bytes;
  },
  positiveInt(v: unknown, flag: string): number | undefined {
    if (v === undefined) return undefined;
    const s = String(v);
    if (!/^[1-9]\d*$/.test(s)) throw new UsageError(`${flag}: expected a positive integer, got '${s}'`);
    return Number(s);
  },
  /** A count where 0 means something (`--workers 0`: this thread). */
  count(v: unknown, flag: string): number | undefined {
    if (v === undefined) return undefined;
    const s = String(v);
    if (!/^\d+$/.test(s) || !Number.isSafeInteger(Number(s))) throw new UsageError(`${flag}: expected a non-negative integer, got '${s}'`);
    return Number(s);
  },
  /** Repeated and/or comma-separated choices, de-duplicated in order. */
  choices<T extends string>(v: unknown, flag: string, allowed: readonly T[], dflt: readonly T[]): T[] {
    if (v === undefined) return [...dflt];
    const items = (Array.isArray(v) ? v : [v]).flatMap((x) => String(x).split(',')).map((x) => x.trim()).filter(Boolean);
    const out: T[] = [];
    for (const x of items) {
      if (!allowed.includes(x as T)) throw new UsageError(`${flag}: expected one of ${allowed.join('|')}, got '${x}'`);
      if (!out.includes(x as T)) out.push(x as T);
    }
    return out;
  },
  maxPositionals(pos: readonly string[], n: number, cmd: string): void {
    if (pos.length > n) throw new UsageError(`unexpected argument '${pos[n]}' for '${cmd}'`, cmd);
  },
  requiredPositional(pos: readonly string[], i: number, what: string, cmd: string): string {
    if (pos[i] === undefined) throw new UsageError(`'${cmd}' needs ${what}`, cmd);
    return pos[i];
  },
};

/** Every command takes --help; commands that print progress also take --quiet (QUIET_OPTION). */
export const COMMON_OPTIONS: ParseArgsOptionsConfig = {
  help: { type: 'boolean', short: 'h' },
};
export const QUIET_OPTION: ParseArgsOptionsConfig = { quiet: { type: 'boolean', short: 'q' } };
