import { importTrace } from '../../lib/trace/importTrace.ts';
import { fixtureText } from '../lib/trace/fixtures.ts';

/** Import of the real 3.3 MB 6.1 trace (boot-and-hugetlb-1), best of five, in ms. */
export function benchTraceImport(): { importMs: number; lines: number } {
  const text = fixtureText('boot-and-hugetlb-1', 'trace.txt');
  let best = Infinity;
  for (let i = 0; i < 5; i++) {
    const t0 = process.hrtime.bigint();
    importTrace(text);
    best = Math.min(best, Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { importMs: Math.round(best), lines: text.split('\n').length };
}
