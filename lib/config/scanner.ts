import { ConfigError, type ConfigSource } from './ConfigError.ts';

/**
 * A position in one parameter value. `columns[i]` is the 1-based column of text[i] in the
 * caller's input (a value cut out of a whole command line keeps the line's columns).
 */
export interface Scanner {
  readonly source: ConfigSource;
  readonly text: string;
  pos: number;
  readonly columns: readonly number[];
}

export function scanner(source: ConfigSource, text: string, firstColumn = 1, columns?: readonly number[]): Scanner {
  return { source, text, pos: 0, columns: columns ?? Array.from({ length: text.length + 1 }, (_, i) => firstColumn + i) };
}

export function columnAt(s: Scanner, i: number): number {
  if (i < s.columns.length) return s.columns[i];
  const last = s.columns.length - 1;
  return s.columns[last] + (i - last);
}

export function peek(s: Scanner): string {
  return s.pos < s.text.length ? s.text[s.pos] : '';
}

export function atEnd(s: Scanner): boolean {
  return s.pos >= s.text.length;
}

/** The offending token at `at`: a run of word characters, or the single character. */
export function tokenAt(s: Scanner, at: number): string {
  if (at >= s.text.length) return '';
  const m = /^[A-Za-z0-9_.+-]+/.exec(s.text.slice(at, at + 40));
  return m ? m[0] : s.text[at];
}

export function fail(s: Scanner, expected: string, at = s.pos, token = tokenAt(s, at)): never {
  throw new ConfigError({ source: s.source, column: columnAt(s, at), token, expected });
}

/** A well-formed value the kernel refuses: names the token and the rule. */
export function reject(s: Scanner, at: number, token: string, problem: string, expected = problem): never {
  throw new ConfigError({ source: s.source, column: columnAt(s, at), token, expected, problem });
}

/** Consume a maximal run of characters from `allowed` (a regex char class body); '' if none. */
export function takeWhile(s: Scanner, allowed: RegExp): string {
  const start = s.pos;
  while (s.pos < s.text.length && allowed.test(s.text[s.pos])) s.pos++;
  return s.text.slice(start, s.pos);
}
