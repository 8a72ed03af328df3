import { readFileSync } from 'node:fs';
import { MIN_KEY_BYTES } from '../history/index.ts';
import { InputError, UsageError } from './errors.ts';
import { cannotRead } from '../io/cannotRead.ts';

/** `--key` of run, replay and report: one declaration and one help line, read by readLogKey. */
export const KEY_OPTION = { key: { type: 'string' } } as const;
export const KEY_HELP = ['--key env:NAME|file:PATH', 'the secret of a keyed log: run --out chains log.jsonl with an HMAC under it (tamper-evident); replay and report need the same key, and then refuse an unkeyed log'] as const;

/**
 * The secret of `--key`: `env:NAME` (an environment variable) or `file:PATH` (the file's bytes,
 * one trailing newline dropped). A key written on the command line itself would show in `ps` and
 * in shell history, so it is refused.
 */
export function readLogKey(spec: unknown, env: NodeJS.ProcessEnv = process.env): Uint8Array | undefined {
  if (spec === undefined) return undefined;
  const s = String(spec);
  let key: Buffer;
  if (s.startsWith('env:')) {
    const v = env[s.slice(4)];
    if (v === undefined || v === '') throw new InputError(`--key ${s}: the environment variable is not set`);
    key = Buffer.from(v, 'utf8');
  } else if (s.startsWith('file:')) {
    try {
      key = readFileSync(s.slice(5));
    } catch (e) {
      throw new InputError(`--key ${s}: ${cannotRead(e)}`);
    }
    const n = key.length - (key[key.length - 1] === 0x0a ? (key[key.length - 2] === 0x0d ? 2 : 1) : 0);
    key = key.subarray(0, n);
  } else {
    throw new UsageError("--key: expected env:NAME or file:PATH (a key typed on the command line would show in ps and shell history)");
  }
  if (key.length < MIN_KEY_BYTES) throw new InputError(`--key ${s}: a key needs at least ${MIN_KEY_BYTES} bytes, got ${key.length}`);
  return key;
}
