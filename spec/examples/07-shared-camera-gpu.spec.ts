import { expect } from 'chai';
import { aboveMaskScenario, buffers, scenario } from '../../examples/07-shared-camera-gpu.ts';
import { runExample } from '../../examples/exampleRun.ts';

describe('examples/07-shared-camera-gpu', () => {
  it('lands the shared buffer contiguous below 4 GiB, then fails naming the mask once the range is full', () => {
    const bs = buffers(runExample(scenario).state);
    const byName = Object.fromEntries(bs.map((b) => [b.name, b]));
    // Contiguous because the camera has no IOMMU; inside its 32-bit mask.
    expect(byName.shared0).to.deep.include({ status: 'ready', contiguous: true, users: ['camera', 'gpu'] });
    const w = byName.shared0.where!;
    expect(w.from).to.equal('cma');
    expect(w.from === 'cma' && (w.pfn + byName.shared0.pages) * 4096).to.be.at.most(2 ** 32);
    expect(byName.shared1.status).to.equal('failed');
    expect(byName.shared1.error).to.match(/no 6144-page contiguous range below pfn 0x100000/);
    // The GPU alone needs no contiguity: discontiguous pages, even with the 32-bit range full.
    expect(byName.texture.where?.from).to.equal('scatter');
  });

  it('refuses at once when the only area lies above the 32-bit mask', () => {
    const shared0 = buffers(runExample(aboveMaskScenario).state).find((b) => b.name === 'shared0')!;
    expect(shared0.status).to.equal('failed');
    expect(shared0.error).to.equal("shared buffer for camera, gpu: areas [reserved] lie above camera's 32-bit DMA mask (limit 0x100000000)");
  });

  it('is deterministic: same scenario and seed, byte-identical final state', () => {
    const a = JSON.stringify(runExample(scenario).state);
    expect(JSON.stringify(runExample(scenario).state)).to.equal(a);
  });
});
