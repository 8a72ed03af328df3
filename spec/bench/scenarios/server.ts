import { defineScenario } from '../../../lib/scenario/index.ts';

/**
 * A server (issue 12): 64 GiB with three 10 GiB hugetlb CMA areas (hugetlb_cma) lent to movable
 * memory, then three concurrent 10 GiB allocations, one per area (gigantic pages for a VM).
 */
export default defineScenario({
  name: 'bench: server, 64 GiB, three 10 GiB hugetlb areas',
  seed: 1,
  until: '60s',
  machine: { ram: '64G' },
  cma: {
    lockMode: 'per-area',
    areas: [{ name: 'hugetlb0', size: '10G', default: true }, { name: 'hugetlb1', size: '10G' }, { name: 'hugetlb2', size: '10G' }],
  },
  workload: [
    // ~40 GiB of anonymous folios (orders 4..9) and ~2 GiB of page cache over 20 s, then the VMs start.
    { generator: 'memory', name: 'anon', rate: 3000, stop: '20s', kind: 'movable', order: [4, 9] },
    { generator: 'pagecache', name: 'files', rate: 500, stop: '20s', files: 32, fileSize: '2G', readahead: [32, 64] },
    ...[0, 1, 2].map((i) => ({ generator: 'periodic' as const, name: `vm${i}`, start: '20s' as const, count: 1, period: '1s' as const, alloc: { requester: `vm${i}`, areas: [`hugetlb${i}`], size: '10G' as const, align: 18 } })),
  ],
});
