/**
 * The reserved-memory node as JSON: the object's keys are its properties and child nodes.
 *   true                -> empty property (`reusable;`)
 *   "text" / ["a","b"]  -> string(s) (`compatible = "shared-dma-pool";`)
 *   42 / [0, 42]        -> u32 cell(s) (`size = <0 42>;`, sized by #address-cells/#size-cells)
 *   { ... }             -> child node
 * A JSON text is parsed first; its syntax errors become ConfigError too. Throws ConfigError.
 */
import { ConfigError } from './ConfigError.ts';
import { MAX_DT_DEPTH, U32_MAX, type DtChunk, type DtNode, type DtProp } from './dtTree.ts';
import { reservedMemoryAreas } from './reservedMemory.ts';
import type { DtArea, DtOptions } from './types.ts';

const fail = (path: string, token: string, expected: string): never => {
  throw new ConfigError({ source: 'dt_json', path, token, expected });
};

const key = (path: string, k: string): string => (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`);
/** A key as the JSON text spells it (`a\nb` for a key holding a newline), as the path shows it too. */
const keyText = (k: string): string => JSON.stringify(k).slice(1, -1);

function show(v: unknown): string {
  let s: string;
  try {
    s = JSON.stringify(v) ?? String(v);
  } catch {
    // A container nested deeper than JSON.stringify's stack: named, not printed.
    return Array.isArray(v) ? 'an array' : 'an object';
  }
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}

function cell(v: unknown, path: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > U32_MAX) fail(path, show(v), 'a u32 cell (integer 0..4294967295)');
  return v as number;
}

function toProp(name: string, v: unknown, path: string): DtProp {
  const where = { path };
  let chunks: DtChunk[];
  if (v === true) chunks = [];
  else if (typeof v === 'string') chunks = [{ t: 'str', v }];
  else if (typeof v === 'number') chunks = [{ t: 'cells', v: [cell(v, path)] }];
  else if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string')) chunks = (v as string[]).map((s) => ({ t: 'str', v: s }));
  else if (Array.isArray(v)) chunks = [{ t: 'cells', v: v.map((x, i) => cell(x, `${path}[${i}]`)) }];
  else return fail(path, show(v), `true, a string, a string array, a cell number or a cell array for property '${name}'`);
  return { name, chunks, where };
}

function toNode(name: string, obj: Record<string, unknown>, path: string, depth = 0): DtNode {
  if (depth > MAX_DT_DEPTH) fail(path, keyText(name), `at most ${MAX_DT_DEPTH} levels of nested nodes`);
  const props: DtProp[] = [];
  const children: DtNode[] = [];
  for (const [k, v] of Object.entries(obj)) {
    const p = key(path, k);
    if (!/^[A-Za-z0-9,._+#?@-]+$/.test(k)) fail(p, keyText(k), 'a device-tree property or node name');
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) children.push(toNode(k, v as Record<string, unknown>, p, depth + 1));
    else props.push(toProp(k, v, p));
  }
  return { name, props, children, where: { path } };
}

export function parseDtJsonTree(input: unknown): DtNode {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input);
    } catch (e) {
      const m = /position (\d+)/.exec((e as Error).message);
      throw new ConfigError({
        source: 'dt_json',
        ...(m ? { column: Number(m[1]) + 1 } : {}),
        token: m ? input.slice(Number(m[1]), Number(m[1]) + 1) : '',
        expected: 'valid JSON',
        problem: `invalid JSON: ${(e as Error).message.split('\n')[0]}`,
      });
    }
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return fail('$', show(value), 'an object: the reserved-memory node');
  return toNode('reserved-memory', value as Record<string, unknown>, '$');
}

export function parseReservedMemoryJson(input: unknown, opts: DtOptions = {}): DtArea[] {
  return reservedMemoryAreas(parseDtJsonTree(input), opts);
}
