import { childPath } from './jsonPath.ts';

/** Where a value starts in the source text, 1-based. */
export interface SourcePos {
  readonly line: number;
  readonly column: number;
}

/** A JSON syntax error with its line and column (JSON.parse in Node 20 reports neither). */
export class JsonSyntaxError extends Error {
  constructor(readonly pos: SourcePos, readonly detail: string) {
    super(`${pos.line}:${pos.column}: ${detail}`);
  }
}

export interface ParsedJson {
  readonly value: unknown;
  /** Position of the value at a JSON path (as `childPath` prints it); '' is the root. */
  readonly positions: ReadonlyMap<string, SourcePos>;
}

/** A JSON literal or number, matched where the parser stands (sticky: no copy of the rest of the text). */
const LITERAL = /true|false|null|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** Arrays and objects nested deeper than this are refused (a syntax error at the opening bracket). */
export const MAX_JSON_DEPTH = 64;

/**
 * A strict JSON parser (RFC 8259) that remembers where every value starts, so scenario
 * validation can point at `file:line:column` as well as the JSON path. A key is always an own
 * field (`"__proto__"` included: it never sets a prototype), and nesting is bounded, so no input
 * exhausts the stack.
 */
export function parseJsonWithPositions(text: string, maxDepth = MAX_JSON_DEPTH): ParsedJson {
  const positions = new Map<string, SourcePos>();
  let i = 0;
  const lineStarts = [0];
  for (let k = 0; k < text.length; k++) if (text.charCodeAt(k) === 10) lineStarts.push(k + 1);
  const posAt = (at: number): SourcePos => {
    let lo = 0, hi = lineStarts.length - 1;
    while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (lineStarts[mid] <= at) lo = mid; else hi = mid - 1; }
    return { line: lo + 1, column: at - lineStarts[lo] + 1 };
  };
  const fail = (what: string, at = i): never => {
    const got = at >= text.length ? 'end of input' : JSON.stringify(text[at]);
    throw new JsonSyntaxError(posAt(at), `expected ${what}, got ${got}`);
  };
  const ws = () => { while (i < text.length && ' \t\n\r'.includes(text[i])) i++; };
  const eat = (ch: string, what: string) => { ws(); if (text[i] !== ch) fail(what); i++; };

  const parseString = (): string => {
    const start = i;
    if (text[i] !== '"') fail('a string');
    i++;
    for (;;) {
      if (i >= text.length) fail('a closing \'"\'');
      const c = text.charCodeAt(i);
      if (c === 34) break;
      if (c < 32) fail('a character (control characters must be escaped)');
      if (c === 92) {
        const e = text[i + 1];
        if (e === 'u') { if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) fail('4 hex digits after \\u', i + 2); i += 6; continue; }
        if (!'"\\/bfnrt'.includes(e ?? '')) fail('an escape (\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u)', i + 1);
        i += 2;
        continue;
      }
      i++;
    }
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };

  const parseValue = (path: string, depth: number): unknown => {
    ws();
    positions.set(path, posAt(i));
    const c = text[i];
    if ((c === '{' || c === '[') && depth >= maxDepth) throw new JsonSyntaxError(posAt(i), `nesting deeper than ${maxDepth} levels`);
    if (c === '{') {
      i++;
      const obj: Record<string, unknown> = {};
      ws();
      if (text[i] === '}') { i++; return obj; }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('a string key');
        const keyAt = i;
        const key = parseString();
        if (Object.prototype.hasOwnProperty.call(obj, key)) throw new JsonSyntaxError(posAt(keyAt), `duplicate key ${JSON.stringify(key)}`);
        eat(':', "':' after a key");
        const v = parseValue(childPath(path, key), depth + 1);
        // Assignment to '__proto__' would set the prototype; define the field instead.
        if (key === '__proto__') Object.defineProperty(obj, key, { value: v, enumerable: true, writable: true, configurable: true });
        else obj[key] = v;
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === '}') { i++; return obj; }
        fail("',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      const arr: unknown[] = [];
      ws();
      if (text[i] === ']') { i++; return arr; }
      for (;;) {
        arr.push(parseValue(childPath(path, arr.length), depth + 1));
        ws();
        if (text[i] === ',') { i++; continue; }
        if (text[i] === ']') { i++; return arr; }
        fail("',' or ']'");
      }
    }
    if (c === '"') return parseString();
    LITERAL.lastIndex = i;
    const lit = LITERAL.exec(text);
    if (!lit) fail('a JSON value');
    i += lit![0].length;
    return lit![0] === 'true' ? true : lit![0] === 'false' ? false : lit![0] === 'null' ? null : Number(lit![0]);
  };

  const value = parseValue('', 0);
  ws();
  if (i < text.length) fail('end of input');
  return { value, positions };
}
