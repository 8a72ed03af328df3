import { expect } from 'chai';
import { newRegion, regionTake } from '../../../models/devices/privateRegion.ts';
import { cmaInfo, cmaInfoAbout, privateRegionViews } from '../../../models/devices/cmaInfo.ts';
import { deviceCmaInfo, regionsCmaInfo } from '../../../models/devices/cmaBackend.ts';
import { area, dev, MiB, PAGE } from './fixtures.ts';
import { engineFor } from './run.ts';

describe('models/devices/cmaInfo (the series\' cma_info / cma_info_about)', () => {
  const areas = { b1: area('b1', 64, 32, { freeMiB: 10 }), b2: area('b2', 1024, 16, { freeMiB: 16 }) };

  it('sums sizes and spans bounds over the named regions', () => {
    expect(cmaInfoAbout('b1,b2', areas, PAGE)).to.deep.equal({
      lowerBound: 64 * MiB, upperBound: 1040 * MiB, totalSize: 48 * MiB, freeSize: 26 * MiB, count: 2,
    });
  });

  it('skips unknown and repeated names; count 0 is what the VCM driver turned into -ENOENT', () => {
    expect(cmaInfoAbout(['b2', 'nope', 'b2'], areas, PAGE)).to.include({ count: 1, totalSize: 16 * MiB });
    expect(cmaInfoAbout('nope', areas, PAGE)).to.deep.equal({ lowerBound: 0, upperBound: 0, totalSize: 0, freeSize: 0, count: 0 });
  });

  it('cma_info(dev, kind) follows the map the device resolved', () => {
    const mfc = dev({ name: 'mfc', kinds: { a: 'b1', b: ['b2'] } });
    expect(cmaInfo(mfc, 'b', areas, PAGE)).to.include({ lowerBound: 1024 * MiB, count: 1 });
  });

  it('sees registered private regions with their free pages', () => {
    const views = privateRegionViews({ vram: regionTake(regionTake(newRegion('vram', 'viafb', 1000, 100), 0, 10), 50, 10) });
    expect(cmaInfoAbout('vram', views, PAGE)).to.include({ freeSize: 80 * PAGE, totalSize: 100 * PAGE, lowerBound: 1000 * PAGE });
  });

  it('reads a running state: boot areas and the private regions drivers registered', () => {
    const e = engineFor({ machine: { memory: '128M' }, cma: { areas: [{ name: 'b1', size: '16M' }] }, devices: { devices: [{ name: 'fb', kinds: { '*': 'b1' } }] } });
    e.inject({ type: 'device.region.register', device: 'fb', region: 'vram', base: 0x4000_0000, size: 4 * MiB }, 0);
    e.inject({ type: 'dma.alloc', device: 'fb', name: 'x', size: MiB, region: 'vram' }, 0);
    e.run({ until: 1000 });
    const s = e.state.model;
    expect(deviceCmaInfo(s, 'fb', 'any')).to.include({ count: 1, totalSize: 16 * MiB, freeSize: 16 * MiB });
    expect(regionsCmaInfo(s, 'b1,vram')).to.include({ count: 2, totalSize: 20 * MiB, freeSize: 19 * MiB, upperBound: 0x4000_0000 + 4 * MiB });
  });
});
