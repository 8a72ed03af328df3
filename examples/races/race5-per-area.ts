/**
 * Race 5 under 'per-area' locking (6.15+): the release only takes the area's bitmap lock briefly,
 * so whichever order the explorer picks, the allocation waits far less than under 'series'
 * (race5.ts). Both orders are correct.
 */
import { race5 } from './race5Kit.ts';

export const race = race5('per-area');
