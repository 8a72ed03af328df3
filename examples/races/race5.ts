/**
 * Race 5: a free racing an allocation, under the series' single mutex. Expected: both orders are
 * correct (invariants hold, the allocation succeeds, the release completes) and give two
 * different allocation latencies: when the free wins, the allocation also waits for the whole
 * cm_free. Compare race5-per-area.ts, where the two barely wait for each other.
 */
import { race5 } from './race5Kit.ts';

export const race = race5('series');
