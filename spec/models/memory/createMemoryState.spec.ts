import { expect } from 'chai';
import { createMemoryState } from '../../../models/memory/createMemoryState.ts';
import { checkMemoryInvariants } from '../../../models/invariants/memory.ts';
import { headOrder } from '../../../models/memory/pageCode.ts';

describe('models/memory/createMemoryState', () => {
  it('lays out every page free in MOVABLE pageblocks, as max-order blocks', () => {
    const m = createMemoryState({ memory: '64M' });
    expect(m.zones[0].nrFree).to.equal(16384);
    expect(m.zones[0].free[1].blocks[10]).to.equal(16); // 64 MiB / 4 MiB
    expect(m.pageblocks).to.have.length(32);
    expect(m.pageblocks.every((pb) => pb.mt === 'MOVABLE')).to.equal(true);
    expect(headOrder(m.pageblocks[0].pages[0])).to.equal(10);
    expect(checkMemoryInvariants(m)).to.equal(null);
  });

  it('places banks at their base and uses smaller blocks where a bank is not max-order aligned', () => {
    const m = createMemoryState({ banks: [{ name: 'b0', base: '0x30000000', size: '6M' }, { name: 'b1', base: '0x40000000', size: '2M', zone: 'High' }] });
    expect(m.banks.map((b) => b.startPfn)).to.deep.equal([0x30000, 0x40000]);
    expect(m.zones.map((z) => z.name)).to.deep.equal(['Normal', 'High']);
    // 6 MiB at 0x30000000: one 4 MiB block then one 2 MiB block (order 9)
    expect(m.zones[0].free[1].blocks.slice(9)).to.deep.equal([1, 1]);
    expect(m.zones[1].free[1].blocks[9]).to.equal(1);
    expect(checkMemoryInvariants(m)).to.equal(null);
  });

  it('accepts pageblock order 10 (old 32-bit ARM) and computes watermarks like __setup_per_zone_wmarks', () => {
    const m = createMemoryState({ memory: '1G', pageblockOrder: 10 });
    expect(m.pageblocks).to.have.length(256);
    // min_free_kbytes = sqrt(1 GiB in KiB * 16) = 4096 KiB = 1024 pages; low/high add max(min/4, 0.1%)
    expect(m.zones[0].watermark).to.deep.equal({ min: 1024, low: 1024 + 262, high: 1024 + 524 }); // 0.1% of 262144 = 262 > 1024/4
  });

  describe('bad configuration names the field', () => {
    const bad: [string, object, RegExp][] = [
      ['overlapping banks', { banks: [{ base: 0, size: '64M' }, { base: '32M', size: '64M' }] }, /machine\.banks\[1\]: overlaps machine\.banks\[0\]/],
      ['a size that is not page-aligned', { memory: 4097 * 1024 }, /machine\.banks\[0\]\.size: 4195328 is not page-aligned/],
      ['a base that is not page-aligned', { banks: [{ base: 100, size: '2M' }] }, /machine\.banks\[0\]\.base: 0x64 is not page-aligned/],
      ['a pageblock order above the maximum order', { memory: '64M', pageblockOrder: 11 }, /machine\.pageblockOrder: 11 is above maxOrder 10/],
      ['a bad size token', { memory: '12Q' }, /machine\.banks\[0\]\.size: expected a size like 4096, 512M/],
      ['a bad policy', { memory: '64M', cmaFallback: 'never' }, /machine\.cmaFallback: expected 'balance', 'first' or 'last'/],
      ['no banks', { banks: [] }, /machine\.banks: expected at least one memory bank/],
      ['a partial pageblock', { memory: '3M' }, /machine\.banks\[0\]\.size: 3145728 is not a multiple of the pageblock size/],
    ];
    for (const [what, cfg, re] of bad) it(what, () => expect(() => createMemoryState(cfg)).to.throw(re));
  });
});
