import { defineScenario } from '../../../lib/scenario/index.ts';

/**
 * A small board under a parallel build (issue 12; the GCMA setup of reference §7 in shape):
 * 800 MiB of RAM, 256 MiB of CMA, background churn of file reads and writes and short-lived
 * compiler memory, CMA requests of 64 to 8192 pages, 5 simulated minutes.
 */
export default defineScenario({
  name: 'bench: small board, 800 MiB, 256 MiB CMA, build churn',
  seed: 1,
  until: '300s',
  machine: { ram: '800M' },
  cma: { lockMode: 'per-area', areas: [{ name: 'cma', size: '256M', default: true }] },
  workload: [
    { generator: 'pagecache', name: 'build-io', rate: 800, files: 400, fileSize: '2M', readahead: [4, 32], dirty: 0.3 },
    { generator: 'memory', name: 'cc1', rate: 300, kind: 'movable', order: [0, 3], hold: ['50ms', '2s'] },
    { generator: 'memory', name: 'slab', rate: 40, kind: 'unmovable', order: [0, 1], hold: ['100ms', '10s'] },
    { generator: 'poisson', name: 'requests', rate: 0.4, alloc: { requester: 'bench', areas: ['cma'], size: ['256K', '32M'], hold: ['100ms', '1s'] } },
  ],
});
