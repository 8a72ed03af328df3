import { defineScenario, scenarioRunnable } from '../lib/scenario/index.ts';

/**
 * A small mainline-style board: 256 MiB of RAM, the default `cma=64M` area lent to the page cache,
 * a camera taking 8 MPix frames (~32 MiB with 4 bytes per pixel) every 200 ms, a display
 * allocating 4-8 MiB scan-out buffers at random, readers whose 512 MiB of files overflow RAM (so
 * the page cache spills into the CMA area and allocations must migrate or drop it), and short-term
 * O_DIRECT-style pins on cached pages.
 */
export const scenario = defineScenario({
  name: 'basic: camera + display on cma=64M under page-cache pressure',
  seed: 1,
  until: '1s',
  machine: { ram: '256M' },
  cma: { lockMode: 'per-area', areas: [{ name: 'reserved', size: '64M', default: true }] },
  devices: [
    { name: 'camera', kinds: { frame: 'reserved' } },
    { name: 'display', kinds: { scanout: 'reserved' } },
  ],
  workload: [
    { generator: 'periodic', name: 'camera-frames', period: '200ms', alloc: { device: 'camera', kind: 'frame', areas: ['reserved'], size: '32M', hold: '120ms' } },
    { generator: 'poisson', name: 'display-buffers', rate: 10, alloc: { device: 'display', kind: 'scanout', areas: ['reserved'], size: ['4M', '8M'], hold: ['50ms', '300ms'] } },
    { generator: 'pagecache', name: 'readers', rate: 2500, files: 16, fileSize: '32M', readahead: [16, 64], dirty: 0.1 },
    { generator: 'pins', name: 'odirect', rate: 200, pages: [1, 8], hold: ['100us', '2ms'] },
  ],
  assertions: [{ name: 'camera never fails', metric: 'alloc.failed', op: '<=', value: 0, fatal: false }],
});

export default scenario;

/** The same scenario as a Runnable (built on demand), so `cma-sim debug examples/basic.ts` and `explore` open it. */
export const runnable = () => scenarioRunnable(scenario);
