/**
 * The CMA aggregate's reducers: one per CMA event type. Progress events only advance the request,
 * release or move they name; notifications (alloc.done, release.done, pinned, defrag.move,
 * warning) change nothing, the state they announce was already written by their cause.
 */
import type { CmaEvent } from '../../events/index.ts';
import type { Handlers } from '../context.ts';
import { recordWait } from './locks.ts';
import { reqOf, setStatus } from './access.ts';
import { attemptFailed, finished, isolated, migrationDone } from './contigFlow.ts';
import { defragPass, moveDone } from './defrag.ts';
import { pin, unpin } from './pins.ts';
import { releaseFreed, releaseGotLock, startRelease } from './releaseFlow.ts';
import { requestGotLock, searchDone, submitRequest } from './requestFlow.ts';

const notice = (): void => {};

export const cmaHandlers: Handlers<CmaEvent> = {
  'cma.alloc.request': submitRequest,
  'cma.release': startRelease,
  'cma.pin': (d, e, ctx) => pin(d, e.chunk, ctx),
  'cma.unpin': (d, e, ctx) => unpin(d, e.chunk, ctx),
  'cma.defrag': (d, e, ctx) => defragPass(d, e.area, ctx),
  'cma.lock.acquired': (d, e, ctx) => {
    recordWait(d.cma.locks, e.lock, e.waitedNs);
    const id = Number(e.owner.slice(1));
    // A request's wait is charged to its lockWait phase by setStatus when it moves on.
    if (e.owner[0] === 'a') requestGotLock(d, ctx, id, e.lock);
    else if (e.owner[0] === 'r') releaseGotLock(d, ctx, id, e.lock);
    else throw new Error(`cma.lock.acquired: unknown owner '${e.owner}'`);
  },
  'cma.search.done': (d, e, ctx) => searchDone(d, ctx, e.request),
  'cma.isolated': isolated,
  'cma.migration': migrationDone,
  'cma.finished': (d, e, ctx) => {
    const r = reqOf(d, e.request);
    if (r.status !== 'finishing') setStatus(r, 'finishing', ctx.now);
    finished(d, e.request, ctx);
  },
  'cma.attempt.failed': attemptFailed,
  'cma.alloc.done': notice,
  'cma.release.freed': (d, e, ctx) => releaseFreed(d, e.chunk, ctx),
  'cma.release.done': notice,
  'cma.pinned': notice,
  'cma.defrag.move': notice,
  'cma.defrag.moved': (d, e, ctx) => moveDone(d, e.chunk, ctx),
  'cma.warning': notice,
};
