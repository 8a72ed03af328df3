/**
 * Example 2 -- GUI surfaces fragmenting a region. The third FIMC of the S5PV210 does GUI work:
 * many small, short-lived surface allocations (icons, glyph caches, windows) in its own region,
 * and now and then a full-screen 1024x768 ARGB buffer that needs one large free chunk. The same
 * workload (same seed, same requests) runs over the three allocators of the series and mainline:
 * best-fit (the series' default), first-fit (the 2011 genalloc pool) and bitmap (mainline).
 */
import { defineScenario, type Scenario } from '../lib/scenario/index.ts';
import { areaFree, MS, ms, quantile, requests, runExample, summarize, table, runIfMain } from './exampleRun.ts';

export const ALLOCATORS = ['best-fit', 'first-fit', 'bitmap'] as const;
export type AllocatorName = (typeof ALLOCATORS)[number];

export function build(allocator: AllocatorName): Scenario {
  return defineScenario({
    name: `02-gui-fragmentation-${allocator}`,
    description: 'FIMC2 GUI surfaces: many small allocations plus periodic full-screen buffers in one private region',
    seed: 2,
    until: '3s',
    machine: { ram: '256M' },
    cma: { areas: [{ name: 'gui', size: '24M', private: true, allocator }] },
    devices: [{ name: 'fimc2', kinds: { '*': 'gui' } }],
    workload: [
      { name: 'surfaces', generator: 'poisson', rate: 150, alloc: { device: 'fimc2', areas: 'gui', size: ['8K', '640K'], hold: ['50ms', '600ms'] } },
      { name: 'fullscreen', generator: 'periodic', period: '60ms', start: '500ms', alloc: { device: 'fimc2', areas: 'gui', size: '3M', hold: '40ms' } },
    ],
  });
}

export const scenarios: Readonly<Record<AllocatorName, Scenario>> = {
  'best-fit': build('best-fit'), 'first-fit': build('first-fit'), bitmap: build('bitmap'),
};
export const scenario = scenarios['best-fit'];

export interface AllocatorOutcome {
  readonly allocator: AllocatorName;
  readonly requests: number;
  readonly failed: number;
  readonly fullscreenFailed: number;
  /** Largest free chunk, sampled every 10 ms from 0.5 s on: the worst and the median (pages). */
  readonly minMaxChunk: number;
  readonly medianMaxChunk: number;
  /** Samples where enough pages were free for a full-screen buffer but no chunk was large enough. */
  readonly fragmentedSamples: number;
  readonly samples: number;
  readonly p50: number;
  readonly p99: number;
}

const FULLSCREEN_PAGES = 768;

export function outcome(allocator: AllocatorName): AllocatorOutcome {
  const chunks: number[] = [];
  let fragmented = 0;
  const run = runExample(scenarios[allocator], {
    sample: {
      every: 10 * MS,
      fn: (st, now) => {
        if (now < 500 * MS) return;
        const f = areaFree(st, 'gui');
        chunks.push(f.maxChunk);
        if (f.free >= FULLSCREEN_PAGES && f.maxChunk < FULLSCREEN_PAGES) fragmented++;
      },
    },
  });
  const rs = requests(run.state);
  const s = summarize(rs);
  chunks.sort((a, b) => a - b);
  return {
    allocator, requests: s.count, failed: s.failed,
    fullscreenFailed: rs.filter((r) => r.count === FULLSCREEN_PAGES && r.status === 'failed').length,
    minMaxChunk: chunks[0] ?? 0, medianMaxChunk: quantile(chunks, 0.5), fragmentedSamples: fragmented, samples: chunks.length,
    p50: quantile(s.latencyNs, 0.5), p99: quantile(s.latencyNs, 0.99),
  };
}

export function report(rows: readonly AllocatorOutcome[]): string {
  return [
    'Same GUI workload over a 24 MiB private region (6144 pages); full-screen buffers need 768 contiguous pages:',
    table([
      ['allocator', 'requests', 'failed', 'full-screen failed', 'largest free (worst)', 'largest free (median)', 'fragmented', 'latency p50', 'p99'],
      ...rows.map((r) => [
        r.allocator, r.requests, r.failed, r.fullscreenFailed, `${r.minMaxChunk} pages`, `${r.medianMaxChunk} pages`,
        `${r.fragmentedSamples}/${r.samples}`, ms(r.p50), ms(r.p99),
      ]),
    ]),
    "'fragmented': 10 ms samples with >= 768 free pages but no free chunk that large.",
  ].join('\n');
}

export function main(): void {
  console.log(report(ALLOCATORS.map(outcome)));
}

runIfMain(import.meta.url, main);
