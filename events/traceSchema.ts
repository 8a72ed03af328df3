import type { TraceEvent } from './trace.ts';
import type { SchemaFor } from './schema.ts';

export const traceEventSchema: SchemaFor<TraceEvent> = {
  'trace.cma_alloc_start': { task: 'object', name: 'string', count: 'int', align: 'int', availableCount: 'int', totalCount: 'int', request: 'int' },
  'trace.cma_alloc_finish': { task: 'object', name: 'string', pfn: 'int', count: 'int', align: 'int', errorno: 'int', request: 'int' },
  'trace.cma_alloc_busy_retry': { task: 'object', name: 'string', pfn: 'int', count: 'int', align: 'int', request: 'int' },
  'trace.cma_release': { task: 'object', name: 'string', pfn: 'int', count: 'int' },
  'trace.mm_migrate_pages_start': { task: 'object', mode: 'string', reason: 'string' },
  'trace.mm_migrate_pages': {
    task: 'object', nrSucceeded: 'int', nrFailed: 'int', nrThpSucceeded: 'int', nrThpFailed: 'int',
    nrThpSplit: 'int', nrSplit: 'int', mode: 'string', reason: 'string',
  },
  'trace.test_pages_isolated': { task: 'object', startPfn: 'int', endPfn: 'int', finPfn: 'int', ret: 'string' },
};
