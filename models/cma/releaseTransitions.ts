/**
 * The life of a release (cma_release / cm_free) in one table, in the shape of the request's
 * (request/transitions.ts; the machinery is advance.ts). For each status: the events it accepts,
 * the statuses the release may be in once the event is reduced, and the step of releaseFlow.ts
 * that takes it there.
 */
import type { CmaEvent, CmaLockAcquiredEvent } from '../../events/index.ts';
import type { Ctx } from '../context.ts';
import { nameOf, takeGranted, type D, type DRelease } from './access.ts';
import { advance, type Step, type Table } from './advance.ts';
import { releaseOwner } from './locks.ts';
import { clearBits, freePages, releaseFreed, startRelease } from './releaseFlow.ts';
import type { ReleaseStatus } from './state.ts';

/** The events that move a release on. */
export type ReleaseEvent = Extract<CmaEvent, { type: 'cma.release' | 'cma.lock.acquired' | 'cma.release.freed' }>;

/** The lock the release waited for is its own now: it counts as held. */
const granted = (next: Step<DRelease, CmaLockAcquiredEvent>): Step<DRelease, CmaLockAcquiredEvent> => (d, ctx, op, e) => {
  takeGranted(d, releaseOwner(op.chunk), e.lock);
  next(d, ctx, op, e);
};

export const RELEASE_TRANSITIONS: Table<DRelease, ReleaseStatus, ReleaseEvent> = {
  submitted: {
    'cma.release': { to: ['waiting-outer-lock', 'freeing'], step: startRelease },
  },
  'waiting-outer-lock': {
    'cma.lock.acquired': { to: ['freeing'], step: granted(freePages) },
  },
  freeing: {
    'cma.release.freed': { to: ['waiting-clear-lock', 'released'], step: releaseFreed },
  },
  'waiting-clear-lock': {
    'cma.lock.acquired': { to: ['released'], step: granted(clearBits) },
  },
  released: {},
};

/** Reduce `e` for release `op` by the table. */
export const advanceRelease = (d: D, ctx: Ctx, op: DRelease, e: ReleaseEvent): void => advance(RELEASE_TRANSITIONS, nameOf(releaseOwner(op.chunk)), d, ctx, op, e);
