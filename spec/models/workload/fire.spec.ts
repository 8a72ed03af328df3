import { expect } from 'chai';
import { nextDelay } from '../../../models/workload/arrival.ts';
import { emitAlloc } from '../../../models/workload/emit.ts';
import { pidFor } from '../../../models/pidFor.ts';
import { fireAlloc, firePin, fireReplay, switchUseCase } from '../../../models/workload/fire.ts';
import type { AllocGenerator, DeviceOpening, PinGenerator, UseCaseGenerator } from '../../../models/workload/state.ts';
import { validateEvent } from '../../../events/index.ts';
import { fakeCtx, recordingSink } from './fakeCtx.ts';

const base = { start: 0, stop: null, count: null };
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a plain object stands in for the immer draft
const progress = (spec: unknown): any => ({ spec, fired: 0, emitted: 0, cursor: 0, current: null, done: false });

describe('workload generators (what a tick emits)', () => {
  it('use-case switch closes what the next case does not use (last opened first), then opens what it adds', () => {
    const dev = (device: string): DeviceOpening => ({ device, buffers: [], work: null });
    const spec: UseCaseGenerator = {
      ...base, name: 'uc', kind: 'usecase', dwell: null, initial: null, switches: [],
      cases: { hd: [dev('mfc'), dev('fimc0'), dev('fimc1')], call: [dev('mfc'), dev('fimc2'), dev('fimc1')] }, caseNames: ['hd', 'call'],
    };
    const g = progress(spec);
    const out = recordingSink();
    switchUseCase(out, g, 'hd');
    switchUseCase(out, g, 'call');
    expect(out.events.map((e) => `${e.ev.type} ${e.ev.device}`)).to.deep.equal([
      'device.open mfc', 'device.open fimc0', 'device.open fimc1',
      'device.close fimc0', 'device.open fimc2',
    ]);
    expect(g.current).to.equal('call');
    expect(g.emitted).to.equal(5);
  });

  it('a device opens with the buffer set and work its case declares, and is reopened when the next case declares another set', () => {
    const buf = (name: string, size: number, kind = '') => ({ name, size, align: 0, kind, shareWith: [], heap: null, region: null });
    const hd: DeviceOpening = { device: 'mfc', buffers: [buf('fw', 1 << 20, 'a'), { ...buf('dpb0', 3 << 20, 'b'), shareWith: ['fimc0'], align: 4 }], work: { period: 33e6, duration: 25e6, buffers: [] } };
    const call: DeviceOpening = { device: 'mfc', buffers: [buf('fw', 1 << 20, 'a'), buf('enc', 1 << 19, 'b')], work: { period: 33e6, duration: 28e6, buffers: ['enc'] } };
    const cam: DeviceOpening = { device: 'cam', buffers: [buf('frame', 1 << 20)], work: null };
    const spec: UseCaseGenerator = { ...base, name: 'uc', kind: 'usecase', dwell: null, initial: null, switches: [], cases: { hd: [cam, hd], call: [cam, call] }, caseNames: ['hd', 'call'] };
    const g = progress(spec);
    const out = recordingSink();
    switchUseCase(out, g, 'hd');
    switchUseCase(out, g, 'call');
    // Default fields (align 0, kind '', no sharing, no heap or region) stay out of the event.
    expect(out.events.map((e) => e.ev)).to.deep.equal([
      { type: 'device.open', device: 'cam', buffers: [{ name: 'frame', size: 1 << 20 }] },
      { type: 'device.open', device: 'mfc', buffers: [{ name: 'fw', size: 1 << 20, kind: 'a' }, { name: 'dpb0', size: 3 << 20, align: 4, kind: 'b', shareWith: ['fimc0'] }], work: { period: 33e6, duration: 25e6 } },
      // cam opens the same way in both cases and stays open; mfc's set changes: closed, reopened.
      { type: 'device.close', device: 'mfc' },
      { type: 'device.open', device: 'mfc', buffers: [{ name: 'fw', size: 1 << 20, kind: 'a' }, { name: 'enc', size: 1 << 19, kind: 'b' }], work: { period: 33e6, duration: 28e6, buffers: ['enc'] } },
    ]);
    for (const e of out.events) expect(validateEvent(e.ev)).to.equal(null);
  });

  it("without its own cases, a switch asks the devices model to switch to its use case", () => {
    const spec: UseCaseGenerator = { ...base, name: 'uc', kind: 'usecase', dwell: [1, 1], initial: null, switches: [], cases: null, caseNames: ['hd', 'call'] };
    const g = progress(spec);
    const out = recordingSink();
    switchUseCase(out, g, 'call');
    expect(out.events.map((e) => e.ev)).to.deep.equal([{ type: 'usecase.switch', to: 'call' }]);
    expect(g.current).to.equal('call');
  });

  it('an allocation asks for whole pages with a fresh request id and a stable pid for its requester', () => {
    const spec: AllocGenerator = {
      ...base, name: 'a', kind: 'alloc', arrival: { process: 'periodic', period: 1, jitter: 0 }, requester: 'camera', memKind: 'a',
      areas: ['r1', 'r2'], size: [4097, 4097], align: 4, hold: [5, 5],
    };
    const d = { workload: {}, cma: { nextRequestId: 7 }, memory: {} } as never;
    const out = recordingSink();
    const g = progress(spec);
    expect(fireAlloc(d, fakeCtx(1), out, g)).to.equal(7);
    expect(out.events[0].ev).to.deep.equal({ type: 'cma.alloc.request', id: 7, requester: 'camera', pid: pidFor('camera'), kind: 'a', areas: ['r1', 'r2'], count: 2, align: 4 });
    expect(pidFor('camera')).to.equal(pidFor('camera')).and.not.equal(pidFor('display'));
    const mainline = recordingSink();
    emitAlloc(mainline, { request: 1, requester: 'x', kind: '', areas: [], pages: 1, align: 0 });
    expect(mainline.events[0].ev).to.not.have.any.keys('kind', 'areas');
  });

  it('every pin is paired with an unpin of the same pages after the hold', () => {
    const spec: PinGenerator = {
      ...base, name: 'p', kind: 'pins', arrival: { process: 'poisson', rate: 1 }, pages: [1, 8], hold: [100, 200], longterm: 0, files: 4, filePages: 16,
    };
    const out = recordingSink();
    const ctx = fakeCtx(3);
    const g = progress(spec);
    const ids = new Set<string>();
    for (let i = 0; i < 50; i++) { g.fired++; firePin({} as never, ctx, out, g); }
    expect(out.events.length).to.be.greaterThan(100);
    for (let i = 0; i < out.events.length; i += 2) {
      const [pin, unpin] = [out.events[i], out.events[i + 1]];
      expect(pin.ev).to.include({ type: 'page.pin' });
      expect(unpin.ev).to.deep.equal({ type: 'page.unpin', id: pin.ev.id });
      expect(unpin.delay).to.be.within(100, 200);
      expect(pin.ev.index as number).to.be.below(16);
      expect(ids.has(pin.ev.id as string), 'pin ids are unique').to.equal(false);
      ids.add(pin.ev.id as string);
    }
  });

  it('replay emits every event recorded at the same instant in one tick, in order', () => {
    const events = [
      { at: 0, event: { type: 'x.a', n: 1 } }, { at: 0, event: { type: 'x.b', n: 2 } }, { at: 5, event: { type: 'x.c', n: 3 } },
    ];
    const out = recordingSink();
    const g = progress({ kind: 'replay' });
    g.cursor = fireReplay(out, g, events);
    expect(g.cursor).to.equal(2);
    expect(out.events.map((e) => e.ev.n)).to.deep.equal([1, 2]);
    g.cursor = fireReplay(out, g, events);
    expect(g.cursor).to.equal(3);
  });
});

describe('arrival processes', () => {
  it('bursts fire size ticks spacing apart, one burst every `every` start to start', () => {
    const a = { process: 'burst', every: 1000, size: 3, spacing: 10 } as const;
    const ctx = fakeCtx(1);
    const delays: number[] = [];
    let cursor = 0;
    for (let i = 0; i < 6; i++) { const n = nextDelay(ctx, a, cursor); delays.push(n.delay); cursor = n.cursor; }
    expect(delays).to.deep.equal([10, 10, 980, 10, 10, 980]);
  });

  it('Poisson gaps are exponential with mean 1/rate (seeded, so the bound is deterministic)', () => {
    const ctx = fakeCtx(42);
    let sum = 0;
    const n = 20_000;
    for (let i = 0; i < n; i++) sum += nextDelay(ctx, { process: 'poisson', rate: 1000 }, 0).delay;
    expect(sum / n / 1e6).to.be.within(0.97, 1.03); // mean 1 ms
  });

  it('periodic jitter stays within [period, period + jitter]', () => {
    const ctx = fakeCtx(5);
    for (let i = 0; i < 200; i++) expect(nextDelay(ctx, { process: 'periodic', period: 100, jitter: 7 }, 0).delay).to.be.within(100, 107);
  });
});
