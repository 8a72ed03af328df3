import type { RunSummary } from '../scenario/runScenario.ts';
import { InputError } from './errors.ts';
import { summaryText } from './summary.ts';

export const FORMATS = ['text', 'md', 'json', 'html', 'perfetto', 'ftrace', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

/** File name of each format inside --out. */
export const FORMAT_FILES: Readonly<Record<Format, string>> = {
  text: 'report.txt', md: 'report.md', json: 'report.json', html: 'report.html', perfetto: 'trace.perfetto.json', ftrace: 'trace.txt', csv: 'requests.csv',
};

export interface RenderInput {
  readonly summary: RunSummary;
}

/**
 * The one adapter between a finished run and the report formats. Formats whose renderer has
 * not landed are refused up front (exit 2) rather than producing an empty file.
 */
const RENDERERS: Partial<Record<Format, (r: RenderInput) => string>> = {
  text: (r) => summaryText(r.summary),
  json: (r) => JSON.stringify({ schema: 'cma-sim-summary/1', ...r.summary }, null, 2) + '\n',
};

export function checkFormatsAvailable(formats: readonly Format[]): void {
  const missing = formats.filter((f) => !RENDERERS[f]);
  if (missing.length) throw new InputError(`--format ${missing.join(',')}: not available in this build yet (available: ${Object.keys(RENDERERS).join(', ')})`);
}

export function render(format: Format, input: RenderInput): string {
  const r = RENDERERS[format];
  if (!r) throw new InputError(`--format ${format}: not available in this build yet`);
  return r(input);
}
