import { expect } from 'chai';
import { validateEvent } from '../../events/index.ts';

describe('events: memory.alloc validation', () => {
  it('accepts a run of order-0 allocations and a single block of any order', () => {
    expect(validateEvent({ type: 'memory.alloc', id: 'cc1', kind: 'movable', count: 8 })).to.equal(null);
    expect(validateEvent({ type: 'memory.alloc', id: 'cc1', kind: 'movable', order: 0, count: 8 })).to.equal(null);
    expect(validateEvent({ type: 'memory.alloc', id: 'b', kind: 'unmovable', order: 3 })).to.equal(null);
  });

  it('refuses count with an order above 0 before the run starts, naming both fields', () => {
    expect(validateEvent({ type: 'memory.alloc', id: 'cc1', kind: 'movable', order: 2, count: 8 })).to.equal("memory.alloc: field 'count' needs order 0, got order 2");
  });
});
