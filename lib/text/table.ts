/**
 * The one plain-text table renderer: columns padded to their widest cell (numbers right-aligned),
 * a rule under the header, every cell made printable so data cannot break a row or reach the
 * terminal as control characters. Given a width (the terminal's `COLUMNS`), a table too wide for
 * it is split into column groups, each repeating the first (key) column, so no cell is cut.
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

const GAP = 2;

/**
 * Column indexes in groups whose rendered width fits `maxWidth`; every group after the first
 * starts with column 0. A column wider than the room beside the key still gets a group of its
 * own (it overflows rather than being cut).
 */
function columnGroups(widths: readonly number[], maxWidth: number): number[][] {
  const total = widths.reduce((s, w) => s + w, 0) + GAP * (widths.length - 1);
  if (total <= maxWidth || widths.length <= 2) return [widths.map((_, j) => j)];
  const groups: number[][] = [];
  let group = [0];
  let used = widths[0];
  for (let j = 1; j < widths.length; j++) {
    if (group.length > 1 && used + GAP + widths[j] > maxWidth) {
      groups.push(group);
      group = [0];
      used = widths[0];
    }
    group.push(j);
    used += GAP + widths[j];
  }
  groups.push(group);
  return groups;
}

/**
 * Lines joined by \n, no trailing newline. An empty table says `(none)` under its header.
 * `maxWidth` (default: unlimited) splits a wider table into column groups separated by a blank line.
 */
export function textTable(t: Table, maxWidth = Infinity): string {
  const cells = [t.headers, ...t.rows].map((r) => r.map(printable));
  const widths = t.headers.map(() => 0);
  for (const r of cells) r.forEach((c, j) => { widths[j] = Math.max(widths[j], width(c)); });
  const blocks = columnGroups(widths, maxWidth).map((cols) => {
    const line = (r: readonly string[]) => cols.map((j) => pad(r[j], widths[j], t.right[j])).join(' '.repeat(GAP)).trimEnd();
    const out = [line(cells[0]), cols.map((j) => '-'.repeat(widths[j])).join(' '.repeat(GAP)), ...cells.slice(1).map(line)];
    if (t.rows.length === 0) out.push('(none)');
    return out.join('\n');
  });
  return [
    ...(t.title !== undefined ? [printable(t.title)] : []),
    blocks.join('\n\n'),
    ...(t.note ? [printable(t.note)] : []),
  ].join('\n');
}
