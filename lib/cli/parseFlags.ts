import { parseDuration } from '../text/duration.ts';
import { UsageError } from './errors.ts';

export interface FlagSpec {
  readonly [flag: string]: 'int' | 'duration' | 'string' | 'bool';
}

/** `--flag value` / `--flag=value` / `--bool` parsing with one-line errors naming the token. */
export function parseFlags(argv: readonly string[], spec: FlagSpec): { positional: string[]; flags: Record<string, string | number | boolean> } {
  const positional: string[] = [];
  const flags: Record<string, string | number | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const t = argv[i];
    if (!t.startsWith('--')) { positional.push(t); continue; }
    const eq = t.indexOf('=');
    const name = eq < 0 ? t.slice(2) : t.slice(2, eq);
    const kind = spec[name];
    if (!kind) throw new UsageError(`unknown option '--${name}' (expected one of: ${Object.keys(spec).map((k) => `--${k}`).join(', ')})`);
    if (kind === 'bool') { flags[name] = true; continue; }
    const v = eq >= 0 ? t.slice(eq + 1) : argv[++i];
    if (v === undefined) throw new UsageError(`--${name}: expected a value`);
    if (kind === 'int') {
      if (!/^\d+$/.test(v)) throw new UsageError(`--${name}: expected a non-negative integer, got '${v}'`);
      flags[name] = Number(v);
    } else if (kind === 'duration') {
      const d = parseDuration(v);
      if (d === null) throw new UsageError(`--${name}: expected a duration such as 5us or 0, got '${v}'`);
      flags[name] = d;
    } else {
      flags[name] = v;
    }
  }
  return { positional, flags };
}
