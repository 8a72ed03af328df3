import { expect } from 'chai';
import type { ScenarioInput } from '../../../../lib/scenario/scenario.ts';
import { checkScenario } from '../../../../lib/scenario/scenario.ts';
import { toSimConfig } from '../../../../lib/scenario/toSimConfig.ts';
import { scenarioError, smallScenario } from '../fixtures.ts';

const withPrivate = (): ScenarioInput => ({ ...smallScenario(), cma: { areas: [{ name: 'r', size: '16M' }, { name: 'v', size: '8M', private: true }] } });

describe('scenario dma section (the devices settings)', () => {
  it('reads every DevicesConfig setting and hands it to the devices model as is', () => {
    const s = checkScenario({
      ...withPrivate(),
      dma: {
        policy: 'original', defaultArea: 'r', zeroRegions: ['nowhere'], zeroFallback: true, deviceAreaFallback: true, pollNs: '20us',
        heaps: [{ name: 'carve', type: 'carveout', area: 'v' }, { name: 'cma', type: 'cma', area: 'r' }, { name: 'sys', type: 'system' }],
        useCases: [{ name: 'call', devices: ['cam', 'vpu'] }, { name: 'ui', devices: ['gpu'], exclusive: false }],
      },
    });
    expect(toSimConfig(s).devices).to.deep.equal({
      devices: s.devices, policy: 'original', defaultArea: 'r', zeroRegions: ['nowhere'], zeroFallback: true, deviceAreaFallback: true, pollNs: 20_000,
      heaps: [{ name: 'carve', type: 'carveout', area: 'v' }, { name: 'cma', type: 'cma', area: 'r' }, { name: 'sys', type: 'system', area: null }],
      useCases: [{ name: 'call', devices: ['cam', 'vpu'], exclusive: true }, { name: 'ui', devices: ['gpu'], exclusive: false }],
    });
  });

  it('without an override, no default area is passed: the devices model takes the one CMA declares default', () => {
    const s = checkScenario({ ...smallScenario(), cma: { areas: [{ name: 'r', size: '16M' }, { name: 'v', size: '8M', default: true }] } });
    const cfg = toSimConfig(s);
    expect(cfg.devices).to.not.have.property('defaultArea');
    expect(cfg.cma?.areas?.map((a) => a.default)).to.deep.equal([false, true]);
  });

  const cases: [string, (s: any) => void, string][] = [
    ['unknown policy', (s) => { s.dma = { policy: 'legacy' }; }, "dma.policy: expected one of 'mainline', 'original', 'auto', got \"legacy\""],
    ['unknown setting', (s) => { s.dma = { fallback: true }; }, 'dma.fallback: unknown field (expected one of: policy, defaultArea, heaps, useCases, zeroRegions, zeroFallback, deviceAreaFallback, pollNs)'],
    ['default area naming no area', (s) => { s.dma = { defaultArea: 'zz' }; }, 'dma.defaultArea: expected a CMA area name ("r", "v"), got "zz"'],
    ['size-0 region that is not a name', (s) => { s.dma = { zeroRegions: [7] }; }, 'dma.zeroRegions[0]: expected a region name, got 7'],
    ['size-0 region named twice', (s) => { s.dma = { zeroRegions: ['z', 'z'] }; }, 'dma.zeroRegions[1]: duplicate name "z"'],
    ['size-0 region named like an area', (s) => { s.dma = { zeroRegions: ['r'] }; }, 'dma.zeroRegions[0]: expected a name that is not a CMA area, got "r"'],
    ['heap of an unknown type', (s) => { s.dma = { heaps: [{ name: 'h', type: 'ion' }] }; }, "dma.heaps[0].type: expected one of 'carveout', 'cma', 'system', got \"ion\""],
    ['CMA heap without an area', (s) => { s.dma = { heaps: [{ name: 'h', type: 'cma' }] }; }, 'dma.heaps[0].area: missing required field (a cma heap sits on a CMA area)'],
    ['system heap with an area', (s) => { s.dma = { heaps: [{ name: 'h', type: 'system', area: 'r' }] }; }, 'dma.heaps[0].area: expected no area for a system heap (it takes discontiguous pages)'],
    ['carve-out on a shared area', (s) => { s.dma = { heaps: [{ name: 'h', type: 'carveout', area: 'r' }] }; }, 'dma.heaps[0].area: expected a private area for a carve-out heap (one with private: true), got "r"'],
    ['heap on an unknown area', (s) => { s.dma = { heaps: [{ name: 'h', type: 'cma', area: 'zz' }] }; }, 'dma.heaps[0].area: expected a CMA area name ("r", "v"), got "zz"'],
    ['duplicate heap names', (s) => { s.dma = { heaps: [{ name: 'h', type: 'system' }, { name: 'h', type: 'system' }] }; }, 'dma.heaps[1].name: duplicate name "h"'],
    ['use case naming an unknown device', (s) => { s.dma = { useCases: [{ name: 'u', devices: ['cam', 'npu'] }] }; }, 'dma.useCases[0].devices[1]: expected a device name ("cam", "vpu", "gpu"), got "npu"'],
    ['use case without devices', (s) => { s.dma = { useCases: [{ name: 'u' }] }; }, 'dma.useCases[0].devices: missing required field'],
    ['zero poll interval', (s) => { s.dma = { pollNs: 0 }; }, 'dma.pollNs: expected a duration > 0'],
  ];
  for (const [what, edit, msg] of cases) {
    it(`names the JSON path: ${what}`, () => {
      expect(scenarioError(edit, withPrivate())).to.equal(msg);
    });
  }
});
