/**
 * RunData: everything a report needs from one finished run, as plain JSON-able data. Every
 * format in lib/report is a pure function of it, so reports are reproducible from a saved
 * RunData (or from a log, collected while it is folded: recordRun) without re-running anything.
 *
 * Times are integer nanoseconds of simulated time, like the engine's. Per-area arrays are in
 * the order of `RunData.areas` (indexed, never keyed by name: names come from scenarios).
 */
import type { RequestRecord } from '../../models/cma/request.ts';

export interface RunMeta {
  /** Scenario name as the user wrote it (escaped by every format that prints it). */
  readonly scenario: string;
  readonly seed: number;
  /** `model.name@model.version` of the simulator that produced the run. */
  readonly modelVersion: string;
  /** Lock mode of the run (requests also carry their own). */
  readonly lockMode: string;
  /** Simulated time covered by the run, ns. */
  readonly durationNs: number;
  /** Events dispatched. */
  readonly eventCount: number;
}

export interface AreaInfo {
  readonly name: string;
  readonly basePfn: number;
  /** Pages in the area. */
  readonly pages: number;
  /** Pages per pageblock (the map draws one cell per pageblock). */
  readonly pageblockPages: number;
}

/** One area at one sample time. All counts are pages. */
export interface AreaSample {
  /** Pages handed out by cma_alloc (total - sysfs available_pages). */
  readonly allocated: number;
  /**
   * Pages the area's allocator can still hand out (clear bitmap bits, in pages). Smaller than
   * total - allocated while a request holds a range reserved during its migration.
   */
  readonly free: number;
  /** Largest run of such pages (debugfs `maxchunk`): the biggest request that could fit. */
  readonly largestFree: number;
  /** Pages of the area free in the buddy allocator (the rest are borrowed or allocated). */
  readonly buddyFree: number;
  /** Page-cache pages resident in the area (borrowed by the page allocator). */
  readonly pagecache: number;
}

export interface Sample {
  readonly t: number;
  /** Same order as RunData.areas. */
  readonly areas: readonly AreaSample[];
  /** Pages migrated since the start of the run (cumulative: rates are derived). */
  readonly migratedTotal: number;
}

/**
 * Pageblock state codes used in map frames, one character per pageblock. A pageblock takes the
 * first code in this order that applies: isolated, allocated (every page), mixed (some pages
 * allocated), pinned (holds a pinned borrowed page), cache (holds borrowed movable pages), free.
 */
export const PAGEBLOCK_CODES = {
  free: '.',
  cache: 'c',
  pinned: 'p',
  mixed: 'm',
  allocated: 'A',
  isolated: 'I',
} as const;
export type PageblockState = keyof typeof PAGEBLOCK_CODES;
export type PageblockCode = (typeof PAGEBLOCK_CODES)[PageblockState];

export interface MapFrame {
  readonly t: number;
  /** One string per area (RunData.areas order), one PAGEBLOCK_CODES character per pageblock. */
  readonly blocks: readonly string[];
}

/** One phase of one request on the timeline (when the model records them). */
import type { PhaseSpan } from '../../models/cma/request.ts';

export type { PhaseSpan };

/** A request as reports see it: the model's record, plus its phase timeline when known. */
export type ReportRequest = RequestRecord;

export interface RunData {
  readonly meta: RunMeta;
  readonly areas: readonly AreaInfo[];
  /** In request id order. */
  readonly requests: readonly ReportRequest[];
  /** In time order. */
  readonly samples: readonly Sample[];
  /** In time order; a subset of sample times (the HTML slider scrubs these). */
  readonly maps: readonly MapFrame[];
}

const CODE_TO_STATE: Readonly<Record<string, PageblockState>> = Object.fromEntries(
  Object.entries(PAGEBLOCK_CODES).map(([k, v]) => [v, k as PageblockState]),
);

export function pageblockState(code: string): PageblockState | undefined {
  return Object.hasOwn(CODE_TO_STATE, code) ? CODE_TO_STATE[code] : undefined;
}
