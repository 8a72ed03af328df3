import { expect } from 'chai';
import { ScenarioError } from '../../../lib/scenario/check.ts';
import { checkScenario, type ScenarioInput } from '../../../lib/scenario/scenario.ts';

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

/** Apply `edit` to a copy of `base` (the small scenario by default) and return the ScenarioError message it gets. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- edits reach into any field, as a JSON file could
export function scenarioError(edit: (s: any) => void, base: ScenarioInput = smallScenario()): string {
  const s = JSON.parse(JSON.stringify(base));
  edit(s);
  try {
    checkScenario(s);
  } catch (e) {
    expect(e).to.be.instanceOf(ScenarioError);
    return (e as Error).message;
  }
  throw new Error('expected a ScenarioError');
}
