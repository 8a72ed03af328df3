/**
 * Race 3, teaching variant: `allocator: 'bitmap-reserve-after'` (models/cma/allocators) marks the
 * bitmap only after alloc_contig_range succeeded, as a naive implementation would. The second
 * request searches while the first is migrating, finds the same bits clear and claims the same
 * range: the explorer reports the double claim and `replay --shrink` cuts the trace to the
 * minimum. (The page allocator still saves the day: test_pages_isolated fails for the loser, which
 * retries, so no page is handed out twice; the cost is wasted migration and -EBUSY retries.)
 */
import { race3 } from './race3Kit.ts';

export const race = race3('bitmap-reserve-after');
