/**
 * A device-tree node as both input forms (DTS text, JSON) read it, before the kernel's
 * reserved-memory rules are applied. Each property and node keeps where it was written so the
 * rule checks can point at it.
 */
import { ConfigError, type ConfigSource } from './ConfigError.ts';

export type DtWhere = { readonly line: number; readonly column: number } | { readonly path: string };

export type DtChunk = { readonly t: 'str'; readonly v: string } | { readonly t: 'cells'; readonly v: readonly number[] };

export interface DtProp {
  readonly name: string;
  /** Empty for a boolean property (`reusable;`). Several chunks are concatenated, as dtc does. */
  readonly chunks: readonly DtChunk[];
  readonly where: DtWhere;
}

export interface DtNode {
  readonly name: string;
  readonly props: readonly DtProp[];
  readonly children: readonly DtNode[];
  readonly where: DtWhere;
}

export function dtFail(source: ConfigSource, where: DtWhere, token: string, expected: string, problem?: string): never {
  throw new ConfigError({ source, ...where, token, expected, ...(problem !== undefined && { problem }) });
}

export function prop(node: DtNode, name: string): DtProp | undefined {
  return node.props.find((p) => p.name === name);
}

/** All u32 cells of a property; strings in it are an error. */
export function cellsOf(p: DtProp): number[] {
  const out: number[] = [];
  for (const c of p.chunks) {
    if (c.t !== 'cells') dtFail('reserved-memory', p.where, p.name, `'${p.name}' to hold cells (<...>), not strings`);
    out.push(...c.v);
  }
  return out;
}

export function stringsOf(p: DtProp): string[] {
  return p.chunks.map((c) => {
    if (c.t !== 'str') return dtFail('reserved-memory', p.where, p.name, `'${p.name}' to hold strings, not cells`);
    return c.v;
  });
}

/** Big-endian cells to one number (dt_mem_next_cell); above 2^53 - 1 is refused. */
export function cellsValue(cells: readonly number[], p: DtProp): number {
  let v = 0;
  for (const c of cells) v = v * 2 ** 32 + c;
  if (!Number.isSafeInteger(v)) dtFail('reserved-memory', p.where, p.name, `'${p.name}' value below 2^53`, `'${p.name}' value exceeds 2^53 - 1`);
  return v;
}

export const U32_MAX = 0xffffffff;

/**
 * How deep nodes may nest below reserved-memory. The kernel reads only its direct children, and
 * dtc limits nothing, but a bound keeps a hostile file from exhausting the stack.
 */
export const MAX_DT_DEPTH = 32;
