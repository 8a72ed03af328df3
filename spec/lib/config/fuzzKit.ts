/** Seeded input generators shared by the config fuzz specs (no dependency beyond lib/engine's PRNG). */
import { expect } from 'chai';
import { Rng, seedRng } from '../../../lib/engine/prng.ts';
import { ConfigError } from '../../../lib/config/ConfigError.ts';

export function rng(seed: number): Rng {
  return new Rng(seedRng(seed));
}

export function pick<T>(r: Rng, xs: readonly T[]): T {
  return xs[r.int(0, xs.length - 1)];
}

export function randomString(r: Rng, alphabet: string, maxLen: number): string {
  const n = r.int(0, maxLen);
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[r.int(0, alphabet.length - 1)];
  return s;
}

/** 1-3 edits: insert, delete, replace a character, duplicate or drop a slice. */
export function mutate(r: Rng, s: string, alphabet: string): string {
  let out = s;
  for (let k = r.int(1, 3); k > 0; k--) {
    const i = r.int(0, out.length);
    const c = alphabet[r.int(0, alphabet.length - 1)];
    switch (r.int(0, 4)) {
      case 0: out = out.slice(0, i) + c + out.slice(i); break;
      case 1: out = out.slice(0, i) + out.slice(i + 1); break;
      case 2: out = out.slice(0, i) + c + out.slice(i + 1); break;
      case 3: { const j = r.int(i, out.length); out = out.slice(0, j) + out.slice(i, j) + out.slice(j); break; }
      default: { const j = r.int(i, out.length); out = out.slice(0, i) + out.slice(j); }
    }
  }
  return out;
}

/**
 * Run `parse`, accepting a result or a ConfigError only. A ConfigError's message must be one line
 * that starts with its source. Returns true when it parsed.
 */
export function parsesOrConfigError(parse: () => unknown, input: unknown): boolean {
  try {
    parse();
    return true;
  } catch (e) {
    if (!(e instanceof ConfigError)) {
      expect.fail(`non-ConfigError ${(e as Error)?.name}: ${(e as Error)?.message} for input ${JSON.stringify(input)}`);
    }
    expect(e.message.includes('\n'), e.message).to.equal(false);
    expect(e.message.startsWith(`${e.source}: `), e.message).to.equal(true);
    return false;
  }
}

export const pow2 = (r: Rng, lo: number, hi: number): number => 2 ** r.int(lo, hi);
