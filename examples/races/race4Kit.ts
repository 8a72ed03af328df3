/**
 * Race 4's world: a pin racing a defragmenting move (the 2011 rework's cm_pin/cm_unpin existed so
 * that unpinned chunks could be moved to merge holes). Chunks 1 and 2 fill the start of the shared
 * area `gfx`; chunk 1 is freed, leaving a hole below chunk 2. Then a defragmentation pass and a
 * cm_pin of chunk 2 arrive at the same instant.
 */
import type { SimState } from '../../models/state.ts';
import { alloc, bootRace, check, cmaInvariants, defineRace, MS, settle, type Race } from './raceKit.ts';

export function race4(variant: 'correct' | 'defrag-ignores-pins'): Race {
  const booted = bootRace({
    machine: { ram: '16M' },
    cma: { lockMode: 'per-area', defrag: variant === 'correct' ? 'manual' : { mode: 'manual', variant }, areas: [{ name: 'gfx', size: '4M' }] },
  });
  const base = booted.cma.areas.gfx.basePfn;
  const settled = settle(booted, [
    alloc(1, 'gfx', 256, 0, 'gpu'),
    alloc(2, 'gfx', 256, 50 * MS, 'display'),
    { event: { type: 'cma.release', chunk: 1 }, time: 100 * MS },
  ]);
  const t0 = settled.end + MS;
  const chunk2 = (s: SimState) => s.cma.chunks[2];
  return defineRace({
    name: variant === 'correct' ? 'race4-pin-vs-defrag' : 'race4-defrag-ignores-pins',
    description: variant === 'correct'
      ? 'Race 4: a pin racing a defragmenting move waits for the move, and the owner sees the new address.'
      : 'Race 4, teaching variant defrag-ignores-pins: the move copies a pinned chunk, so the pin holder keeps using the old address (a lost update).',
    initial: settled.state,
    inject: [
      { event: { type: 'cma.defrag', area: 'gfx' }, time: t0 },
      { event: { type: 'cma.pin', chunk: 2 }, time: t0 },
    ],
    checks: [
      check('pinned-chunk-never-moves', 'always', (s) => !(chunk2(s)?.pins > 0 && chunk2(s)?.moving !== null), (s) => `chunk 2 is copied from 0x${chunk2(s).pfn.toString(16)} while pinned ${chunk2(s).pins} time(s): the pin holder keeps writing the old copy`),
      check('owner-sees-current-address', 'always', (s) => !chunk2(s) || s.cma.requests[2].pfn === chunk2(s).pfn, (s) => `request 2 says pfn 0x${s.cma.requests[2].pfn?.toString(16)}, the chunk is at 0x${chunk2(s).pfn.toString(16)}`),
      cmaInvariants,
      check('pin-granted', 'eventually', (s) => chunk2(s)?.pins === 1 && chunk2(s)?.moving === null),
      check('moved-then-pinned', 'sometimes', (s) => chunk2(s)?.moves === 1 && chunk2(s)?.pins === 1),
      check('pinned-in-place', 'sometimes', (s) => chunk2(s)?.moves === 0 && chunk2(s)?.pins === 1),
    ],
    outcome: (s) => {
      const c = chunk2(s);
      return `chunk 2 at area+${c.pfn - base}, moved ${c.moves}x, pins ${c.pins}`;
    },
  });
}
