/**
 * Field lists of the known tracepoints, in every generation the importer accepts, decoded into
 * the simulator's trace-equivalent events (events/trace.ts). Fields a generation does not print
 * are 0 in the event and listed in `missing`.
 *
 * Generations (include/trace/events/cma.h history):
 * - `single`: one `cma_alloc` event after the fact (3.19–5.9), `pfn=%lu page count` at first, then
 *   `pfn=%lx page count align`, later with `name=`; `cma_release` without `name=` at first (read
 *   as hex: 3.19's short-lived decimal release pfn cannot be told apart by its fields).
 * - `6.1`: `cma_alloc_start: name count align`; `cma_alloc_finish` / `cma_alloc_busy_retry`:
 *   `name pfn=0x%lx page count align`, failure = all-ones pfn; no errno.
 * - `latest`: `cma_alloc_start: name request_count available_count total_count align`;
 *   `cma_alloc_finish` adds `errorno`.
 * A trace's kernel format (models/kernel TraceFormat) is what all its lines' formats allow.
 */
import type { TraceEvent, TraceTask, MmMigratePagesStartTrace } from '../../events/trace.ts';
import type { TraceFormat } from '../../models/kernel/profile.ts';
import {
  FieldError, parseFieldList, uintField, intField, pfnField, wordField, oneOfField, isNullPointer,
  type FieldMap,
} from './fieldList.ts';

/** The field-set label of one line (a line alone cannot always name its kernel's format). */
export type Generation = 'single' | '6.1' | 'latest';

/** The pre-5.10 single event: one line per finished allocation, no start, no latency. */
export interface SingleCmaAllocTrace {
  readonly type: 'trace.cma_alloc';
  readonly task: TraceTask;
  /** '' before area names were printed. */
  readonly name: string;
  readonly pfn: number;
  readonly count: number;
  /** -1 when the generation did not print it. */
  readonly align: number;
}

export type ImportedTraceEvent = TraceEvent | SingleCmaAllocTrace;

export interface DecodedEvent {
  readonly event: ImportedTraceEvent;
  /** null for field sets shared by all generations. */
  readonly generation: Generation | null;
  /** Kernel trace formats (models/kernel TraceFormat) that print this field set; null: all of them. */
  readonly formats: readonly TraceFormat[] | null;
  readonly missing: readonly string[];
}

interface Variant {
  readonly generation: Generation | null;
  readonly formats: readonly TraceFormat[] | null;
  readonly keys: readonly string[];
}

const THP = ['nr_thp_succeeded', 'nr_thp_failed', 'nr_thp_split'];
const MIGRATE_BASE = ['nr_succeeded', 'nr_failed'];
const MODES = ['MIGRATE_SYNC', 'MIGRATE_ASYNC', 'MIGRATE_SYNC_LIGHT'] as const;

/**
 * Field sets per event and the kernel formats that print them: `cma_alloc_start` kept
 * `name count align` from its introduction through 6.14 while `cma_alloc_finish` gained
 * `errorno` in between, so a 6.6 or 6.12 trace pairs the old start with the new finish.
 */
const VARIANTS: Readonly<Record<string, readonly Variant[]>> = {
  cma_alloc: [
    { generation: 'single', formats: ['single'], keys: ['pfn', 'page', 'count'] },
    { generation: 'single', formats: ['single'], keys: ['pfn', 'page', 'count', 'align'] },
    { generation: 'single', formats: ['single'], keys: ['name', 'pfn', 'page', 'count', 'align'] },
  ],
  cma_alloc_start: [
    { generation: '6.1', formats: ['6.1', 'errorno'], keys: ['name', 'count', 'align'] },
    { generation: 'latest', formats: ['latest'], keys: ['name', 'request_count', 'available_count', 'total_count', 'align'] },
  ],
  cma_alloc_finish: [
    { generation: '6.1', formats: ['6.1'], keys: ['name', 'pfn', 'page', 'count', 'align'] },
    { generation: 'latest', formats: ['errorno', 'latest'], keys: ['name', 'pfn', 'page', 'count', 'align', 'errorno'] },
  ],
  cma_alloc_busy_retry: [{ generation: null, formats: null, keys: ['name', 'pfn', 'page', 'count', 'align'] }],
  cma_release: [
    { generation: 'single', formats: ['single'], keys: ['pfn', 'page', 'count'] },
    { generation: null, formats: null, keys: ['name', 'pfn', 'page', 'count'] },
  ],
  mm_migrate_pages: [
    { generation: null, formats: null, keys: [...MIGRATE_BASE, 'mode', 'reason'] },
    { generation: null, formats: null, keys: [...MIGRATE_BASE, ...THP, 'mode', 'reason'] },
    { generation: null, formats: null, keys: [...MIGRATE_BASE, ...THP, 'nr_split', 'mode', 'reason'] },
  ],
  mm_migrate_pages_start: [{ generation: null, formats: null, keys: ['mode', 'reason'] }],
  test_pages_isolated: [{ generation: null, formats: null, keys: ['start_pfn', 'end_pfn', 'fin_pfn', 'ret'] }],
};

export const KNOWN_EVENTS: readonly string[] = Object.keys(VARIANTS);

export function isKnownEvent(name: string): boolean {
  return Object.hasOwn(VARIANTS, name);
}

/** Thrown when a known event's field set belongs to no generation this importer knows. */
export class UnknownFormatError extends Error {}

const signature = (keys: readonly string[]): string => [...keys].sort().join(',');

/** Per event: field-set signature -> variant and the fields it lacks (computed once: hot path). */
const BY_SIGNATURE: ReadonlyMap<string, ReadonlyMap<string, { variant: Variant; missing: readonly string[] }>> = new Map(
  Object.entries(VARIANTS).map(([event, variants]) => {
    const all = [...new Set(variants.flatMap((v) => v.keys))];
    return [event, new Map(variants.map((v) => [signature(v.keys), { variant: v, missing: all.filter((k) => !v.keys.includes(k)) }]))];
  }),
);

function pickVariant(event: string, keys: readonly string[]): { variant: Variant; missing: readonly string[] } {
  const exact = BY_SIGNATURE.get(event)!.get(signature(keys));
  if (exact) return exact;
  const variants = VARIANTS[event];
  const known = new Set(variants.flatMap((v) => v.keys));
  const unexpected = keys.find((k) => !known.has(k));
  if (unexpected !== undefined) {
    const sets = variants.map((v) => v.keys.join(' ')).join(' | ');
    throw new UnknownFormatError(`unknown format version of ${event}: unexpected field '${unexpected}' (known field sets: ${sets})`);
  }
  // All keys are known: the line lost some. Name the first field missing from the closest variant.
  const candidates = variants.filter((v) => keys.every((k) => v.keys.includes(k)));
  const closest = (candidates.length > 0 ? candidates : variants)
    .reduce((a, b) => (b.keys.length - keys.length < a.keys.length - keys.length ? b : a));
  const missing = closest.keys.find((k) => !keys.includes(k)) ?? closest.keys[0];
  throw new FieldError(missing, 'missing');
}

function migrateMode(f: FieldMap): MmMigratePagesStartTrace['mode'] {
  return oneOfField(f, 'mode', MODES);
}

function migrateReason(f: FieldMap): MmMigratePagesStartTrace['reason'] {
  // Reasons vary by kernel (cma, contig_range, compaction, ...): any word is kept as printed.
  return wordField(f, 'reason') as MmMigratePagesStartTrace['reason'];
}

function decodeFields(event: string, task: TraceTask, f: FieldMap, v: Variant): ImportedTraceEvent {
  switch (event) {
    case 'cma_alloc': {
      const decimal = !v.keys.includes('align');
      const pfn = pfnField(f, 'pfn', decimal ? 10 : 16);
      const failed = pfn === -1 || isNullPointer(f.page);
      return {
        type: 'trace.cma_alloc', task, name: f.name ?? '', pfn: failed ? -1 : pfn,
        count: uintField(f, 'count'), align: decimal ? -1 : uintField(f, 'align'),
      };
    }
    case 'cma_alloc_start': {
      const latest = v.generation === 'latest';
      return {
        type: 'trace.cma_alloc_start', task, name: wordField(f, 'name'),
        count: uintField(f, latest ? 'request_count' : 'count'), align: uintField(f, 'align'),
        availableCount: latest ? uintField(f, 'available_count') : 0,
        totalCount: latest ? uintField(f, 'total_count') : 0, request: 0,
      };
    }
    case 'cma_alloc_finish': {
      const pfn = pfnField(f, 'pfn');
      const errorno = v.generation === 'latest' ? intField(f, 'errorno') : 0;
      return {
        type: 'trace.cma_alloc_finish', task, name: wordField(f, 'name'), pfn: errorno !== 0 ? -1 : pfn,
        count: uintField(f, 'count'), align: uintField(f, 'align'), errorno, request: 0,
      };
    }
    case 'cma_alloc_busy_retry':
      return {
        type: 'trace.cma_alloc_busy_retry', task, name: wordField(f, 'name'), pfn: pfnField(f, 'pfn'),
        count: uintField(f, 'count'), align: uintField(f, 'align'), request: 0,
      };
    case 'cma_release':
      return {
        // The nameless form was printed `%lx` for most of its life (3.19's brief `%lu` is not told apart).
        type: 'trace.cma_release', task, name: f.name ?? '', pfn: pfnField(f, 'pfn'),
        count: uintField(f, 'count'),
      };
    case 'mm_migrate_pages': {
      const opt = (k: string): number => (f[k] === undefined ? 0 : uintField(f, k));
      return {
        type: 'trace.mm_migrate_pages', task, nrSucceeded: uintField(f, 'nr_succeeded'), nrFailed: uintField(f, 'nr_failed'),
        nrThpSucceeded: opt('nr_thp_succeeded'), nrThpFailed: opt('nr_thp_failed'), nrThpSplit: opt('nr_thp_split'),
        nrSplit: opt('nr_split'), mode: migrateMode(f), reason: migrateReason(f),
      };
    }
    case 'mm_migrate_pages_start':
      return { type: 'trace.mm_migrate_pages_start', task, mode: migrateMode(f), reason: migrateReason(f) };
    case 'test_pages_isolated':
      return {
        type: 'trace.test_pages_isolated', task, startPfn: pfnField(f, 'start_pfn'), endPfn: pfnField(f, 'end_pfn'),
        finPfn: pfnField(f, 'fin_pfn'), ret: oneOfField(f, 'ret', ['success', 'fail'] as const),
      };
    default:
      throw new Error(`decodeFields: no decoder for ${event}`);
  }
}

/**
 * Decodes the body of a known event. Throws FieldError (malformed line: names the field) or
 * UnknownFormatError (a field set of no known generation).
 */
export function decodeEvent(event: string, task: TraceTask, body: string): DecodedEvent {
  const { fields, keys } = parseFieldList(body);
  const { variant, missing } = pickVariant(event, keys);
  return { event: decodeFields(event, task, fields, variant), generation: variant.generation, formats: variant.formats, missing };
}
