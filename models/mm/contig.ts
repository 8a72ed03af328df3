/**
 * The contiguous-range API the CMA model builds on (alloc_contig_range's pieces, reference §3).
 * Functions taking a SimDraft mutate it in place (call them from reducers); the others are
 * pure reads that accept a MemoryState or anything holding one (`{ memory }`: SimState or a draft).
 * Ranges are half-open [startPfn, endPfn). Signatures are stable: new things get added, not changed.
 * Only the layers above (models/cma, models/devices, lib) import it; nothing it exports imports it.
 */
import type { Draft } from 'immer';
import type { SimDraft, SimState } from '../state.ts';

export { reserveRange } from '../memory/reserveRange.ts';
export { isolateRange, undoIsolateRange } from './isolateRange.ts';
export { migrateRange } from './migrateRange.ts';
export type { MigrateOptions, MigrationOutcome } from './migrationOutcome.ts';
export { takeRange, releaseRange } from '../memory/takeRange.ts';
export {
  pageblockOf, pageblockRange, migratetypeOf, pageState, freePagesIn, cmaFreePages, cmaTotalPages,
  totalFreePages, zoneCounters, testPagesIsolated, bankOf, freeBlockOf,
} from '../memory/queries.ts';
export type { MemoryLike, PageInfo, ZoneCountersView } from '../memory/queries.ts';
export { filePfns, pagecacheOf, pfnOfFilePage, type PageCacheInfo } from '../pagecache/queries.ts';

export type { Draft, SimDraft, SimState };
