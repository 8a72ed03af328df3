import { expect } from 'chai';
import { createDraft, finishDraft, type Draft } from 'immer';
import { seedRng } from '../../../lib/engine/prng.ts';
import { applyEvent, BatchContext } from '../../../lib/engine/reduceContext.ts';
import type { SimEvent } from '../../../events/index.ts';
import { cmaSimModel } from '../../../models/cmaSimModel.ts';
import { shardOf } from '../../../models/memory/shardedMap.ts';
import { isolateRange } from '../../../models/mm/contig.ts';
import { closeBatch, openBatch, type SealCtx } from '../../../models/overlay/sealAtCommit.ts';
import type { SimState } from '../../../models/state.ts';
import { engineFor, simState } from '../memory/sim.ts';

/** A committed state holding allocations 'a' and 'b' (serials 1 and 2: one shard of memory.allocs). */
function twoAllocs(): SimState {
  const e = engineFor(simState({ memory: '16M', minFreeKbytes: 0 }));
  e.inject({ type: 'memory.alloc', id: 'a', kind: 'movable', order: 0 }, 0);
  e.inject({ type: 'memory.alloc', id: 'b', kind: 'movable', order: 0 }, 1);
  e.run();
  return e.state.model;
}

/** A context whose commit hooks are kept, to run by hand. */
function recordingCtx(): { ctx: SealCtx; hooks: (() => void)[] } {
  const hooks: (() => void)[] = [];
  return { ctx: { now: 0, onCommit: (fn) => hooks.push(fn) }, hooks };
}

/** Run `run` with `ctx`'s batch open, as the root model runs a reducer. */
function inBatch(ctx: SealCtx, run: () => void): void {
  const outer = openBatch(ctx);
  try {
    run();
  } finally {
    closeBatch(outer);
  }
}

describe('models/overlay/sealAtCommit: every copy of a batch is frozen at its commit', () => {
  it("the root model's reducers seal the shards a helper copied without being handed the context", () => {
    const s = twoAllocs();
    const d = createDraft(s) as Draft<SimState>;
    const ctx = new BatchContext<SimEvent>(seedRng(1), false);
    // memory.free writes memory.allocs through shardDelete, which takes no context.
    applyEvent(cmaSimModel, d, { type: 'memory.free', id: 'a' }, ctx);
    const shard = d.memory.allocs[shardOf(1)];
    const pageblocks = d.memory.pageblocks;
    expect(shard).to.not.equal(s.memory.allocs[shardOf(1)]); // copied in this batch
    expect([Object.isFrozen(shard), Object.isFrozen(pageblocks)]).to.deep.equal([false, false]);
    ctx.runCommitHooks();
    expect([Object.isFrozen(shard), Object.isFrozen(pageblocks)]).to.deep.equal([true, true]);
    const after = finishDraft(d) as SimState;
    expect(Object.keys(after.memory.allocs[shardOf(1)])).to.deep.equal(['2']);
  });

  it('copies made by a contig call with no context, inside an open batch, are sealed at that batch\'s commit', () => {
    const s = simState({ memory: '16M', minFreeKbytes: 0 });
    const d = createDraft(s) as Draft<SimState>;
    const { ctx, hooks } = recordingCtx();
    inBatch(ctx, () => isolateRange(d, 0, 512));
    const pb = d.memory.pageblocks[0];
    expect(pb.mt).to.equal('ISOLATE');
    expect(Object.isFrozen(pb)).to.equal(false);
    expect(hooks).to.have.length(1); // one hook per batch, whatever number of overlays
    hooks[0]();
    expect(Object.isFrozen(pb) && Object.isFrozen(pb.pages) && Object.isFrozen(d.memory.zones[pb.zone])).to.equal(true);
  });

  it('with no batch open an overlay registers no seal: a batch opened afterwards leaves its copies writable', () => {
    const s = simState({ memory: '16M', minFreeKbytes: 0 });
    const bare = createDraft(s) as Draft<SimState>;
    isolateRange(bare, 0, 512); // no batch open: its overlay registers nothing
    const batched = createDraft(s) as Draft<SimState>;
    const { ctx, hooks } = recordingCtx();
    inBatch(ctx, () => isolateRange(batched, 512, 1024));
    expect(hooks).to.have.length(1);
    hooks[0]();
    expect(Object.isFrozen(batched.memory.pageblocks[1].pages)).to.equal(true);
    // The bare draft's copy was never handed to a batch: the commit above did not touch it, so it is still written in place.
    const bareCopy = bare.memory.pageblocks[0];
    expect([Object.isFrozen(bareCopy), Object.isFrozen(bareCopy.pages), bareCopy.mt]).to.deep.equal([false, false, 'ISOLATE']);
  });

  it('two contexts whose events interleave each seal only their own copies, at their own commit', () => {
    const s = simState({ memory: '16M', minFreeKbytes: 0 });
    const da = createDraft(s) as Draft<SimState>, db = createDraft(s) as Draft<SimState>;
    const { ctx: ca, hooks: hooksA } = recordingCtx(), { ctx: cb, hooks: hooksB } = recordingCtx();
    inBatch(ca, () => isolateRange(da, 0, 512));
    inBatch(cb, () => isolateRange(db, 512, 1024));
    inBatch(ca, () => isolateRange(da, 1024, 1536));
    expect([hooksA.length, hooksB.length]).to.deep.equal([1, 1]); // one hook per batch, asked once
    hooksB[0]();
    expect([Object.isFrozen(db.memory.pageblocks[1]), Object.isFrozen(da.memory.pageblocks[0]), Object.isFrozen(da.memory.pageblocks[2])]).to.deep.equal([true, false, false]);
    hooksA[0]();
    expect([Object.isFrozen(da.memory.pageblocks[0]), Object.isFrozen(da.memory.pageblocks[2])]).to.deep.equal([true, true]);
    // A committed context starts a new batch when used again: its copies are sealed by the new hook.
    const again = createDraft(s) as Draft<SimState>;
    inBatch(ca, () => isolateRange(again, 0, 512));
    expect(hooksA).to.have.length(2);
    hooksA[1]();
    expect(Object.isFrozen(again.memory.pageblocks[0])).to.equal(true);
  });
});
