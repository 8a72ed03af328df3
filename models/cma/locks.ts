/**
 * Mutexes as data: a holder, FIFO waiters, and wait statistics. Granting a lock to a waiter is not
 * instantaneous: the caller schedules the grant after the hand-off cost (access.ts unlock).
 */
import type { Draft } from 'immer';
import type { LockMode, LockOwner, LockState } from './state.ts';

export const GLOBAL_MUTEX = 'cma_mutex';
export const bitmapLockOf = (area: string): string => `${area}.lock`;
export const allocMutexOf = (area: string): string => `${area}.alloc_mutex`;

/** Lock held around a whole allocation (search, migration, retries), if any. */
export function outerLock(mode: LockMode): string | null {
  return mode === 'global' || mode === 'series' ? GLOBAL_MUTEX : null;
}

/** Lock around the bitmap search/set and clear, if the outer lock does not already cover it. */
export function searchLock(mode: LockMode, area: string): string | null {
  return mode === 'split' || mode === 'per-area' ? bitmapLockOf(area) : null;
}

/** Lock around alloc_contig_range, if the outer lock does not already cover it. */
export function contigLock(mode: LockMode, area: string): string | null {
  if (mode === 'split') return GLOBAL_MUTEX;
  if (mode === 'per-area') return allocMutexOf(area);
  return null;
}

/**
 * Lock taken by a release. 3.5 cleared the bitmap under cma_mutex; later kernels under the
 * area's bitmap lock; the series held its one mutex through the whole cm_free().
 */
export function releaseLock(mode: LockMode, area: string): string {
  return mode === 'global' || mode === 'series' ? GLOBAL_MUTEX : bitmapLockOf(area);
}

export function newLock(): LockState {
  return { holder: null, since: 0, waiters: [], acquisitions: 0, contended: 0, waitNs: 0, maxWaitNs: 0 };
}

export const requestOwner = (id: number): LockOwner => ({ kind: 'request', id });
export const releaseOwner = (chunk: number): LockOwner => ({ kind: 'release', id: chunk });

export const sameOwner = (a: LockOwner | null, b: LockOwner): boolean => a !== null && a.kind === b.kind && a.id === b.id;

const TAG = { request: 'a', release: 'r' } as const;

/**
 * The owner as the `cma.lock.acquired` event and every message spell it: `a<request id>`,
 * `r<chunk id>`. The event keeps this string so that logs stay as they were written; this pair
 * is the only place it is built or read.
 */
export const ownerTag = (o: LockOwner): string => `${TAG[o.kind]}${o.id}`;

export function ownerOfTag(tag: string): LockOwner {
  const m = /^([ar])(-?\d+)$/.exec(tag);
  if (m === null) throw new Error(`lock owner '${tag}': expected a<request id> or r<chunk id>`);
  return m[1] === 'a' ? requestOwner(Number(m[2])) : releaseOwner(Number(m[2]));
}

type Locks = Draft<Record<string, LockState>>;

/** Take `name` for `owner` if free (true), else queue the owner FIFO (false). */
export function tryAcquire(locks: Locks, name: string, owner: LockOwner, now: number): boolean {
  const l = (locks[name] ??= newLock() as Draft<LockState>);
  if (sameOwner(l.holder, owner)) throw new Error(`lock ${name}: ${ownerTag(owner)} already holds it`);
  if (l.holder === null) {
    l.holder = { ...owner };
    l.since = now;
    l.acquisitions++;
    return true;
  }
  if (l.waiters.some((w) => sameOwner(w.owner, owner))) throw new Error(`lock ${name}: ${ownerTag(owner)} is already waiting`);
  l.waiters.push({ owner: { ...owner }, since: now });
  l.contended++;
  return false;
}

/**
 * Drop `name` held by `owner`. The first waiter, if any, becomes the holder at once (so nobody can
 * barge in during the hand-off) and is returned with the time it started waiting; the caller
 * schedules its wake-up.
 */
export function release(locks: Locks, name: string, owner: LockOwner, now: number): { owner: LockOwner; since: number } | null {
  const l = locks[name];
  if (!l || !sameOwner(l.holder, owner)) throw new Error(`lock ${name}: ${ownerTag(owner)} releases it but holder is ${l?.holder ? ownerTag(l.holder) : 'nobody'}`);
  const next = l.waiters.shift();
  if (!next) {
    l.holder = null;
    l.since = now;
    return null;
  }
  const to: LockOwner = { kind: next.owner.kind, id: next.owner.id };
  l.holder = to;
  l.since = now;
  l.acquisitions++;
  return { owner: to, since: next.since };
}

/** Account a completed wait (at the moment the waiter actually runs). */
export function recordWait(locks: Locks, name: string, waitedNs: number): void {
  const l = locks[name];
  l.waitNs += waitedNs;
  if (waitedNs > l.maxWaitNs) l.maxWaitNs = waitedNs;
}
