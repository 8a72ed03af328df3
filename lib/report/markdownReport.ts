/** The Markdown report: the terminal report's tables as GitHub-flavoured pipe tables, every scenario string escaped. */
import { escapeMarkdown } from '../text/escape.ts';
import type { RunData } from './runData.ts';
import { reportSections, type SectionOptions, type Table } from './sections.ts';

function mdTable(t: Table): string {
  const row = (r: readonly string[]) => `| ${r.map(escapeMarkdown).join(' | ')} |`;
  const rule = `|${t.right.map((r) => (r ? ' ---: ' : ' :--- ')).join('|')}|`;
  const body = t.rows.length ? t.rows.map(row) : [`| ${['(none)', ...t.headers.slice(1).map(() => '')].join(' | ')} |`];
  return [`## ${escapeMarkdown(t.title)}`, '', row(t.headers), rule, ...body, ...(t.note ? ['', escapeMarkdown(t.note)] : [])].join('\n');
}

export function markdownReport(data: RunData, opts: SectionOptions = {}): string {
  const s = reportSections(data, opts);
  return [`# ${escapeMarkdown(s.title)}`, s.lines.map((l) => `- ${escapeMarkdown(l)}`).join('\n'), ...s.tables.map(mdTable)].join('\n\n') + '\n';
}
