/**
 * The original series' mapping rules (cma_map_param_parse() and __cma_where_from()):
 *
 *   map     ::= [ rule { ';' rule } [ ';' ] ]
 *   rule    ::= pattern { ',' pattern } '=' REGION { ',' REGION }
 *   pattern ::= DEVPAT [ '/' KINDPAT ] | '/' KINDPAT
 *
 * Rules are separated by ';' only: ',' already separates patterns and regions inside a rule, so
 * `a=x,b=y` could be one rule or two. In a pattern, '?' matches one character and a '*' (last
 * character only: the series' matcher ignores anything after it) matches the rest.
 */
import { NAME_CHAR } from './cmaRegions.ts';
import { atEnd, columnAt, fail, peek, reject, scanner, takeWhile, type Scanner } from './scanner.ts';
import type { MapPattern, MapRule } from './types.ts';

const PATTERN_CHAR = /[A-Za-z0-9_.:?*-]/;

/** Columns of each rule's region names, for "unknown region" errors found later. */
export interface MapSites {
  readonly rules: MapRule[];
  readonly regionColumns: number[][];
}

export function parseCmaMap(text: string): MapRule[] {
  return parseMapAt(scanner('cma_map', text)).rules;
}

export function parseMapAt(s: Scanner): MapSites {
  const rules: MapRule[] = [];
  const regionColumns: number[][] = [];
  while (!atEnd(s)) {
    const patterns: MapPattern[] = [];
    let patternText = '';
    for (;;) {
      const at = s.pos;
      patterns.push(parsePattern(s));
      patternText = s.text.slice(at, s.pos);
      if (peek(s) !== ',') break;
      s.pos++;
    }
    if (peek(s) !== '=') fail(s, `'=' after pattern '${patternText}'`);
    s.pos++;
    const regions: string[] = [];
    const cols: number[] = [];
    for (;;) {
      cols.push(columnAt(s, s.pos));
      const name = takeWhile(s, NAME_CHAR);
      if (!name) fail(s, regions.length ? "a region name after ','" : "a region name after '='");
      regions.push(name);
      if (peek(s) !== ',') break;
      s.pos++;
    }
    rules.push({ patterns, regions });
    regionColumns.push(cols);
    if (atEnd(s)) break;
    if (peek(s) !== ';') fail(s, `';' or end of value after region '${regions[regions.length - 1]}'`);
    s.pos++;
  }
  return { rules, regionColumns };
}

function parsePattern(s: Scanner): MapPattern {
  let device: string | null = null;
  if (peek(s) !== '/') {
    device = patternPart(s, 'a device pattern or \'/\'');
  }
  let kind: string | null = null;
  if (peek(s) === '/') {
    s.pos++;
    kind = patternPart(s, `a kind pattern after '${device ?? ''}/'`);
  }
  return { device, kind };
}

function patternPart(s: Scanner, what: string): string {
  const at = s.pos;
  const part = takeWhile(s, PATTERN_CHAR);
  if (!part) fail(s, what);
  const star = part.indexOf('*');
  if (star >= 0 && star !== part.length - 1) reject(s, at + star, part, `'*' must be the last character of pattern '${part}'`);
  return part;
}
