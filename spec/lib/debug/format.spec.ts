import { expect } from 'chai';
import { fmtTime, fmtValue } from '../../../lib/debug/format.ts';
import { structDiff } from '../../../lib/debug/structDiff.ts';

describe('debugger formatting and structural diff', () => {
  it('fmtValue prints JSON.stringify(v, null, 2) and cuts a huge value after the line limit', () => {
    const v = { a: [1, { b: 'x' }], c: null, d: {}, e: [] };
    expect(fmtValue(v)).to.equal(JSON.stringify(v, null, 2));
    const big = Array.from({ length: 1_000_000 }, (_, i) => i);
    const out = fmtValue(big, 10).split('\n');
    expect(out).to.have.length(11);
    expect(out[10]).to.equal('... (cut; print a narrower path)');
  });

  it('fmtTime reads as the unit a person would use', () => {
    expect([fmtTime(500), fmtTime(12_500_000), fmtTime(1_000), fmtTime(2_000_000_000)]).to.deep.equal(['500ns', '12.5ms', '1us', '2s']);
  });

  it('structDiff reports changed, added and removed paths and skips shared subtrees', () => {
    const shared = { huge: Array.from({ length: 1000 }, (_, i) => i) };
    const a = { s: shared, x: 1, gone: true, list: [1, 2] };
    const b = { s: shared, x: 2, list: [1, 2, 3], added: 'y' };
    expect(structDiff(a, b).changes).to.deep.equal([
      { path: ['x'], from: 1, to: 2 },
      { path: ['gone'], from: true, to: undefined },
      { path: ['list', 2], from: undefined, to: 3 },
      { path: ['added'], from: undefined, to: 'y' },
    ]);
    expect(structDiff({ n: Array.from({ length: 10 }, () => 0) }, { n: Array.from({ length: 10 }, () => 1) }, 3)).to.deep.include({ truncated: true });
  });
});
