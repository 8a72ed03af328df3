/**
 * DT areas back to the two input forms; parseReservedMemoryDts/Json read them back to the same
 * areas (with the same geometry). Values are split into big-endian u32 cells.
 */
import { hex } from './memparse.ts';
import type { DtArea } from './types.ts';

export interface DtPrintOptions {
  readonly addressCells?: number;
  readonly sizeCells?: number;
}

function toCells(v: number, n: number): number[] {
  const out: number[] = [];
  let rest = v;
  for (let i = 0; i < n; i++) {
    out.unshift(rest % 2 ** 32);
    rest = Math.floor(rest / 2 ** 32);
  }
  if (rest !== 0) throw new RangeError(`value ${hex(v)} does not fit in ${n} cell(s)`);
  return out;
}

/** Properties of one area as [name, value] with value true | string[] | cells. */
function areaProps(a: DtArea, ac: number, sc: number): [string, true | string[] | number[]][] {
  const out: [string, true | string[] | number[]][] = [];
  if (a.compatible.length) out.push(['compatible', [...a.compatible]]);
  if (a.base !== undefined) out.push(['reg', [...toCells(a.base, ac), ...toCells(a.size, sc)]]);
  else {
    out.push(['size', toCells(a.size, sc)]);
    if (a.alignment !== undefined) out.push(['alignment', toCells(a.alignment, ac)]);
    if (a.allocRanges) out.push(['alloc-ranges', a.allocRanges.flatMap((r) => [...toCells(r.base, ac), ...toCells(r.size, sc)])]);
  }
  if (a.reusable) out.push(['reusable', true]);
  if (a.noMap) out.push(['no-map', true]);
  if (a.default) out.push(['linux,cma-default', true]);
  return out;
}

export function printReservedMemoryDts(areas: readonly DtArea[], o: DtPrintOptions = {}): string {
  const ac = o.addressCells ?? 2;
  const sc = o.sizeCells ?? 2;
  const lines = ['reserved-memory {', `\t#address-cells = <${ac}>;`, `\t#size-cells = <${sc}>;`, '\tranges;'];
  for (const a of areas) {
    lines.push('', `\t${a.name} {`);
    for (const [name, v] of areaProps(a, ac, sc)) {
      if (v === true) lines.push(`\t\t${name};`);
      else if (name === 'compatible') lines.push(`\t\t${name} = ${(v as string[]).map((s) => JSON.stringify(s)).join(', ')};`);
      else lines.push(`\t\t${name} = <${(v as number[]).map(hex).join(' ')}>;`);
    }
    lines.push('\t};');
  }
  lines.push('};', '');
  return lines.join('\n');
}

export function printReservedMemoryJson(areas: readonly DtArea[], o: DtPrintOptions = {}): Record<string, unknown> {
  const ac = o.addressCells ?? 2;
  const sc = o.sizeCells ?? 2;
  const out: Record<string, unknown> = { '#address-cells': ac, '#size-cells': sc, ranges: true };
  for (const a of areas) out[a.name] = Object.fromEntries(areaProps(a, ac, sc));
  return out;
}
