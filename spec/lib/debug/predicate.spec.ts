import { expect } from 'chai';
import { compilePredicate } from '../../../lib/debug/predicate.ts';

const input = (event: Record<string, unknown> & { type: string }, state: unknown = {}) => ({ seq: 7, time: 1500, cause: 3, event, state: () => state });

describe('predicate language', () => {
  it('compares event fields, envelope fields and state paths', () => {
    const p = compilePredicate("type == 'cma.alloc.request' && event.count > 512");
    expect(p.usesState).to.equal(false);
    expect(p.test(input({ type: 'cma.alloc.request', count: 1024 }))).to.equal(true);
    expect(p.test(input({ type: 'cma.alloc.request', count: 512 }))).to.equal(false);
    expect(p.test(input({ type: 'cma.release', count: 1024 }))).to.equal(false);
    const q = compilePredicate('cma.areas.video.used >= 0x100 || !(seq < 5)');
    expect(q.usesState).to.equal(true);
    expect(q.test(input({ type: 'x' }, { cma: { areas: { video: { used: 256 } } } }))).to.equal(true);
    expect(compilePredicate('seq < 5').test(input({ type: 'x' }))).to.equal(false);
    expect(compilePredicate("len(state.list) == 2 && list[1] == 'b' && time - 500 == 1000").test(input({ type: 'x' }, { list: ['a', 'b'] }))).to.equal(true);
    expect(compilePredicate('missing.deep.path > 3').test(input({ type: 'x' }, {}))).to.equal(false);
  });

  it('evaluates nothing as JavaScript', () => {
    const p = compilePredicate('constructor.name == "Object"');
    expect(p.test(input({ type: 'x' }, {}))).to.equal(false); // own properties only
    expect(() => compilePredicate('process.exit(1)')).to.throw(/unknown function 'exit'|expected/);
    expect(() => compilePredicate('a = 1')).to.throw(/column 3: unexpected character '='/);
    expect(() => compilePredicate("type == 'x")).to.throw(/column 9: unterminated string/);
    expect(() => compilePredicate('event.')).to.throw(/expected a field name after '.', got end of input/);
  });
});
