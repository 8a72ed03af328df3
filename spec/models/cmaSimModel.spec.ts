import { expect } from 'chai';
import { eventSchema, validateEvent, type SimEvent } from '../../events/index.ts';
import type { Model } from '../../lib/engine/index.ts';
import { cmaSimModel } from '../../models/cmaSimModel.ts';
import type { SimState } from '../../models/state.ts';

// The root model is an engine Model as it stands: no cast between the two (tsc checks this line).
const asEngineModel: Model<SimState, SimEvent> = cmaSimModel;

describe('cmaSimModel', () => {
  it('has exactly one reducer per event type of the vocabulary, and the vocabulary one schema per type', () => {
    const reducers = Object.keys(asEngineModel.reducers).sort();
    expect(reducers).to.deep.equal(Object.keys(eventSchema).sort());
    expect(reducers).to.include.members(['cma.alloc.request', 'memory.alloc', 'pagecache.fault', 'device.open', 'workload.start', 'trace.cma_alloc_start']);
    expect(asEngineModel.validateEvent).to.equal(validateEvent);
  });
});
