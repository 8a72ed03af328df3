import { expect } from 'chai';
import { createDraft, finishDraft, isDraft } from 'immer';
import { shardGet, shardOf, shardWriter, sealShards, swDelete, swGet, swSet } from '../../../models/memory/shardedMap.ts';
import type { Sharded } from '../../../models/memory/state.ts';
import { engineFor, simState } from './sim.ts';

describe('models/memory/shardedMap: copy-once shard writer (pins)', () => {
  const committed = (): Sharded<number> => {
    const d = createDraft({ m: {} as Sharded<number> });
    const w = shardWriter<number>({}, (top) => { (d as { m: unknown }).m = top; });
    for (let i = 0; i < 600; i++) swSet(w, `k${i}`, i);
    sealShards(w);
    return finishDraft(d).m;
  };

  it('reads and writes like the map, copies the top once and each written shard once, and shares the rest', () => {
    const base = committed();
    const d = createDraft({ m: base });
    let attached = 0;
    const w = shardWriter<number>(base, (top) => { attached++; (d as { m: unknown }).m = top; });
    expect(swGet(w, 'k5')).to.equal(5);
    expect(attached).to.equal(0); // reading copies nothing
    swSet(w, 'k5', 50);
    swSet(w, 'new', 1);
    swDelete(w, 'k7');
    swDelete(w, 'absent');
    expect(attached).to.equal(1);
    expect([swGet(w, 'k5'), swGet(w, 'new'), swGet(w, 'k7')]).to.deep.equal([50, 1, undefined]);
    sealShards(w);
    const after = finishDraft(d).m;
    expect(isDraft(after)).to.equal(false);
    expect(Object.isFrozen(after) && Object.isFrozen(after[shardOf('k5')])).to.equal(true);
    expect([shardGet(after, 'k5'), shardGet(after, 'new'), shardGet(after, 'k7'), shardGet(after, 'k9')]).to.deep.equal([50, 1, undefined, 9]);
    // The committed map is untouched, and shards nobody wrote are the same objects.
    expect([shardGet(base, 'k5'), shardGet(base, 'k7'), shardGet(base, 'new')]).to.deep.equal([5, 7, undefined]);
    const written = new Set([shardOf('k5'), shardOf('new'), shardOf('k7')]);
    for (const sk of Object.keys(base)) if (!written.has(sk)) expect(after[sk], sk).to.equal(base[sk]);
  });

  it('a shard emptied by deletes goes away', () => {
    const d = createDraft({ m: {} as Sharded<number> });
    const w = shardWriter<number>({}, (top) => { (d as { m: unknown }).m = top; });
    swSet(w, 'only', 1);
    swDelete(w, 'only');
    expect(swGet(w, 'only')).to.equal(undefined);
    expect(finishDraft(d).m).to.deep.equal({});
  });

  it('page.pin and page.unpin commit a frozen pin map that shares the shards they did not touch', () => {
    const e = engineFor(simState({ memory: '16M', minFreeKbytes: 0 }));
    e.inject({ type: 'pagecache.fault', file: 'f', index: 0, count: 64 }, 0);
    for (let i = 0; i < 64; i++) e.inject({ type: 'page.pin', id: `p${i}`, file: 'f', index: i }, 1);
    e.run();
    const before = e.state.model.memory.pins;
    e.inject({ type: 'page.unpin', id: 'p3' }, 2);
    e.inject({ type: 'page.pin', id: 'q', file: 'f', index: 3 }, 3);
    e.run();
    const after = e.state.model.memory.pins;
    expect(Object.isFrozen(after)).to.equal(true);
    expect(shardGet(after, 'p3')).to.equal(undefined);
    expect(shardGet(after, 'q')).to.deep.equal(shardGet(before, 'p3'));
    expect(shardGet(after, 'p4')).to.equal(shardGet(before, 'p4'));
    for (const sk of Object.keys(before)) if (sk !== shardOf('p3') && sk !== shardOf('q')) expect(after[sk], sk).to.equal(before[sk]);
  });
});
