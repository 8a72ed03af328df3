/**
 * The one CSV writer (RFC 4180): CRLF line ends, a header row, fields holding a comma, quote, CR
 * or LF quoted with inner quotes doubled; null is an empty field.
 *
 * Formula injection (OWASP "CSV Injection"): a spreadsheet runs a cell that starts with `=`, `+`,
 * `-`, `@`, tab or CR as a formula, so such a text cell is written as a quoted string with a
 * leading `'`, which spreadsheets show as text. Two kinds of text are left as they are because a
 * spreadsheet cannot run them: a plain number (`-16`, `+1.5`) and a kernel errno name such as
 * `-EBUSY` (a minus and capital letters only: at worst a #NAME? cell). Numbers written as
 * numbers are ours and never guarded.
 */

export type CsvValue = string | number | null;

const FORMULA_START = /^[=+\-@\t\r]/;
const HARMLESS = /^(?:[-+]?\d+(?:\.\d+)?(?:e[-+]?\d+)?|-E[A-Z0-9]+)$/;

export function csvField(v: CsvValue): string {
  if (v === null) return '';
  if (typeof v === 'number') return String(v);
  if (FORMULA_START.test(v) && !HARMLESS.test(v)) return `"'${v.replace(/"/g, '""')}"`;
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** A whole CSV file: the header row, then one line per row, every line ending in CRLF. */
export function csvText(headers: readonly string[], rows: Iterable<readonly CsvValue[]>): string {
  let out = `${headers.map(csvField).join(',')}\r\n`;
  for (const r of rows) out += `${r.map(csvField).join(',')}\r\n`;
  return out;
}
