import type { ScenarioInput } from '../../../lib/scenario/scenario.ts';

/** A small scenario every scenario/CLI test can run in a few milliseconds. */
export function smallScenario(): ScenarioInput {
  return {
    name: 'small',
    seed: 3,
    until: '200ms',
    machine: { ram: '256M' },
    cma: { areas: [{ name: 'r', size: '16M' }, { name: 'v', size: '8M' }] },
    devices: [{ name: 'cam', kinds: { a: 'r' } }, { name: 'vpu', kinds: { b: 'v' } }, { name: 'gpu', area: 'r' }],
    workload: [
      { generator: 'poisson', name: 'cam', rate: 50, alloc: { device: 'cam', kind: 'a', areas: ['r'], size: ['64K', '1M'], hold: ['5ms', '20ms'] } },
      { generator: 'pagecache', name: 'pc', rate: 500, files: 4, fileSize: '4M' },
      { generator: 'usecase', name: 'uc', cases: { one: ['cam'], two: ['vpu', 'gpu'] }, dwell: ['20ms', '50ms'] },
    ],
  };
}
