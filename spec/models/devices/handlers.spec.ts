import { expect } from 'chai';
import type { SimConfig } from '../../../models/initialState.ts';
import { checkDevicesInvariants } from '../../../models/devices/invariants.ts';
import { engineFor, MS } from './run.ts';

const MiB = 2 ** 20;

const base = (devices: SimConfig['devices']): SimConfig => ({
  machine: { banks: [{ name: 'lo', base: 0, size: '256M' }, { name: 'hi', base: '4G', size: '256M' }] },
  cma: { areas: [{ name: 'reserved', size: '32M', bank: 'lo', default: true }, { name: 'high', size: '32M', bank: 'hi' }] },
  devices,
});

describe('models/devices/handlers (devices driven through the whole model)', () => {
  it('open allocates the buffer set through the DMA layer; close releases every chunk', () => {
    const e = engineFor(base({
      devices: [{ name: 'cam', dmaBits: 32, buffers: [{ name: 'frame', size: 8 * MiB }, { name: 'desc', size: 4096 }] }],
    }));
    e.inject({ type: 'device.open', device: 'cam' }, 0);
    e.run({ until: 50 * MS });
    const s = e.state.model;
    const [frame, desc] = s.devices.devices.cam.buffers.map((id) => s.devices.buffers[id]);
    // dma_alloc_contiguous: no own area -> the default area; one page bypasses CMA for the buddy allocator.
    expect(frame).to.deep.include({ status: 'ready', pages: 2048 });
    expect(frame.where).to.deep.include({ from: 'cma', area: 'reserved' });
    expect(desc.where?.from).to.equal('buddy');
    expect(Object.keys(s.cma.chunks)).to.have.length(1);
    e.inject({ type: 'device.close', device: 'cam' }, e.now);
    e.run({ until: 100 * MS });
    const after = e.state.model;
    expect(Object.keys(after.cma.chunks)).to.have.length(0);
    expect(after.devices.devices.cam).to.deep.include({ open: false, buffers: [] });
    expect(after.devices.buffers[frame.id].status).to.equal('freed');
  });

  it('a device behind an IOMMU takes discontiguous pages, never CMA', () => {
    const e = engineFor(base({ devices: [{ name: 'gpu', iommu: true, buffers: [{ name: 'tex', size: 6 * MiB }] }] }));
    e.inject({ type: 'device.open', device: 'gpu' }, 0);
    e.run({ until: 10 * MS });
    const s = e.state.model;
    const b = s.devices.buffers[s.devices.devices.gpu.buffers[0]];
    expect(b.where?.from).to.equal('scatter');
    // 6 MiB = 1536 pages: one order-10 block and one order-9 block.
    expect(b.where && 'pfns' in b.where && b.where.pfns.length).to.equal(2);
    expect(Object.keys(s.cma.requests)).to.have.length(0);
  });

  it('work pins CMA chunks for each operation and unpins them after', () => {
    const e = engineFor(base({
      devices: [{ name: 'mfc', buffers: [{ name: 'bit', size: 2 * MiB }], work: { period: 10 * MS, duration: 4 * MS } }],
    }));
    e.inject({ type: 'device.open', device: 'mfc' }, 0);
    e.run({ until: 12 * MS });
    let s = e.state.model;
    const chunk = Object.values(s.cma.chunks)[0];
    expect(chunk.pins).to.equal(1);
    expect(s.devices.devices.mfc.working).to.have.length(1);
    e.run({ until: 15 * MS });
    s = e.state.model;
    expect(s.cma.chunks[chunk.id].pins).to.equal(0);
    e.run({ until: 45 * MS });
    expect(e.state.model.devices.devices.mfc.counters.operations).to.equal(4);
  });

  it('an operation stalls while a buffer is still being allocated', () => {
    const e = engineFor(base({ devices: [{ name: 'isp', buffers: [{ name: 'raw', size: 24 * MiB }], work: { period: 20_000, duration: 10_000 } }] }));
    e.inject({ type: 'device.open', device: 'isp' }, 0);
    e.run({ until: 10 * MS });
    const s = e.state.model;
    const b = s.devices.buffers[s.devices.devices.isp.buffers[0]];
    const c = s.devices.devices.isp.counters;
    // Every 20 us period before the driver saw the buffer ready stalled (it learns by polling, so
    // up to one poll interval late); every later period ran.
    expect(c.stalled).to.be.within(Math.floor(b.readyAt! / 20_000), Math.floor((b.readyAt! + Math.max(50_000, b.readyAt! / 4)) / 20_000) + 1);
    expect(c.stalled).to.be.greaterThan(0);
    expect(c.stalled + c.operations).to.equal(500);
  });

  it('a use-case switch closes the exclusive group and opens the other', () => {
    const e = engineFor({
      ...base({
        devices: [
          { name: 'mfc', buffers: [{ name: 'b', size: 4 * MiB }] },
          { name: 'fimc0', buffers: [{ name: 'b', size: 2 * MiB }] },
          { name: 'fimc1', buffers: [{ name: 'b', size: 2 * MiB }] },
        ],
        useCases: [{ name: 'hd', devices: ['mfc', 'fimc0'] }, { name: 'call', devices: ['mfc', 'fimc1'] }],
      }),
    });
    e.inject({ type: 'usecase.switch', to: 'hd' }, 0);
    e.inject({ type: 'usecase.switch', to: 'call' }, 20 * MS);
    e.run({ until: 40 * MS });
    const s = e.state.model.devices;
    expect(s.activeUseCases).to.deep.equal(['call']);
    // mfc stays open across the switch: both cases use it.
    expect([s.devices.mfc.open, s.devices.fimc0.open, s.devices.fimc1.open]).to.deep.equal([true, false, true]);
    expect(s.devices.mfc.counters.opens).to.equal(1);
    expect(s.devices.fimc0.counters.closes).to.equal(1);
  });

  it('a concurrent use case opens alongside the running one and closes nothing', () => {
    const e = engineFor(base({
      devices: [{ name: 'mfc', buffers: [{ name: 'b', size: MiB }] }, { name: 'gps', buffers: [{ name: 'b', size: MiB }] }],
      useCases: [{ name: 'video', devices: ['mfc'] }, { name: 'navigation', devices: ['gps'], exclusive: false }],
    }));
    e.inject({ type: 'usecase.switch', to: 'video' }, 0);
    e.inject({ type: 'usecase.switch', to: 'navigation' }, 5 * MS);
    e.run({ until: 20 * MS });
    const s = e.state.model.devices;
    expect(s.activeUseCases).to.deep.equal(['video', 'navigation']);
    expect([s.devices.mfc.open, s.devices.gps.open]).to.deep.equal([true, true]);
  });

  it("the original framework tries the map's regions in order: a full first region falls back to the next", () => {
    // The original framework runs under the series' profile (its cm_alloc failed with -ENOMEM).
    const e = engineFor({ ...base({ policy: 'original', devices: [{ name: 'mfc', kinds: { b: ['reserved', 'high'] } }] }), kernel: 'series' });
    e.inject({ type: 'dma.alloc', device: 'mfc', name: 'x', size: 24 * MiB, kind: 'b' }, 0);
    e.inject({ type: 'dma.alloc', device: 'mfc', name: 'y', size: 24 * MiB, kind: 'b' }, 1);
    e.run({ until: 100 * MS });
    const [x, y] = Object.values(e.state.model.devices.buffers);
    expect(x.where).to.deep.include({ from: 'cma', area: 'reserved' });
    expect(y.tried.map((t) => [t.target, t.errno])).to.deep.equal([['reserved', -12], ['high', 0]]);
    // The series passes the driver's alignment through (0 here), not get_order(size).
    expect(y.align).to.equal(0);
  });

  it('a shared buffer outside every usable area fails naming the DMA mask', () => {
    const e = engineFor(base({
      devices: [{ name: 'cam', dmaBits: 32, area: 'high', buffers: [{ name: 'x', size: 16 * MiB, shareWith: ['gpu'] }] }, { name: 'gpu', iommu: true }],
    }));
    e.inject({ type: 'device.open', device: 'cam' }, 0);
    e.run({ until: 10 * MS });
    const s = e.state.model.devices;
    const b = s.buffers[s.finished[0]];
    expect(b.status).to.equal('failed');
    expect(b.error).to.match(/above cam's 32-bit DMA mask/);
    expect(s.counters.failuresBy).to.deep.equal({ 'dma-mask': 1 });
  });

  it('closing while a CMA request is in flight hands the chunk back when it completes', () => {
    const e = engineFor(base({ devices: [{ name: 'cam', buffers: [{ name: 'f', size: 16 * MiB }] }] }));
    e.inject({ type: 'device.open', device: 'cam' }, 0);
    e.inject({ type: 'device.close', device: 'cam' }, 1);
    e.run({ until: 200 * MS });
    const s = e.state.model;
    expect(Object.values(s.cma.requests)[0].status).to.equal('done');
    expect(Object.keys(s.cma.chunks)).to.have.length(0);
    expect(s.devices.requests).to.deep.equal({});
  });

  it('a driver allocates from the private region it registered (viafb), and only it may', () => {
    const e = engineFor(base({ devices: [{ name: 'viafb' }, { name: 'cam' }] }));
    e.inject({ type: 'device.region.register', device: 'viafb', region: 'vram', base: 0x1_0000_0000 * 2, size: 8 * MiB }, 0);
    e.inject({ type: 'dma.alloc', device: 'viafb', name: 'fb0', size: 3 * MiB, region: 'vram' }, 1);
    e.inject({ type: 'dma.alloc', device: 'viafb', name: 'fb1', size: 3 * MiB, region: 'vram' }, 2);
    e.inject({ type: 'dma.alloc', device: 'viafb', name: 'fb2', size: 3 * MiB, region: 'vram' }, 3);
    e.inject({ type: 'dma.alloc', device: 'cam', name: 'steal', size: MiB, region: 'vram' }, 4);
    e.run({ until: MS });
    const s = e.state.model.devices;
    const all = Object.values(s.buffers);
    expect(all.map((b) => [b.name, b.status])).to.deep.equal([['fb0', 'ready'], ['fb1', 'ready'], ['fb2', 'failed'], ['steal', 'failed']]);
    expect(all[1].where).to.deep.equal({ from: 'private', region: 'vram', pfn: (0x2_0000_0000 + 3 * MiB) / 4096 });
    expect(all[3].error).to.equal("private region 'vram' belongs to viafb, not cam");
    e.inject({ type: 'dma.free', device: 'viafb', name: 'fb0' }, e.now);
    e.run({ until: 2 * MS });
    const vram = e.state.model.devices.regions.vram;
    const at = 0x2_0000_0000 / 4096;
    expect(vram.alloc.holes.map((h) => [h.start - at, h.start - at + h.size])).to.deep.equal([[0, 768], [1536, 2048]]);
  });
});

describe('models/devices/handlers: heaps and size-0 regions', () => {
  const cfg = (devices: SimConfig['devices']): SimConfig => ({
    machine: { memory: '256M' },
    cma: { areas: [{ name: 'carve', size: '16M', private: true }, { name: 'pool', size: '32M' }] },
    devices,
  });

  it('Ion-style heaps: carve-out from a private area, CMA from a shared one, system as pages', () => {
    const e = engineFor(cfg({
      devices: [{ name: 'vpu' }],
      heaps: [{ name: 'carveout', type: 'carveout', area: 'carve' }, { name: 'cma', type: 'cma', area: 'pool' }, { name: 'system', type: 'system' }],
    }));
    e.inject({ type: 'dma.alloc', device: 'vpu', name: 'c', size: 4 * MiB, heap: 'carveout' }, 0);
    e.inject({ type: 'dma.alloc', device: 'vpu', name: 'm', size: 4 * MiB, heap: 'cma' }, 0);
    e.inject({ type: 'dma.alloc', device: 'vpu', name: 's', size: 4 * MiB, heap: 'system' }, 0);
    e.run({ until: 50 * MS });
    const bs = Object.values(e.state.model.devices.buffers);
    expect(bs.map((b) => [b.name, b.status, b.where?.from, b.where && 'area' in b.where ? b.where.area : null])).to.deep.equal([
      ['c', 'ready', 'cma', 'carve'], ['m', 'ready', 'cma', 'pool'], ['s', 'ready', 'scatter', null],
    ]);
  });

  it('a size-0 region falls back to the normal allocator only when zeroFallback is on', () => {
    const devices = [{ name: 'dsp', kinds: { '*': ['nothing'] } }];
    const run = (zeroFallback: boolean) => {
      const e = engineFor(cfg({ devices, zeroRegions: ['nothing'], zeroFallback }));
      e.inject({ type: 'dma.alloc', device: 'dsp', name: 'b', size: 64 * 1024 }, 0);
      e.run({ until: MS });
      return Object.values(e.state.model.devices.buffers)[0];
    };
    expect(run(true).where?.from).to.equal('buddy');
    const off = run(false);
    expect(off.status).to.equal('failed');
    expect(off.error).to.equal('dsp/common maps only to size-0 regions (nothing) and zeroFallback is off');
  });
});

describe('models/devices/invariants', () => {
  it('hold after every event of opens, work, switches, shared buffers and closes', () => {
    const e = engineFor(base({
      devices: [
        { name: 'mfc', buffers: [{ name: 'a', size: 4 * MiB }, { name: 'b', size: 3 * MiB }, { name: 'd', size: 4096 }], work: { period: 5 * MS, duration: 3 * MS } },
        { name: 'cam', dmaBits: 32, buffers: [{ name: 's', size: 2 * MiB, shareWith: ['gpu'] }], work: { period: 7 * MS, duration: 2 * MS } },
        { name: 'gpu', iommu: true, buffers: [{ name: 't', size: 3 * MiB }] },
      ],
      useCases: [{ name: 'play', devices: ['mfc', 'gpu'] }, { name: 'shoot', devices: ['cam', 'gpu'] }],
    }));
    e.inject({ type: 'usecase.switch', to: 'play' }, 0);
    e.inject({ type: 'usecase.switch', to: 'shoot' }, 21 * MS);
    e.inject({ type: 'usecase.switch', to: 'play' }, 22 * MS);
    e.inject({ type: 'device.close', device: 'gpu' }, 40 * MS);
    const seen: string[] = [];
    e.run({
      until: 60 * MS,
      stopWhen: (_env, state) => {
        seen.push(...checkDevicesInvariants(state().model).map((x) => x.message));
        return seen.length > 0;
      },
    });
    expect(seen).to.deep.equal([]);
    const s = e.state.model.devices;
    expect(s.counters.switches).to.equal(3);
    expect(s.devices.mfc.counters.operations).to.be.greaterThan(3);
  });

  it('report a buffer whose CMA chunk has gone', () => {
    const e = engineFor(base({ devices: [{ name: 'cam', buffers: [{ name: 'f', size: 2 * MiB }] }] }));
    e.inject({ type: 'device.open', device: 'cam' }, 0);
    e.run({ until: 20 * MS });
    const chunk = Object.values(e.state.model.cma.chunks)[0].id;
    // A release behind the driver's back (not through device.close) leaves the buffer dangling.
    e.inject({ type: 'cma.release', chunk }, e.now);
    e.run({ until: 40 * MS });
    expect(checkDevicesInvariants(e.state.model).map((x) => x.invariant)).to.deep.equal(['devices.chunk']);
  });
});
