import { expect } from 'chai';
import { createDevicesState } from '../../../models/devices/createDevicesState.ts';
import { NO_LIMIT } from '../../../models/devices/state.ts';
import { limitPfnOf } from '../../../models/devices/dmaPlan.ts';

describe('models/devices/createDevicesState', () => {
  it('turns masks into pfn limits and region lists into arrays', () => {
    const s = createDevicesState({
      devices: [{ name: 'cam', dmaBits: 32, kinds: { a: 'b1', b: ['b2', 'common'] }, buffers: [{ name: 'f', size: 8192 }] }, { name: 'gpu', iommu: true }],
    });
    expect(s.devices.cam.def).to.deep.include({ dmaBits: 32, kinds: { a: ['b1'], b: ['b2', 'common'] } });
    expect(limitPfnOf(s.devices.cam.def, 4096)).to.equal(2 ** 20);
    expect(s.devices.cam.def.buffers[0]).to.deep.equal({ name: 'f', size: 8192, align: 0, kind: '', shareWith: [], heap: null, region: null });
    expect(limitPfnOf(s.devices.gpu.def, 4096)).to.equal(NO_LIMIT);
    expect(JSON.parse(JSON.stringify(s))).to.deep.equal(s);
  });

  it('names the path and what was expected on bad input', () => {
    expect(() => createDevicesState({ devices: [{ name: 'a' }, { name: 'b', dmaBits: 8 }] })).to.throw('devices[1].dmaBits: expected an integer in [12, 64], got 8');
    expect(() => createDevicesState({ devices: [{ name: 'a', buffers: [{ name: 'x', size: 0 }] }] })).to.throw('devices[0].buffers[0].size: expected an integer');
    expect(() => createDevicesState({ devices: [{ name: 'a' }, { name: 'a' }] })).to.throw('devices[1].name: expected a unique device name, got "a"');
    expect(() => createDevicesState({ devices: [{ name: 'a', buffers: [{ name: 'x', size: 1, shareWith: ['ghost'] }] }] }))
      .to.throw('devices[0].buffers[0].shareWith[0]: expected a device name, got "ghost"');
    expect(() => createDevicesState({ useCases: [{ name: 'hd', devices: ['mfc'] }] })).to.throw('useCases[0].devices[0]: expected a device name, got "mfc"');
    expect(() => createDevicesState({ heaps: [{ name: 'c', type: 'cma' }] })).to.throw('heaps[0].area: expected an area for a cma heap');
  });
});
