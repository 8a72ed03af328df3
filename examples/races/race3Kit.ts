/**
 * Race 3's world, shared by the correct allocator and the `bitmap-reserve-after` teaching
 * variant: two 1 MiB requests to one shared area at the same instant under 'split' locking
 * (~3.17-6.14: the area's bitmap lock around search and reserve, the global cma_mutex around
 * alloc_contig_range). Page cache fills the area so the first request is still migrating when the
 * second one searches.
 */
import type { SimState } from '../../models/state.ts';
import { alloc, bootRace, check, cmaInvariants, defineRace, MS, settle, type Race } from './raceKit.ts';

/** [start, end) ranges two requests claim: an in-flight candidate, or an allocated chunk. */
function claims(s: SimState): { id: number; s: number; e: number }[] {
  const out: { id: number; s: number; e: number }[] = [];
  for (const r of Object.values(s.cma.requests)) {
    const at = r.candidate ?? (r.status === 'done' && s.cma.chunks[r.id] ? s.cma.chunks[r.id].pfn : null);
    if (at !== null) out.push({ id: r.id, s: at, e: at + r.count });
  }
  return out;
}

/** Two requests never claim overlapping ranges at the same time: what reserving before migration guarantees (reference §2 step 4). */
export function overlappingClaims(s: SimState): string | null {
  const c = claims(s);
  for (let i = 0; i < c.length; i++) {
    for (let j = i + 1; j < c.length; j++) {
      if (c[i].s < c[j].e && c[j].s < c[i].e) return `requests ${c[i].id} and ${c[j].id} both claim pfns 0x${Math.max(c[i].s, c[j].s).toString(16)}..0x${Math.min(c[i].e, c[j].e).toString(16)}`;
    }
  }
  return null;
}

export function race3(allocator: 'bitmap' | 'bitmap-reserve-after'): Race {
  const booted = bootRace({
    machine: { ram: '16M', cmaFallback: 'first' },
    cma: { lockMode: 'split', areas: [{ name: 'video', size: '4M', allocator }] },
  });
  const base = booted.cma.areas.video.basePfn;
  const settled = settle(booted, [{ event: { type: 'pagecache.fault', file: 'data', index: 0, count: 1024 }, time: 0 }]);
  const t0 = settled.end + MS;
  return defineRace({
    name: allocator === 'bitmap' ? 'race3-split-locking' : 'race3-reserve-after',
    description: allocator === 'bitmap'
      ? 'Race 3: two concurrent requests under split locking never claim overlapping ranges: the bitmap is reserved before migration.'
      : 'Race 3, teaching variant bitmap-reserve-after: reserving only after migration lets the second request claim the range the first is migrating.',
    initial: settled.state,
    inject: [alloc(1, 'video', 256, t0, 'decoder'), alloc(2, 'video', 256, t0, 'camera')],
    checks: [
      { name: 'no-overlapping-claims', kind: 'always', test: (s) => overlappingClaims(s) },
      cmaInvariants,
      check('both-succeed', 'eventually', (s) => s.cma.requests[1]?.status === 'done' && s.cma.requests[2]?.status === 'done'),
    ],
    outcome: (s) => [1, 2].map((id) => {
      const r = s.cma.requests[id];
      return `r${id} ${r.status}@+${(r.pfn ?? base) - base} retries ${r.retries}`;
    }).join(', '),
  });
}
