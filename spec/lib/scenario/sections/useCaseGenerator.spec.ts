import { expect } from 'chai';
import type { ScenarioInput } from '../../../../lib/scenario/scenario.ts';
import { checkScenario } from '../../../../lib/scenario/scenario.ts';
import { scenarioError, smallScenario } from '../fixtures.ts';

/** The small scenario with buffer sets and work declared on its devices. */
const withSets = (): ScenarioInput => ({
  ...smallScenario(),
  devices: [
    { name: 'cam', kinds: { a: 'r' }, buffers: [{ name: 'frame', size: '1M', kind: 'a' }], work: { period: '10ms', duration: '2ms', buffers: ['frame'] } },
    { name: 'vpu', kinds: { b: 'v' }, buffers: [{ name: 'bits', size: '512K', kind: 'b' }] },
    { name: 'gpu', area: 'r' },
  ],
});

const useCase = (s: ReturnType<typeof checkScenario>) => {
  const g = s.workload[2];
  if (g.kind !== 'usecase') throw new Error('expected the use-case generator');
  return g;
};

describe('scenario usecase generator cases', () => {
  it("a device named in a case opens with its declared buffers and work; { device, buffers, work } gives the case's own set", () => {
    const s = checkScenario({
      ...withSets(),
      workload: [...withSets().workload!.slice(0, 2), {
        generator: 'usecase', name: 'uc', dwell: '20ms',
        cases: { one: ['cam'], two: ['vpu', { device: 'cam', buffers: [{ name: 'frame', size: '2M', kind: 'a' }, { name: 'meta', size: 4096 }] }, { device: 'gpu', buffers: [{ name: 't', size: '4M' }], work: { period: '16ms', duration: '8ms' } }] },
      }],
    });
    const frame = { name: 'frame', size: 2 ** 20, align: 0, kind: 'a', shareWith: [], heap: null, region: null };
    expect(useCase(s).cases).to.deep.equal({
      one: [{ device: 'cam', buffers: [frame], work: { period: 10e6, duration: 2e6, buffers: ['frame'] } }],
      two: [
        { device: 'vpu', buffers: [{ name: 'bits', size: 2 ** 19, align: 0, kind: 'b', shareWith: [], heap: null, region: null }], work: null },
        // The declared work pins 'frame', which this set has too: it carries over.
        { device: 'cam', buffers: [{ ...frame, size: 2 ** 21 }, { ...frame, name: 'meta', size: 4096, kind: '' }], work: { period: 10e6, duration: 2e6, buffers: ['frame'] } },
        { device: 'gpu', buffers: [{ ...frame, name: 't', size: 4 * 2 ** 20, kind: '' }], work: { period: 16e6, duration: 8e6, buffers: [] } },
      ],
    });
  });

  const uc = (cases: unknown) => (s: any) => { s.workload[2].cases = cases; };
  const cases: [string, (s: any) => void, string][] = [
    ['an entry that is neither a name nor an object', uc({ one: [42] }), 'workload[2].cases.one[0]: expected a device name, got 42'],
    ['an entry without its device', uc({ one: [{ buffers: [] }] }), 'workload[2].cases.one[0].device: missing required field'],
    ['an entry with an unknown field', uc({ one: [{ device: 'cam', buffer: [] }] }), 'workload[2].cases.one[0].buffer: unknown field (did you mean \'buffers\'?) (expected one of: device, buffers, work)'],
    ['an entry naming an unknown device', uc({ one: [{ device: 'npu' }] }), 'workload[2].cases.one[0].device: expected a device name ("cam", "vpu", "gpu"), got "npu"'],
    ['a device twice in one case', uc({ one: ['cam', { device: 'cam' }] }), 'workload[2].cases.one[1]: duplicate device "cam" in this case'],
    ['a case buffer without a size', uc({ one: [{ device: 'vpu', buffers: [{ name: 'x' }] }] }), 'workload[2].cases.one[0].buffers[0].size: missing required field'],
    ['a case buffer shared with an unknown device', uc({ one: [{ device: 'vpu', buffers: [{ name: 'x', size: 4096, shareWith: ['npu'] }] }] }), 'workload[2].cases.one[0].buffers[0].shareWith[0]: expected another device name ("cam", "gpu"), got "npu"'],
    ['a case buffer naming an undeclared heap', uc({ one: [{ device: 'vpu', buffers: [{ name: 'x', size: 4096, heap: 'ion' }] }] }), 'workload[2].cases.one[0].buffers[0].heap: expected a heap name from dma.heaps (none declared), got "ion"'],
    ["a set without the buffers the device's declared work pins", uc({ one: [{ device: 'cam', buffers: [{ name: 'other', size: 4096 }] }] }), 'workload[2].cases.one[0].buffers: expected the buffers cam\'s declared work pins ("frame"), or a \'work\' for this set'],
    ["case work pinning a buffer not in the set", uc({ one: [{ device: 'vpu', work: { period: '1ms', duration: '1ms', buffers: ['frame'] } }] }), 'workload[2].cases.one[0].work.buffers[0]: expected a buffer name of this set ("bits"), got "frame"'],
    ['a case that is not a list', uc({ one: 'cam' }), 'workload[2].cases.one: expected a list of devices (a name, or { device, buffers, work }), got "cam"'],
  ];
  for (const [what, edit, msg] of cases) {
    it(`names the JSON path: ${what}`, () => {
      expect(scenarioError(edit, withSets())).to.equal(msg);
    });
  }
});
