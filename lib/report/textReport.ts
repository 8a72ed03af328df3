/** The terminal report (the default of `cma-sim run`): aligned plain-text tables. */
import { printable } from './escape.ts';
import type { RunData } from './runData.ts';
import { reportSections, type SectionOptions, type Table } from './sections.ts';
import { maxOf } from './minMax.ts';

/** Display width: code points, so 'µs' and '×' count as one column. */
function width(s: string): number {
  return [...s].length;
}

function pad(s: string, w: number, right: boolean): string {
  const fill = ' '.repeat(Math.max(0, w - width(s)));
  return right ? fill + s : s + fill;
}

export function textTable(t: Table): string {
  const cells = [t.headers, ...t.rows].map((r) => r.map(printable));
  const widths = t.headers.map((_, j) => maxOf(cells.map((r) => width(r[j])))!);
  const line = (r: readonly string[]) => r.map((c, j) => pad(c, widths[j], t.right[j])).join('  ').trimEnd();
  const out = [printable(t.title), line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)];
  if (t.rows.length === 0) out.push('(none)');
  if (t.note) out.push(printable(t.note));
  return out.join('\n');
}

export function textReport(data: RunData, opts: SectionOptions = {}): string {
  const s = reportSections(data, opts);
  return [[printable(s.title), ...s.lines.map(printable)].join('\n'), ...s.tables.map(textTable)].join('\n\n') + '\n';
}
