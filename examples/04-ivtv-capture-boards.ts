/**
 * Example 4 -- several ivtv capture boards in one PC. Each board's driver wants ~100 MiB of DMA
 * buffers (MPEG/YUV stream buffers of up to 4 MiB). After the machine has run a while, unmovable
 * kernel allocations have left physical memory in small pieces: without a reservation the buddy
 * allocator has no large block left and the boards fail to open. With the reviewers'
 * `cma=dma/ivtv=500M` (kind `dma`, device `ivtv`, 500 MiB set aside at boot, parsed here with
 * lib/config) the same boards allocate from the region and all succeed.
 */
import type { DeviceBufferInput } from '../events/index.ts';
import { effectiveMap, parseOriginalCmdline, resolve } from '../lib/config/index.ts';
import { defineScenario, type Scenario } from '../lib/scenario/index.ts';
import type { SimState } from '../models/state.ts';
import { at, MiB, MS, open, runExample, table, runIfMain } from './exampleRun.ts';

export const CMDLINE = 'cma=dma/ivtv=500M';
export const BOARDS = ['ivtv0', 'ivtv1', 'ivtv2', 'ivtv3'];

/** Stream buffers of one board: 24 x 4 MiB (the largest buddy block) and 16 x 512 KiB. */
const boardBuffers: DeviceBufferInput[] = [
  ...Array.from({ length: 24 }, (_, i) => ({ name: `yuv${i}`, size: 4 * MiB, kind: 'dma' })),
  ...Array.from({ length: 16 }, (_, i) => ({ name: `mpeg${i}`, size: 512 * 1024, kind: 'dma' })),
];

const RAM = 1024 * MiB;

/**
 * Fill 95% of the memory the page allocator manages (RAM minus the reservation) with 128 KiB
 * unmovable blocks, then free every other one: nothing above order 5 stays free.
 */
function fragmenter(reservedBytes: number) {
  const n = 2 * Math.floor((0.95 * (RAM - reservedBytes)) / (256 * 1024));
  return [
    ...Array.from({ length: n }, (_, i) => at(0, { type: 'memory.alloc', id: `slab${i}`, kind: 'unmovable', order: 5, owner: 'slab' })),
    ...Array.from({ length: n / 2 }, (_, i) => at(50 * MS, { type: 'memory.free', id: `slab${2 * i}` })),
  ];
}

function build(reserved: boolean): Scenario {
  const cfg = parseOriginalCmdline(CMDLINE);
  const rule = resolve(effectiveMap(cfg), 'ivtv', 'dma');
  const region = rule.matched ? rule.regions[0] : null;
  const areas = reserved && region !== null
    ? cfg.regions.map((r) => ({ name: r.name, size: Math.ceil(r.size / (2 * MiB)) * 2 * MiB, private: true, allocator: 'best-fit' }))
    : [];
  return defineScenario({
    name: `04-ivtv-${reserved ? 'reserved' : 'no-reservation'}`,
    description: `Four ivtv boards opening after memory fragmented, ${reserved ? `with ${CMDLINE}` : 'without a reservation'}`,
    seed: 4,
    until: '400ms',
    machine: { ram: RAM },
    cma: { areas },
    devices: BOARDS.map((name) => ({ name, ...(reserved && region !== null ? { kinds: { dma: region } } : {}) })),
    workload: [{
      name: 'boot-and-boards', generator: 'replay',
      events: [...fragmenter(areas.reduce((a, r) => a + r.size, 0)), ...BOARDS.map((b, i) => open(100 * MS + i * MS, b, boardBuffers))],
    }],
  });
}

export const scenarios = { reserved: build(true), none: build(false) };
export const scenario = scenarios.reserved;

export interface BoardOutcome { readonly board: string; readonly ready: number; readonly failed: number; readonly firstError: string }

export function boards(state: SimState): BoardOutcome[] {
  const bs = Object.values(state.devices.buffers);
  return BOARDS.map((board) => {
    const mine = bs.filter((b) => b.owner === board);
    return {
      board, ready: mine.filter((b) => b.status === 'ready').length, failed: mine.filter((b) => b.status === 'failed').length,
      firstError: mine.find((b) => b.error !== null)?.error ?? '',
    };
  });
}

export function report(): string {
  const out: string[] = [];
  for (const [k, s] of Object.entries(scenarios)) {
    out.push(k === 'reserved' ? `With ${CMDLINE} reserved at boot:` : 'Without a reservation (dma-direct, buddy allocator only):');
    out.push(table([['board', 'buffers ready', 'failed', 'first failure'], ...boards(runExample(s).state).map((b) => [b.board, b.ready, b.failed, b.firstError])]));
    out.push('');
  }
  return out.join('\n');
}

export function main(): void {
  console.log(report());
}

runIfMain(import.meta.url, main);
