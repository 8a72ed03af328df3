/** The terminal report (the default of `cma-sim run`): aligned plain-text tables. */
import { printable } from '../text/escape.ts';
import { textTable } from '../text/table.ts';
import type { RunData } from './runData.ts';
import { reportSections, type SectionOptions } from './sections.ts';

export function textReport(data: RunData, opts: SectionOptions = {}): string {
  const s = reportSections(data, opts);
  return [[printable(s.title), ...s.lines.map(printable)].join('\n'), ...s.tables.map(textTable)].join('\n\n') + '\n';
}
