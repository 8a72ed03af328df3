import { expect } from 'chai';
import { runScenario } from '../../../lib/scenario/runScenario.ts';
import { checkScenario } from '../../../lib/scenario/scenario.ts';

describe('replay generator', () => {
  it('emits recorded events at their times, and they survive snapshots taken mid-batch', () => {
    const events = [1, 2, 3, 4, 5, 6].map((k) => ({ at: `${k}ms`, event: { type: 'pagecache.fault', file: 'f', index: k, count: 1 } }));
    const s = checkScenario({ machine: { ram: '64M' }, until: '10ms', workload: [{ generator: 'replay', start: '1ms', events }] });
    // A snapshot after every event finalises the draft between a tick and the dispatch of what it scheduled.
    const o = runScenario(s, { snapshotEvery: 1 });
    const faults = [...o.history.engine.log.envelopes()].filter((e) => e.event.type === 'pagecache.fault');
    expect(faults.map((e) => [e.time, (e.event as { index?: number }).index])).to.deep.equal([1, 2, 3, 4, 5, 6].map((k) => [(k + 1) * 1e6, k]));
  });
});
