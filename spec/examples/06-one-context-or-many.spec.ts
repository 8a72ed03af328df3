import { expect } from 'chai';
import { outcome } from '../../examples/06-one-context-or-many.ts';

describe('examples/06-one-context-or-many', () => {
  it('side by side: a shared context fails less but fragments more than per-device contexts', () => {
    const shared = outcome('shared');
    const perDevice = outcome('per-device');
    expect(shared.requests).to.equal(perDevice.requests);
    // Pooling: the camera's bursts find room in the slack of the others.
    expect(shared.failed).to.be.lessThan(perDevice.failed);
    expect(shared.failedBy.camera).to.be.lessThan(perDevice.failedBy.camera);
    // Mixing small and large buffers in one context leaves its free memory in more pieces.
    expect(shared.fragmentation).to.be.greaterThan(perDevice.fragmentation);
  });
});
