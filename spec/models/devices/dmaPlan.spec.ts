import { expect } from 'chai';
import { orderOf, planBuffer, planHeap, planMainline, planOriginal, planShared } from '../../../models/devices/dmaPlan.ts';
import { bufferSpec } from '../../../models/devices/createDevicesState.ts';
import { newRegion } from '../../../models/devices/privateRegion.ts';
import { NO_LIMIT } from '../../../models/devices/state.ts';
import { area, dev, env, MiB, PAGE } from './fixtures.ts';

const areas = [area('reserved', 256, 64), area('disp', 512, 16), area('high', 5 * 1024, 64), area('carve', 128, 32, { private: true })];

describe('models/devices/dmaPlan', () => {
  it('orderOf is get_order over pages', () => {
    expect([1, 2, 3, 4, 5, 1024, 1025].map(orderOf)).to.deep.equal([0, 1, 2, 2, 3, 10, 11]);
  });

  describe('planMainline (kernel/dma/contiguous.c dma_alloc_contiguous + dma-direct fallback)', () => {
    const e = env({ defaultArea: 'reserved' }, areas);
    it('takes the default area, then the page allocator when the order fits', () => {
      expect(planMainline(dev({ name: 'cam' }), 16, e).map((s) => s.from === 'cma' ? s.area : s.from)).to.deep.equal(['reserved', 'buddy']);
    });
    it('bypasses CMA for a one-page request when the device has no own area', () => {
      expect(planMainline(dev({ name: 'cam' }), 1, e).map((s) => s.from)).to.deep.equal(['buddy']);
    });
    it("uses the device's own area even for one page, and not the default area after it", () => {
      const steps = planMainline(dev({ name: 'lcd', area: 'disp' }), 1, e);
      expect(steps.map((s) => s.from === 'cma' ? s.area : s.from)).to.deep.equal(['disp', 'buddy']);
    });
    it('with deviceAreaFallback, tries the default area after the own area', () => {
      const steps = planMainline(dev({ name: 'lcd', area: 'disp' }), 64, env({ defaultArea: 'reserved', deviceAreaFallback: true }, areas));
      expect(steps.map((s) => s.from === 'cma' ? s.area : s.from)).to.deep.equal(['disp', 'reserved', 'buddy']);
    });
    it('drops the page-allocator fallback above MAX_ORDER', () => {
      expect(planMainline(dev({ name: 'cam' }), 2048, e).map((s) => s.from)).to.deep.equal(['cma']);
    });
    it('gives a device behind an IOMMU discontiguous pages only', () => {
      expect(planMainline(dev({ name: 'gpu', iommu: true, area: 'disp' }), 4096, e).map((s) => s.from)).to.deep.equal(['scatter']);
    });
    it('fails a too-large request with no CMA area, naming MAX_ORDER', () => {
      const p = planBuffer(dev({ name: 'cam' }), bufferSpec({ name: 'b', size: 8 * MiB }, 'b'), [], 2048, env({}, areas));
      expect(p).to.include({ ok: false, constraint: 'max-order' });
    });
  });

  describe('planOriginal (cma_alloc(dev, kind, ...) over the resolved map)', () => {
    const mfc = dev({ name: 'mfc', kinds: { a: ['b1', 'common'], b: 'b2', '*': 'common' } });
    const origAreas = [area('b1', 0, 32), area('b2', 1024, 32), area('common', 64, 64), area('nothing', 200, 0)];
    it('tries each region of the list in order', () => {
      const p = planOriginal(mfc, 'a', 16, env({ policy: 'original' }, origAreas));
      expect(p.ok && p.steps.map((s) => s.from === 'cma' && s.area)).to.deep.equal(['b1', 'common']);
    });
    it("uses the '*' entry for other kinds and names a missing mapping", () => {
      const p = planOriginal(mfc, 'z', 16, env({ policy: 'original' }, origAreas));
      expect(p.ok && p.steps.map((s) => s.from === 'cma' && s.area)).to.deep.equal(['common']);
      const none = planOriginal(dev({ name: 'x' }), 'a', 16, env({ policy: 'original' }, origAreas));
      expect(none).to.include({ ok: false, constraint: 'map' });
      expect(!none.ok && none.error).to.equal('no cma_map rule gives a region for x/a');
    });
    it('skips a size-0 region, or falls back to the normal allocator with zeroFallback', () => {
      const d = dev({ name: 'v', kinds: { '*': ['zero', 'common'] } });
      const off = planOriginal(d, '', 16, env({ policy: 'original', zeroRegions: ['zero'] }, origAreas));
      expect(off.ok && off.steps.map((s) => s.from)).to.deep.equal(['cma']);
      const on = planOriginal(d, '', 16, env({ policy: 'original', zeroRegions: ['zero'], zeroFallback: true }, origAreas));
      expect(on.ok && on.steps.map((s) => s.from)).to.deep.equal(['buddy', 'cma']);
      const only = planOriginal(dev({ name: 'v', kinds: { '*': 'zero' } }), '', 16, env({ policy: 'original', zeroRegions: ['zero'] }, origAreas));
      expect(only).to.include({ ok: false, constraint: 'size-0' });
    });
  });

  describe('heaps (Ion / dma-buf)', () => {
    const e = env({}, areas);
    it('carve-out needs a private area, CMA heaps take their area, system gives pages', () => {
      expect(planHeap({ name: 'carve', type: 'carveout', area: 'carve' }, e)).to.deep.include({ ok: true, contiguous: true });
      expect(planHeap({ name: 'bad', type: 'carveout', area: 'reserved' }, e)).to.include({ ok: false, constraint: 'heap' });
      const cma = planHeap({ name: 'cma', type: 'cma', area: 'reserved' }, e);
      expect(cma.ok && cma.steps[0]).to.deep.include({ from: 'cma', area: 'reserved' });
      expect(planHeap({ name: 'sys', type: 'system', area: null }, e)).to.deep.include({ ok: true, contiguous: false, limitPfn: NO_LIMIT });
    });
  });

  describe('planShared (one buffer for several devices)', () => {
    const cam = dev({ name: 'cam', dmaBits: 32 });
    const gpu = dev({ name: 'gpu', iommu: true });
    it('takes the contiguous areas inside the camera mask; the IOMMU device restricts nothing', () => {
      const p = planShared([cam, gpu], '', 1024, env({ defaultArea: 'reserved' }, areas));
      expect(p.ok && p.contiguous).to.equal(true);
      expect(p.ok && p.limitPfn).to.equal(2 ** 32 / PAGE);
      expect(p.ok && p.steps.map((s) => s.from === 'cma' ? s.area : s.from)).to.deep.equal(['reserved', 'buddy']);
    });
    it('needs no contiguity when every user is behind an IOMMU', () => {
      const p = planShared([gpu, dev({ name: 'vpu', iommu: true })], '', 1024, env({}, areas));
      expect(p).to.deep.include({ ok: true, contiguous: false });
    });
    it('names the DMA mask when every usable area lies above it', () => {
      const p = planShared([cam, gpu], '', 2048, env({ defaultArea: 'high' }, areas));
      expect(p).to.include({ ok: false, constraint: 'dma-mask' });
      expect(!p.ok && p.error).to.match(/cam's 32-bit DMA mask \(limit 0x100000000\)/);
    });
    it('names the area constraint when no area is usable by all', () => {
      const lcd = dev({ name: 'lcd', area: 'disp' });
      const p = planShared([cam, lcd], '', 2048, env({ defaultArea: 'reserved' }, areas));
      expect(p).to.include({ ok: false, constraint: 'area' });
      expect(!p.ok && p.error).to.equal('shared buffer for cam, lcd: no CMA area that every device needing contiguity may use (cam: [reserved]; lcd: [disp])');
    });
  });

  it('DMA-layer CMA requests align to get_order(size) capped at CONFIG_CMA_ALIGNMENT (cma_alloc_aligned)', () => {
    const e = env({ defaultArea: 'reserved', policy: 'auto' }, areas);
    const at = (pages: number, d = dev({ name: 'cam' })) => planBuffer(d, bufferSpec({ name: 'b', size: pages * PAGE }, 'b'), [], pages, e);
    expect([3, 16, 256, 2048].map((p) => { const r = at(p); return r.ok && r.align; })).to.deep.equal([2, 4, 8, 8]);
    // The original framework passes the driver's own alignment through.
    const mapped = at(2048, dev({ name: 'mfc', kinds: { '*': 'reserved' } }));
    expect(mapped.ok && mapped.align).to.equal(0);
  });

  it('planBuffer refuses a private region owned by another driver', () => {
    const e = env({}, areas, { regions: { vram: newRegion('vram', 'viafb', 0, 256) } });
    const p = planBuffer(dev({ name: 'cam' }), bufferSpec({ name: 'fb', size: MiB, region: 'vram' }, 'b'), [], 256, e);
    expect(!p.ok && p.error).to.equal("private region 'vram' belongs to viafb, not cam");
  });
});
