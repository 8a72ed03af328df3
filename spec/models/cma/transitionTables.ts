/**
 * Test helpers (not a spec) for the CMA transition tables (models/cma/advance.ts): a table read
 * back as "status event" -> the statuses it may lead to, from the code or from a README table,
 * so a spec can require the two to be the same.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';

type AnyTable = Readonly<Record<string, Readonly<Record<string, { readonly to: readonly string[] } | undefined>>>>;

/** "status event" -> the sorted statuses the row leads to. */
export function rowsOf(table: AnyTable): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [status, row] of Object.entries(table)) for (const [event, t] of Object.entries(row)) out[`${status} ${event}`] = [...t!.to].sort();
  return out;
}

/**
 * The README's table between the first `from` and the next `to` after it, read the same way: each
 * line `| status(es) | event | next statuses |` names its statuses and event in backquotes; in the
 * last cell only the names that are statuses of `table` count (the rest is commentary).
 */
export function readmeRowsOf(table: AnyTable, from: string, to: string): Record<string, string[]> {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const start = readme.indexOf(from);
  expect(start, from).to.be.at.least(0);
  const section = readme.slice(start, readme.indexOf(to, start));
  const names = (cell: string): string[] => [...cell.matchAll(/`([a-z.-]+)`/g)].map((m) => m[1]);
  const out: Record<string, string[]> = {};
  for (const line of section.split('\n').filter((l) => l.startsWith('| `'))) {
    const [status, event, next] = line.split('|').slice(1, 4);
    const leadsTo = names(next).filter((x) => Object.hasOwn(table, x)).sort();
    for (const st of names(status)) out[`${st} ${names(event)[0]}`] = leadsTo;
  }
  return out;
}

/** Every status but the `ends` accepts some event, and every status a row leads to has a row. */
export function expectClosed(table: AnyTable, ends: readonly string[]): void {
  for (const [status, row] of Object.entries(table)) {
    const ts = Object.values(row);
    expect(ts.length > 0, status).to.equal(!ends.includes(status));
    for (const t of ts) for (const to of t!.to) expect(table, `${status} -> ${to}`).to.have.property(to);
  }
}
