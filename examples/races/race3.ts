/**
 * Race 3: two concurrent cma_alloc calls under 'split' locking. Expected: in every ordering the
 * two requests claim disjoint ranges (the bitmap bits are set under the bitmap lock before
 * migration, reference §2 step 4) and both succeed; the outcomes differ only in who gets which range.
 * The broken teaching variant is race3-reserve-after.ts.
 */
import { race3 } from './race3Kit.ts';

export const race = race3('bitmap');
