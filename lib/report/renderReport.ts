/** The report formats by name, as the command line offers them (`--format`), and their file names. */
import { csvReport } from './csvReport.ts';
import { htmlReport } from './htmlReport.ts';
import { jsonReport } from './jsonReport.ts';
import { markdownReport } from './markdownReport.ts';
import { perfettoTrace } from './perfettoTrace.ts';
import type { RunData } from './runData.ts';
import { textReport } from './textReport.ts';

export const REPORT_FORMATS = ['text', 'md', 'json', 'csv', 'html', 'perfetto'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const RENDER: { readonly [F in ReportFormat]: (d: RunData, width?: number) => string } = {
  text: (d, width) => textReport(d, { width }), md: (d) => markdownReport(d), json: jsonReport, csv: csvReport, html: htmlReport, perfetto: perfettoTrace,
};

/** File name of each format inside an `--out` directory. */
export const REPORT_FILE: { readonly [F in ReportFormat]: string } = {
  text: 'report.txt', md: 'report.md', json: 'report.json', csv: 'requests.csv', html: 'report.html', perfetto: 'trace.perfetto.json',
};

export function isReportFormat(s: string): s is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(s);
}

/** Pure: the same RunData always renders to the same string. `width` (text only): the terminal's columns. */
export function renderReport(data: RunData, format: ReportFormat, width?: number): string {
  return RENDER[format](data, width);
}
