import { expect } from 'chai';
import { checkScenario } from '../../../../lib/scenario/scenario.ts';
import { scenarioError, smallScenario } from '../fixtures.ts';

const MiB = 2 ** 20;

describe('scenario devices section', () => {
  it("checks devices into the devices model's definitions: kinds as region lists, sizes in bytes, work in ns", () => {
    const s = checkScenario({
      ...smallScenario(),
      dma: { zeroRegions: ['none'] },
      devices: [
        {
          name: 'cam', dmaBits: 32, kinds: { a: 'r', b: ['v', 'none'] },
          buffers: [{ name: 'f', size: '3M', align: 4, kind: 'a', shareWith: ['gpu'] }, { name: 'desc', size: 4096 }],
          work: { period: '33ms', duration: '5ms', buffers: ['f'] },
        },
        { name: 'vpu', kinds: { b: 'v' } },
        { name: 'gpu', iommu: true, area: 'r' },
      ],
    });
    expect(s.devices[0]).to.deep.equal({
      name: 'cam', dmaBits: 32, iommu: false, area: null, kinds: { a: ['r'], b: ['v', 'none'] },
      buffers: [
        { name: 'f', size: 3 * MiB, align: 4, kind: 'a', shareWith: ['gpu'], heap: null, region: null },
        { name: 'desc', size: 4096, align: 0, kind: '', shareWith: [], heap: null, region: null },
      ],
      work: { period: 33e6, duration: 5e6, buffers: ['f'] },
    });
    expect(s.devices[2]).to.deep.include({ iommu: true, area: 'r', dmaBits: 64, buffers: [], work: null });
  });

  it('a buffer may name a declared heap, or a private region its own device registers in a replay workload', () => {
    const s = checkScenario({
      ...smallScenario(),
      dma: { heaps: [{ name: 'ion-sys', type: 'system' }] },
      devices: [{ name: 'cam', buffers: [{ name: 'h', size: '1M', heap: 'ion-sys' }, { name: 'fb', size: '1M', region: 'vram' }] }, { name: 'vpu' }, { name: 'gpu' }],
      workload: [{ generator: 'replay', events: [{ at: 0, event: { type: 'device.region.register', device: 'cam', region: 'vram', base: 128 * MiB, size: 8 * MiB } }] }],
    });
    expect(s.devices[0].buffers.map((b) => [b.heap, b.region])).to.deep.equal([['ion-sys', null], [null, 'vram']]);
  });

  const cases: [string, (s: any) => void, string][] = [
    ['kind naming a number', (s) => { s.devices[0].kinds.a = 42; }, 'devices[0].kinds.a: expected a region name, got 42'],
    ['kind with an empty region list', (s) => { s.devices[0].kinds.a = []; }, 'devices[0].kinds.a: expected a region name or a non-empty list of them, got an empty list'],
    ['kind list naming an unknown region', (s) => { s.devices[0].kinds.a = ['r', 'zz']; }, 'devices[0].kinds.a[1]: expected a region name ("r", "v"), got "zz"'],
    ['kinds not an object', (s) => { s.devices[0].kinds = ['r']; }, 'devices[0].kinds: expected an object mapping kinds to region names, got an array'],
    ['own area naming a size-0 region', (s) => { s.dma = { zeroRegions: ['z0'] }; s.devices[2].area = 'z0'; }, 'devices[2].area: expected a CMA area name ("r", "v"), got "z0"'],
    ['DMA mask too narrow', (s) => { s.devices[0].dmaBits = 8; }, 'devices[0].dmaBits: expected an integer in 12..64, got 8'],
    ['iommu not a boolean', (s) => { s.devices[0].iommu = 'yes'; }, 'devices[0].iommu: expected true or false, got "yes"'],
    ['unknown device field', (s) => { s.devices[0].buffer = []; }, 'devices[0].buffer: unknown field (did you mean \'buffers\'?) (expected one of: name, kinds, dmaBits, iommu, area, buffers, work)'],
    ['buffer of size 0', (s) => { s.devices[0].buffers = [{ name: 'f', size: 0 }]; }, 'devices[0].buffers[0].size: expected a size > 0'],
    ['buffer without a size', (s) => { s.devices[0].buffers = [{ name: 'f' }]; }, 'devices[0].buffers[0].size: missing required field'],
    ['duplicate buffer names', (s) => { s.devices[0].buffers = [{ name: 'f', size: 4096 }, { name: 'f', size: 4096 }]; }, 'devices[0].buffers[1].name: duplicate name "f"'],
    ['alignment past 2^30 pages', (s) => { s.devices[0].buffers = [{ name: 'f', size: 4096, align: 31 }]; }, 'devices[0].buffers[0].align: expected an integer in 0..30, got 31'],
    ['buffer with both a heap and a region', (s) => { s.devices[0].buffers = [{ name: 'f', size: 4096, heap: 'h', region: 'r' }]; }, "devices[0].buffers[0]: expected at most one of 'heap' and 'region'"],
    ['buffer shared with an unknown device', (s) => { s.devices[0].buffers = [{ name: 'f', size: 4096, shareWith: ['npu'] }]; }, 'devices[0].buffers[0].shareWith[0]: expected another device name ("vpu", "gpu"), got "npu"'],
    ['buffer shared with its own device', (s) => { s.devices[1].buffers = [{ name: 'f', size: 4096, shareWith: ['cam', 'vpu'] }]; }, 'devices[1].buffers[0].shareWith[1]: expected another device name ("cam", "gpu"), got "vpu"'],
    ['buffer naming an undeclared heap', (s) => { s.devices[0].buffers = [{ name: 'f', size: 4096, heap: 'ion' }]; }, 'devices[0].buffers[0].heap: expected a heap name from dma.heaps (none declared), got "ion"'],
    ['buffer naming a region no replay registers', (s) => { s.devices[0].buffers = [{ name: 'f', size: 4096, region: 'vram' }]; }, 'devices[0].buffers[0].region: expected a private region cam registers (device.region.register in a replay workload) (none declared), got "vram"'],
    ['buffer naming a region another device registers', (s) => {
      s.devices[0].buffers = [{ name: 'f', size: 4096, region: 'vram' }];
      s.workload.push({ generator: 'replay', events: [{ at: 0, event: { type: 'device.region.register', device: 'gpu', region: 'vram', base: 0, size: 4096 } }] });
    }, 'devices[0].buffers[0].region: expected a private region cam registers (device.region.register in a replay workload) (none declared), got "vram"'],
    ['work with a zero period', (s) => { s.devices[0].work = { period: 0, duration: '1ms' }; }, 'devices[0].work.period: expected a duration > 0'],
    ['work with a zero duration', (s) => { s.devices[0].work = { period: '1ms', duration: 0 }; }, 'devices[0].work.duration: expected a duration > 0'],
    ['work pinning an unknown buffer', (s) => { s.devices[0].buffers = [{ name: 'f', size: 4096 }]; s.devices[0].work = { period: '1ms', duration: '1ms', buffers: ['g'] }; }, 'devices[0].work.buffers[0]: expected a buffer name of this set ("f"), got "g"'],
    ['work with an unknown field', (s) => { s.devices[0].work = { period: '1ms', duration: '1ms', every: 2 }; }, 'devices[0].work.every: unknown field (expected one of: period, duration, buffers)'],
  ];
  for (const [what, edit, msg] of cases) {
    it(`names the JSON path: ${what}`, () => {
      expect(scenarioError(edit)).to.equal(msg);
    });
  }
});
