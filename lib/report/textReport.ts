/** The terminal report (the default of `cma-sim run`): aligned plain-text tables. */
import { printable } from '../text/escape.ts';
import { textTable } from '../text/table.ts';
import type { RunData } from './runData.ts';
import { reportSections, type SectionOptions } from './sections.ts';

/** `width`: the terminal's columns; wider tables are split into column groups (unlimited by default). */
export function textReport(data: RunData, opts: SectionOptions & { readonly width?: number } = {}): string {
  const s = reportSections(data, opts);
  return [[printable(s.title), ...s.lines.map(printable)].join('\n'), ...s.tables.map((t) => textTable(t, opts.width))].join('\n\n') + '\n';
}
