import { expect } from 'chai';
import { engineTimeouts } from './engine.bench.ts';
import { plainLoop } from './plainLoop.ts';

describe('bench: the engine and its plain-loop yardstick do the same work', () => {
  it('dispatch the same events to the same final state on the 100-process timeouts shape', () => {
    const e = engineTimeouts(2_000), p = plainLoop(100, 2_000);
    expect(p.events).to.equal(e.events);
    expect(p.events).to.be.greaterThan(70_000);
    expect({ n: p.n, acc: p.acc }).to.deep.equal({ n: e.n, acc: e.acc });
  });
});
