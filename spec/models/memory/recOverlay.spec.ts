import { expect } from 'chai';
import { GROUP, groupedOverlay, ovDelete, ovGet, ovOwn, ovPut, ovSeal, recEntries, recGet, type Grouped } from '../../../models/memory/recOverlay.ts';

/** A committed grouped map with chunks at keys `ks`, chunk k holding [k]. */
function committed(ks: number[]): Grouped<number[]> {
  const top: Record<string, Record<string, number[]>> = {};
  for (const k of ks) (top[Math.floor(k / GROUP)] ??= {})[k] = Object.freeze([k]) as number[];
  for (const g of Object.values(top)) Object.freeze(g);
  return Object.freeze(top);
}

describe('models/memory/recOverlay: grouped chunk maps', () => {
  it('copies only the top record and the groups written; the base and untouched groups stay shared', () => {
    const base = committed([1, 2, GROUP + 1, 5 * GROUP]);
    let top: Record<string, Record<number, number[]>> | null = null;
    const o = groupedOverlay(base, (t) => { top = t; });
    expect(ovGet(o, GROUP + 1)).to.deep.equal([GROUP + 1]);
    expect(top).to.equal(null); // reads copy nothing
    ovOwn(o, 1)![0] = 100;
    ovPut(o, 7, [7]);
    ovSeal(o);
    const after = top! as unknown as Grouped<number[]>;
    expect(recGet(after, 1)).to.deep.equal([100]);
    expect(recGet(base, 1)).to.deep.equal([1]);
    expect(after[1]).to.equal(base[1]); // group 1 untouched: the same record
    expect(after[5]).to.equal(base[5]);
    expect(Object.isFrozen(after[0]) && Object.isFrozen(after) && Object.isFrozen(recGet(after, 1))).to.equal(true);
    expect([...recEntries(after)].map(([k]) => k)).to.deep.equal([1, 2, 7, GROUP + 1, 5 * GROUP]);
  });

  it('drops a group left empty and can start it again in the same draft', () => {
    const base = committed([GROUP, GROUP + 3]);
    let top: Record<string, unknown> | null = null;
    const o = groupedOverlay(base, (t) => { top = t; });
    ovDelete(o, GROUP);
    ovDelete(o, GROUP + 3);
    expect(Object.keys(top!)).to.deep.equal([]);
    expect(ovGet(o, GROUP + 3)).to.equal(undefined);
    ovPut(o, GROUP + 9, [9]);
    expect([...recEntries(top! as Grouped<number[]>)]).to.deep.equal([[GROUP + 9, [9]]]);
  });

  it('drops a group only when its last key goes, however its keys were overwritten, deleted and added in the draft', () => {
    const base = committed([GROUP, GROUP + 3]);
    let top: Record<string, unknown> | null = null;
    const o = groupedOverlay(base, (t) => { top = t; });
    ovPut(o, GROUP, [0]); // overwrites a key: still two
    ovOwn(o, GROUP + 3)![0] = 33; // a copy in place: still two
    ovPut(o, GROUP + 5, [5]); // three
    ovDelete(o, GROUP);
    ovDelete(o, GROUP); // already gone: no change
    ovDelete(o, GROUP + 3);
    expect(Object.keys(top!)).to.deep.equal(['1']);
    expect([...recEntries(top! as Grouped<number[]>)]).to.deep.equal([[GROUP + 5, [5]]]);
    ovPut(o, GROUP + 6, [6]); // added after the group was counted: two
    ovPut(o, GROUP + 6, [66]); // overwritten: still two
    ovDelete(o, GROUP + 5);
    expect([...recEntries(top! as Grouped<number[]>)]).to.deep.equal([[GROUP + 6, [66]]]);
    ovDelete(o, GROUP + 6);
    expect(Object.keys(top!)).to.deep.equal([]);
  });
});
