import { expect } from 'chai';
import { joinDisjoint } from '../../events/joinDisjoint.ts';
import { validateEvent } from '../../events/index.ts';
import { cmaSimModel } from '../../models/cmaSimModel.ts';

describe('events/joinDisjoint', () => {
  it('joins disjoint tables', () => {
    const t = joinDisjoint('t', { a: { x: 1 }, b: { y: 2 } });
    expect({ ...t }).to.deep.equal({ x: 1, y: 2 });
  });

  it('refuses a key two tables define, naming both', () => {
    expect(() => joinDisjoint('handlers', { memory: { 'page.pin': 1 }, cma: { 'page.pin': 2 } }))
      .to.throw("handlers: 'page.pin' is defined by both memory and cma");
  });

  it('gives inherited names no meaning: Object.prototype keys are unknown event types', () => {
    // A plain {} schema found Object.prototype.constructor, so `{type: 'constructor'}` validated as an event.
    for (const type of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(validateEvent({ type })).to.equal(`unknown event type '${type}'`);
      expect(Object.hasOwn(cmaSimModel.reducers, type)).to.equal(false);
    }
  });
});
