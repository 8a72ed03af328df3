import { expect } from 'chai';
import { allocatorNames, getAllocator, registerAllocator } from '../../../../models/cma/allocators/registry.ts';
import { bitmapAllocator } from '../../../../models/cma/allocators/bitmapFamily.ts';

describe('models/cma/allocators/registry', () => {
  it('knows the built-in allocators and refuses unknown or duplicate names', () => {
    expect(allocatorNames()).to.include.members(['bitmap', 'best-fit', 'first-fit', 'bitmap-reserve-after']);
    expect(getAllocator('best-fit').name).to.equal('best-fit');
    expect(() => getAllocator('buddy')).to.throw("unknown cma allocator 'buddy' (known: bitmap, best-fit");
    expect(() => registerAllocator(bitmapAllocator)).to.throw("cma allocator 'bitmap' is already registered");
  });

  it('registers a new allocator (cma_allocator_register)', () => {
    registerAllocator({ ...bitmapAllocator, name: 'test-top-down' });
    expect(getAllocator('test-top-down').reserveAtSearch).to.equal(true);
  });
});
