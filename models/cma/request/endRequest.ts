/** A request's end, whichever way it comes: success, failure on the last area, or refusal. */
import type { Ctx } from '../../context.ts';
import { unlockAll, type D, type DReq } from '../access.ts';
import { requestOwner } from '../locks.ts';
import { setStatus } from './status.ts';

/** Terminal: release whatever the request still holds and announce the outcome. */
export function endRequest(d: D, ctx: Ctx, r: DReq, errno: number): void {
  delete d.cma.threads[r.tid];
  setStatus(r, errno === 0 ? 'done' : 'failed', ctx.now);
  r.errno = errno;
  r.finishedAt = ctx.now;
  unlockAll(d, ctx, requestOwner(r.id));
  ctx.schedule({ type: 'cma.alloc.done', request: r.id, requester: r.requester, pfn: errno === 0 ? r.pfn! : -1, count: r.count, errno }, 0);
}
