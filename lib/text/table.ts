/**
 * The one plain-text table renderer: columns padded to their widest cell (numbers right-aligned),
 * a rule under the header, every cell made printable so data cannot break a row or reach the
 * terminal as control characters.
 */
import { printable } from './escape.ts';

export interface Table {
  /** Printed above the table; none for a bare table. */
  readonly title?: string;
  readonly headers: readonly string[];
  /** true: right-aligned (numbers). */
  readonly right: readonly boolean[];
  readonly rows: readonly (readonly string[])[];
  /** Printed below the table. */
  readonly note?: string;
}

/** Display width: code points, so '×' counts as one column. */
function width(s: string): number {
  return [...s].length;
}

function pad(s: string, w: number, right: boolean): string {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return right ? fill + s : s + fill;
}

/** Lines joined by \n, no trailing newline. An empty table says `(none)` under its header. */
export function textTable(t: Table): string {
  const cells = [t.headers, ...t.rows].map((r) => r.map(printable));
  const widths = t.headers.map(() => 0);
  for (const r of cells) r.forEach((c, j) => { widths[j] = Math.max(widths[j], width(c)); });
  const line = (r: readonly string[]) => r.map((c, j) => pad(c, widths[j], t.right[j])).join('  ').trimEnd();
  const out = [
    ...(t.title !== undefined ? [printable(t.title)] : []),
    line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line),
  ];
  if (t.rows.length === 0) out.push('(none)');
  if (t.note) out.push(printable(t.note));
  return out.join('\n');
}
