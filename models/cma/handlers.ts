/**
 * The CMA aggregate's reducers: one per CMA event type. Progress events only advance the request,
 * release or move they name (a request or a release by its transition table); notifications
 * (alloc.done, release.done, pinned, defrag.move, warning) change nothing, the state they
 * announce was already written by their cause.
 */
import type { CmaEvent } from '../../events/index.ts';
import type { Handler, Handlers } from '../context.ts';
import { ownerOfTag, recordWait } from './locks.ts';
import { releaseOf, reqOf } from './access.ts';
import { defragPass, moveDone } from './defrag.ts';
import { pin, unpin } from './pins.ts';
import { newRelease } from './releaseFlow.ts';
import { advanceRelease } from './releaseTransitions.ts';
import { newRequest } from './request/search.ts';
import { advanceRequest, type RequestEvent } from './request/transitions.ts';

const notice = (): void => {};

/** A progress event of request `e.request`: the transition table takes it from there. */
const toRequest: Handler<Extract<RequestEvent, { request: number }>> = (d, e, ctx) => advanceRequest(d, ctx, reqOf(d, e.request), e);

export const cmaHandlers: Handlers<CmaEvent> = {
  'cma.alloc.request': (d, e, ctx) => advanceRequest(d, ctx, newRequest(d, e, ctx), e),
  'cma.release': (d, e, ctx) => {
    const op = newRelease(d, e, ctx);
    if (op !== undefined) advanceRelease(d, ctx, op, e);
  },
  'cma.pin': (d, e, ctx) => pin(d, e.chunk, ctx),
  'cma.unpin': (d, e, ctx) => unpin(d, e.chunk, ctx),
  'cma.defrag': (d, e, ctx) => defragPass(d, e.area, ctx),
  'cma.lock.acquired': (d, e, ctx) => {
    recordWait(d.cma.locks, e.lock, e.waitedNs);
    const owner = ownerOfTag(e.owner);
    if (owner.kind === 'request') advanceRequest(d, ctx, reqOf(d, owner.id), e);
    else advanceRelease(d, ctx, releaseOf(d, owner.id), e);
  },
  'cma.search.done': toRequest,
  'cma.isolated': toRequest,
  'cma.migration': toRequest,
  'cma.finished': toRequest,
  'cma.attempt.failed': toRequest,
  'cma.alloc.done': notice,
  'cma.release.freed': (d, e, ctx) => advanceRelease(d, ctx, releaseOf(d, e.chunk), e),
  'cma.release.done': notice,
  'cma.pinned': notice,
  'cma.defrag.move': notice,
  'cma.defrag.moved': (d, e, ctx) => moveDone(d, e.chunk, ctx),
  'cma.warning': notice,
};
