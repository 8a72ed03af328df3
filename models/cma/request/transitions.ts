/**
 * The life of an allocation request in one table (the machinery is ../advance.ts). For each
 * status (status.ts): the events it accepts, the statuses the request may be in once the event
 * is reduced, and the step that takes it there (search.ts, the front half of cma_alloc;
 * contig.ts, alloc_contig_range; endRequest.ts). A step may pass through several statuses inside
 * one event (no lock to wait for in this lock mode, nothing to migrate, an area that cannot
 * serve) but ends in one of `to`.
 */
import type { CmaEvent, CmaLockAcquiredEvent } from '../../../events/index.ts';
import type { Ctx } from '../../context.ts';
import { nameOf, takeGranted, type D, type DReq } from '../access.ts';
import { advance, type Step, type Table } from '../advance.ts';
import { requestOwner } from '../locks.ts';
import { finished, isolated, migrationDone, startContig } from './contig.ts';
import { afterFailedAttempt, clearAttempt, enterSearch, searchDone, startRequest, startSearch } from './search.ts';
import { closeSpan, type RequestStatus } from './status.ts';

/** The events that move a request on (the rest of the CMA events never name a request's status). */
export type RequestEvent = Extract<CmaEvent, {
  type: 'cma.alloc.request' | 'cma.lock.acquired' | 'cma.search.done' | 'cma.isolated' | 'cma.migration' | 'cma.attempt.failed' | 'cma.finished';
}>;

/** The lock the request waited for is its own now: the wait ends (its span closes) and the lock counts as held. */
const granted = (next: Step<DReq, CmaLockAcquiredEvent>): Step<DReq, CmaLockAcquiredEvent> => (d, ctx, r, e) => {
  closeSpan(r, ctx.now);
  takeGranted(d, requestOwner(r.id), e.lock);
  next(d, ctx, r, e);
};

/** After a failed attempt: clear its bits (under the search lock, if the mode has one), then retry, try the next area, or fail. */
const RETRY_OR_FAIL: readonly RequestStatus[] = ['waiting-search-lock', 'searching', 'failed'];

export const REQUEST_TRANSITIONS: Table<DReq, RequestStatus, RequestEvent> = {
  submitted: {
    'cma.alloc.request': { to: ['waiting-outer-lock', 'waiting-search-lock', 'searching', 'failed'], step: startRequest },
  },
  'waiting-outer-lock': {
    'cma.lock.acquired': { to: ['waiting-search-lock', 'searching'], step: granted(enterSearch) },
  },
  'waiting-search-lock': {
    'cma.lock.acquired': { to: ['searching'], step: granted(startSearch) },
  },
  searching: {
    'cma.search.done': { to: ['waiting-contig-lock', 'isolating', 'finishing', 'waiting-search-lock', 'searching', 'failed'], step: searchDone },
  },
  'waiting-contig-lock': {
    'cma.lock.acquired': { to: ['isolating'], step: granted(startContig) },
  },
  isolating: {
    'cma.isolated': { to: ['migrating', 'finishing'], step: isolated },
    'cma.attempt.failed': { to: ['waiting-clear-lock', ...RETRY_OR_FAIL], step: afterFailedAttempt },
  },
  migrating: {
    'cma.migration': { to: ['migrating', 'finishing'], step: migrationDone },
    'cma.attempt.failed': { to: ['waiting-clear-lock', ...RETRY_OR_FAIL], step: afterFailedAttempt },
  },
  'waiting-clear-lock': {
    'cma.lock.acquired': { to: RETRY_OR_FAIL, step: granted(clearAttempt) },
  },
  finishing: {
    'cma.finished': { to: ['done'], step: finished },
  },
  done: {},
  failed: {},
};

/** Reduce `e` for request `r` by the table. */
export const advanceRequest = (d: D, ctx: Ctx, r: DReq, e: RequestEvent): void => advance(REQUEST_TRANSITIONS, nameOf(requestOwner(r.id)), d, ctx, r, e);
