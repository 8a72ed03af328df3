import type { Costs } from '../timing/costs.ts';
import type { SealCtx } from '../overlay/sealAtCommit.ts';

/** What one migration pass did to the in-use pages of a range. Counts are in pages. */
export interface MigrationOutcome {
  /** Movable pages moved to free pages outside the range. */
  readonly migrated: number;
  /** Clean page-cache pages dropped instead (discardClean). */
  readonly dropped: number;
  /** Pinned pages (short- or long-term): migration fails, retried by the caller. */
  readonly busy: number;
  /** Pages under writeback: not moved in this pass; the caller waits and runs another pass. */
  readonly writeback: number;
  /** When the flusher finishes the last of those pages (ns; 0 when none). */
  readonly writebackDoneAt: number;
  /** Page-cache pages locked under read I/O (just faulted in): not moved in this pass; the caller waits. */
  readonly locked: number;
  /** When the last of those reads completes (ns; 0 when none). */
  readonly lockedDoneAt: number;
  /** Movable pages with no free page to move into (-ENOMEM if it persists). */
  readonly failed: number;
  /** Unmovable, reclaimable-slab or taken pages in the range: they can never move. */
  readonly unmovable: number;
  /** In-use pages left in the range after the pass. */
  readonly remaining: number;
  /** Modelled duration of the pass (costs of migrations, drops, busy pages and reclaimNs). */
  readonly durationNs: number;
  /** Part of durationNs spent in reclaim (kswapd and direct) to find pages to migrate into. */
  readonly reclaimNs: number;
  /** Sleeps of the direct reclaim run in the pass on a congested device (3.17 wait_iff_congested; not in durationNs: no CPU work). */
  readonly throttleNs: number;
  /** First pfn of each page (folio) that did not move, ascending. */
  readonly notMoved: readonly number[];
}

export interface MigrateOptions {
  readonly discardClean: boolean;
  readonly costs: Costs;
  /** Not used (callers that pass it compile): the overlays are frozen at commit by themselves (models/overlay/sealAtCommit.ts). */
  readonly ctx?: SealCtx;
  /** Time of the pass (ns), to find when the I/O in flight on a page ends; absent: no page counts as locked under read I/O. */
  readonly now?: number;
}
