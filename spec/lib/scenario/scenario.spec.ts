import { expect } from 'chai';
import { checkScenario, defineScenario } from '../../../lib/scenario/scenario.ts';
import { setPath } from '../../../lib/scenario/setPath.ts';
import { scenarioError, smallScenario } from './fixtures.ts';

describe('scenario validation', () => {
  it('normalises sizes to bytes and durations to integer ns', () => {
    const s = checkScenario(smallScenario());
    expect(s.until).to.equal(200_000_000);
    expect(s.machine.banks).to.deep.equal([{ name: 'bank0', base: 0, size: 256 * 2 ** 20 }]);
    expect(s.cma.areas[0].size).to.equal(16 * 2 ** 20);
    const cam = s.workload[0];
    expect(cam.kind === 'alloc' && cam.size).to.deep.equal([65536, 1048576]);
    expect(cam.kind === 'alloc' && cam.hold).to.deep.equal([5e6, 20e6]);
    expect(s.workload[1].kind === 'pagecache' && s.workload[1].filePages).to.equal(1024);
  });

  it('pins default to the files the page-cache generator reads', () => {
    const s = checkScenario({ ...smallScenario(), workload: [...smallScenario().workload!, { generator: 'pins', rate: 10, hold: '1ms' }, { generator: 'pins', rate: 10, hold: '1ms', files: 2 }] });
    const [a, b] = s.workload.slice(3);
    expect(a.kind === 'pins' && [a.files, a.filePages]).to.deep.equal([4, 1024]);
    expect(b.kind === 'pins' && [b.files, b.filePages]).to.deep.equal([2, 1024]);
  });

  it('the TypeScript and JSON forms mean the same scenario', () => {
    const fromJson = checkScenario(JSON.parse(JSON.stringify(smallScenario())));
    expect(defineScenario(smallScenario())).to.deep.equal(fromJson);
  });

  const cases: [string, (s: any) => void, string][] = [
    ['device kind naming a non-region', (s) => { s.devices.push({ name: 'x', kinds: { a: 42 } }); }, 'devices[3].kinds.a: expected a region name, got 42'],
    ['device kind naming an unknown region', (s) => { s.devices[1].kinds.b = 'zz'; }, 'devices[1].kinds.b: expected a region name ("r", "v"), got "zz"'],
    ['bad size', (s) => { s.cma.areas[1].size = '8Q'; }, 'cma.areas[1].size: expected a size (bytes, or "64M" / "512K" / "1G"), got "8Q"'],
    ['unaligned area', (s) => { s.cma.areas[0].size = '1M'; }, 'cma.areas[0].size: expected a multiple of the pageblock size (2097152 bytes), got 1048576'],
    ['bad duration', (s) => { s.workload[0].alloc.hold = ['5ms', 'soon']; }, 'workload[0].alloc.hold[1]: expected a duration (integer ns, or "12.5ms" / "10s" / "2us"), got "soon"'],
    ['reversed range', (s) => { s.workload[0].alloc.size = ['1M', '64K']; }, 'workload[0].alloc.size: expected low <= high, got ["1M", "64K"]'],
    ['unknown generator', (s) => { s.workload[1].generator = 'storm'; }, "workload[1].generator: expected one of 'periodic', 'poisson', 'burst', 'pagecache', 'pins', 'memory', 'usecase', 'replay', got \"storm\""],
    ['typo in a field', (s) => { s.workload[1].rat = 5; }, 'workload[1].rat: unknown field'],
    ['missing field', (s) => { delete s.workload[0].rate; }, 'workload[0].rate: missing required field'],
    ['use case naming an unknown device', (s) => { s.workload[2].cases.two.push('npu'); }, 'workload[2].cases.two[2]: expected a device name ("cam", "vpu", "gpu"), got "npu"'],
    ['duplicate names', (s) => { s.devices[2].name = 'cam'; }, 'devices[2].name: duplicate name "cam"'],
    ['replay of a malformed event', (s) => { s.workload.push({ generator: 'replay', events: [{ at: '1ms', event: { type: 'workload.tick' } }] }); }, "workload[3].events[0].event: workload.tick: missing field 'generator' (a string)"],
    ['assertion on an unknown metric', (s) => { s.assertions = [{ metric: 'speed', op: '<', value: 1 }]; }, 'assertions[0].metric: expected a metric name'],
    ['memory order above the buddy maximum', (s) => { s.workload.push({ generator: 'memory', rate: 5, order: [0, 11] }); }, 'workload[3].order[1]: expected an integer in 0..10, got 11'],
    ['unknown cost', (s) => { s.costs = { migrateFast: '1us' }; }, 'costs.migrateFast: unknown field (expected one of: lockHandoff,'],
    ['use case generator without cases nor dma.useCases', (s) => { delete s.workload[2].cases; }, 'workload[2].cases: missing required field (or declare dma.useCases to switch between)'],
    ['switch to an unknown dma use case', (s) => { delete s.workload[2].cases; s.dma = { useCases: [{ name: 'video', devices: ['cam'] }] }; s.workload[2].dwell = undefined; s.workload[2].switches = [{ at: 0, to: 'audio' }]; }, 'workload[2].switches[0].to: expected a use-case name ("video"), got "audio"'],
    ['both switches and dwell', (s) => { s.workload[2].switches = [{ at: 0, to: 'one' }]; }, "workload[2]: expected exactly one of 'switches' (fixed times) or 'dwell' (random switching)"],
  ];
  for (const [what, edit, msg] of cases) {
    it(`names the JSON path: ${what}`, () => {
      expect(scenarioError(edit)).to.contain(msg);
    });
  }

  it('costs take durations; migratePerPage sets every per-page migration cost unless one is given', () => {
    const s = checkScenario({ ...smallScenario(), costs: { migratePerPage: '2us', migrateAnon: 3000, drain: '0.5ms' } });
    expect(s.costs).to.deep.equal({ migratePagecacheClean: 2000, migratePagecacheDirty: 2000, migrateAnon: 3000, drain: 500_000 });
  });

  it('--set edits any field by path, creating objects on the way', () => {
    const s = setPath(setPath(smallScenario(), 'costs.migrateAnon', '2us'), 'workload[0].rate', 7);
    expect(s.costs).to.deep.equal({ migrateAnon: '2us' });
    expect((s.workload![0] as { rate: number }).rate).to.equal(7);
    expect(() => setPath(smallScenario(), 'workload[9].rate', 1)).to.throw(/no element \[9\]/);
  });
});
