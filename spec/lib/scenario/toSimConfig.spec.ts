import { expect } from 'chai';
import { stateHash } from '../../../lib/history/index.ts';
import { loadScenarioFile } from '../../../lib/scenario/loadScenario.ts';
import { runScenario, type RunOutcome } from '../../../lib/scenario/runScenario.ts';
import { checkScenario, defineScenario, type Scenario } from '../../../lib/scenario/scenario.ts';
import type { SimState } from '../../../models/state.ts';
import { smallScenario } from './fixtures.ts';

const MiB = 2 ** 20;
const MS = 1_000_000;
const EXAMPLE = 'examples/two-devices.json';

/** examples/two-devices.json written the TypeScript way: bytes and ns as numbers, helpers for repeats. */
function twoDevicesTs(): Scenario {
  const ref = (i: number) => ({ name: `ref${i}`, size: 1.5 * MiB, kind: 'b' });
  return defineScenario({
    name: 'two-devices',
    description: 'A camera (32-bit DMA mask, mainline DMA layer) and a video codec (original framework, kinds a/b through cma_map) on two banks; the codec joins while recording, sharing a frame with the camera',
    seed: 11,
    until: 1000 * MS,
    machine: { banks: [{ name: 'bank0', base: 0x20000000, size: 64 * MiB }, { name: 'bank1', base: 0x40000000, size: 64 * MiB }] },
    cma: {
      areas: [{ name: 'codec-a', size: 8 * MiB, bank: 'bank0', allocator: 'best-fit' }, { name: 'common', size: 32 * MiB, bank: 'bank1', default: true }],
      map: 'codec/a=codec-a;codec/b=common,codec-a;codec=common',
    },
    devices: [
      {
        name: 'camera', dmaBits: 32,
        buffers: [{ name: 'frame0', size: 3 * MiB }, { name: 'frame1', size: 3 * MiB }, { name: 'shared', size: 3 * MiB, shareWith: ['codec'] }],
        work: { period: 33 * MS, duration: 5 * MS, buffers: ['frame0', 'frame1'] },
      },
      { name: 'codec', buffers: [{ name: 'fw', size: MiB, kind: 'a' }], work: { period: 33 * MS, duration: 20 * MS } },
    ],
    dma: { policy: 'auto' },
    workload: [
      { name: 'files', generator: 'pagecache', rate: 2000, files: 4, fileSize: 32 * MiB, readahead: [16, 64] },
      {
        name: 'use-cases', generator: 'usecase',
        cases: {
          preview: ['camera'],
          record: ['camera', {
            device: 'codec',
            buffers: [{ name: 'fw', size: MiB, kind: 'a' }, { name: 'bitstream', size: 2 * MiB, kind: 'a' }, ref(0), ref(1), ref(2)],
            work: { period: 33 * MS, duration: 25 * MS, buffers: ['bitstream', 'ref0', 'ref1'] },
          }],
        },
        switches: [{ at: 100 * MS, to: 'preview' }, { at: 400 * MS, to: 'record' }, { at: 800 * MS, to: 'preview' }],
      },
    ],
    assertions: [{ name: 'every buffer allocated', metric: 'alloc.failed', op: '==', value: 0 }],
  });
}

const logHash = (o: RunOutcome): string => stateHash([...o.history.engine.log.envelopes()]);
const buffersOf = (st: SimState, dev: string) => Object.values(st.devices.buffers).filter((b) => b.owner === dev).sort((a, b) => a.id - b.id);

describe('toSimConfig: scenario devices reach the devices model', () => {
  describe(EXAMPLE, () => {
    let run: RunOutcome;
    before(async () => { run = runScenario(await loadScenarioFile(EXAMPLE)); });

    it('runs and allocates the buffer sets it declares, where its map and default area send them', () => {
      const st = run.history.engine.state.model;
      expect(run.summary.assertions.every((a) => a.ok)).to.equal(true);
      expect(st.devices.counters.failures).to.equal(0);
      // camera: mainline, no area of its own -> the area declared default: true (dma_alloc_contiguous
      // falls back to dma_contiguous_default_area); it stays open across every switch.
      expect(buffersOf(st, 'camera').map((b) => [b.name, b.pages, b.status, b.where?.from === 'cma' && b.where.area])).to.deep.equal([
        ['frame0', 768, 'ready', 'common'], ['frame1', 768, 'ready', 'common'], ['shared', 768, 'ready', 'common'],
      ]);
      expect(buffersOf(st, 'camera')[2].users).to.deep.equal(['camera', 'codec']);
      // codec: the record case's own set, kinds resolved through cma.map; freed when preview comes back.
      expect(buffersOf(st, 'codec').map((b) => [b.name, b.pages, b.status, b.where?.from === 'cma' && b.where.area])).to.deep.equal([
        ['fw', 256, 'freed', 'codec-a'], ['bitstream', 512, 'freed', 'codec-a'],
        ['ref0', 384, 'freed', 'common'], ['ref1', 384, 'freed', 'common'], ['ref2', 384, 'freed', 'common'],
      ]);
      expect(st.devices.devices.camera.counters).to.deep.include({ opens: 1, closes: 0 });
      expect(st.devices.devices.codec.counters).to.deep.include({ opens: 1, closes: 1 });
      // Periodic work ran while each device was open: camera ~900 ms / 33 ms, codec ~400 ms / 33 ms.
      expect(st.devices.devices.camera.counters.operations).to.be.within(25, 28);
      expect(st.devices.devices.codec.counters.operations).to.be.within(10, 13);
    });

    it('the use-case switch opens the codec with the set its case declares, in the event itself', () => {
      const opens = [...run.history.engine.log.envelopes()].filter((e) => e.event.type === 'device.open').map((e) => [e.time, e.event]);
      expect(opens).to.have.length(2);
      expect(opens[1]).to.deep.equal([400 * MS, {
        type: 'device.open', device: 'codec',
        buffers: [
          { name: 'fw', size: MiB, kind: 'a' }, { name: 'bitstream', size: 2 * MiB, kind: 'a' },
          { name: 'ref0', size: 1.5 * MiB, kind: 'b' }, { name: 'ref1', size: 1.5 * MiB, kind: 'b' }, { name: 'ref2', size: 1.5 * MiB, kind: 'b' },
        ],
        work: { period: 33 * MS, duration: 25 * MS, buffers: ['bitstream', 'ref0', 'ref1'] },
      }]);
    });

    it('the TypeScript form of the same scenario means the same thing: same log hash', async () => {
      const json = await loadScenarioFile(EXAMPLE);
      const ts = twoDevicesTs();
      expect({ ...ts, source: null }).to.deep.equal({ ...json, source: null });
      const until = 500 * MS;
      const a = runScenario(json, { until }), b = runScenario(ts, { until });
      expect(a.summary.events).to.be.greaterThan(500);
      expect(logHash(b)).to.equal(logHash(a));
      expect(b.summary.finalHash).to.equal(a.summary.finalHash);
    });
  });

  describe('the default area', () => {
    const scenario = (dma?: object) => checkScenario({
      ...smallScenario(), until: '20ms',
      cma: { areas: [{ name: 'other', size: '8M' }, { name: 'main', size: '16M', default: true }] },
      devices: [{ name: 'disp', buffers: [{ name: 'fb', size: '2M' }] }],
      ...(dma ? { dma } : {}),
      workload: [{ generator: 'usecase', cases: { on: ['disp'] }, switches: [{ at: '1ms', to: 'on' }] }],
    });
    const placed = (s: Scenario) => {
      const st = runScenario(s).history.engine.state.model;
      const [fb] = buffersOf(st, 'disp');
      return fb.where?.from === 'cma' ? fb.where.area : fb.where?.from;
    };

    it("is the area declared default: true, whatever its name (mainline's dma_contiguous_default_area)", () => {
      expect(placed(scenario())).to.equal('main');
    });

    it('dma.defaultArea overrides it', () => {
      expect(placed(scenario({ defaultArea: 'other' }))).to.equal('other');
    });
  });
});
