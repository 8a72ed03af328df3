import { expect } from 'chai';
import type { ScenarioInput } from '../../../../lib/scenario/scenario.ts';
import { checkScenario } from '../../../../lib/scenario/scenario.ts';
import { scenarioFromJson } from '../../../../lib/scenario/loadScenario.ts';
import { scenarioError, smallScenario } from '../fixtures.ts';

const cam = { name: 'cam', buffers: [{ name: 'f', size: '1M', kind: 'a' }, { name: 'c', size: '1M' }] };
const vpu = { name: 'vpu', buffers: [{ name: 'bits', size: '1M', kind: 'b', shareWith: ['gpu'] }] };

/** cam and vpu have no kinds of their own: the map decides; their buffers say which kinds they ask for. */
const mapped = (map: string, devices: object[] = [cam, vpu, { name: 'gpu', kinds: { '*': ['r'] } }]): ScenarioInput => ({
  ...smallScenario(),
  cma: { areas: [{ name: 'r', size: '16M' }, { name: 'v', size: '8M' }], map },
  devices: devices as ScenarioInput['devices'],
  workload: [],
});

const kinds = (s: ReturnType<typeof checkScenario>) => Object.fromEntries(s.devices.map((d) => [d.name, d.kinds]));

describe('scenario cma.map (the original series\' cma_map= rules)', () => {
  it('resolves each kind a device uses through the first matching rule (__cma_where_from)', () => {
    // The series' semantics (lib/config resolve): a pattern without a kind part matches only
    // requests without a kind; the first matching rule wins; its regions are a fallback list.
    const s = checkScenario(mapped('cam/a=r;cam=v,r;*/b=v,r;*/*=r'));
    expect(kinds(s)).to.deep.equal({
      cam: { a: ['r'], '': ['v', 'r'] },
      vpu: { b: ['v', 'r'] },
      // gpu shares vpu's kind-b buffer, but its own catch-all '*' takes precedence over the map.
      gpu: { '*': ['r'] },
    });
  });

  it("explicit kinds win over the map; a kind no rule matches stays unmapped (cma_alloc fails for it)", () => {
    const s = checkScenario(mapped('cam/a=v;vpu/x=r', [{ ...cam, kinds: { a: 'r' } }, vpu, { name: 'gpu' }]));
    expect(kinds(s)).to.deep.equal({ cam: { a: ['r'] }, vpu: {}, gpu: {} });
  });

  it('a device that shares a buffer is resolved for that kind too (a shared buffer needs an area both may use)', () => {
    const s = checkScenario(mapped('*/b=v', [cam, vpu, { name: 'gpu' }]));
    expect(kinds(s).gpu).to.deep.equal({ b: ['v'] });
  });

  it('kinds from use-case buffer sets and recorded device events are resolved as well', () => {
    const s = checkScenario({
      ...mapped('*/u=r;*/rec=v;*/one=r', [cam, vpu, { name: 'gpu' }]),
      workload: [
        { generator: 'usecase', cases: { x: [{ device: 'gpu', buffers: [{ name: 'b', size: 4096, kind: 'u' }] }] }, switches: [{ at: 0, to: 'x' }] },
        {
          generator: 'replay', events: [
            { at: 0, event: { type: 'device.open', device: 'vpu', buffers: [{ name: 'q', size: 4096, kind: 'rec' }] } },
            { at: 1, event: { type: 'dma.alloc', device: 'cam', name: 'q', size: 4096, kind: 'one' } },
          ],
        },
      ],
    });
    expect(kinds(s)).to.deep.equal({ cam: { one: ['r'] }, vpu: { rec: ['v'] }, gpu: { u: ['r'] } });
  });

  it('size-0 regions are region names the map may use', () => {
    const s = checkScenario({ ...mapped('cam/a=none,r'), dma: { zeroRegions: ['none'], zeroFallback: true } });
    expect(s.devices[0].kinds).to.deep.equal({ a: ['none', 'r'] });
  });

  const cases: [string, (s: any) => void, string][] = [
    ['a syntax error, with its column', (s) => { s.cma.map = 'video/*;x=y'; }, "cma.map: column 8: expected '=' after pattern 'video/*', got ';'"],
    ['a misplaced wildcard', (s) => { s.cma.map = 'vi*deo=r'; }, "cma.map: column 3: '*' must be the last character of pattern 'vi*deo'"],
    ['a rule naming an unknown region, with its column', (s) => { s.cma.map = 'cam/a=r;vpu=v,zz'; }, 'cma.map: column 15: expected a region name ("r", "v"), got \'zz\''],
    ['rules that are not a string', (s) => { s.cma.map = ['cam=r']; }, "cma.map: expected cma_map rules ('dev/kind=region,region;...'), got an array"],
  ];
  for (const [what, edit, msg] of cases) {
    it(`names the JSON path: ${what}`, () => {
      expect(scenarioError(edit, mapped('cam=r'))).to.equal(msg);
    });
  }

  it('a map error in a JSON file points at the line and column of the map', () => {
    const text = JSON.stringify(mapped('cam=zz'), null, 2);
    const line = text.split('\n').findIndex((l) => l.includes('"map"')) + 1;
    expect(() => scenarioFromJson(text, 'two.json')).to.throw(`two.json:${line}:12: cma.map: column 5: expected a region name ("r", "v"), got 'zz'`);
  });
});
