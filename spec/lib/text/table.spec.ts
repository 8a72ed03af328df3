import { expect } from 'chai';
import { textTable } from '../../../lib/text/table.ts';

describe('text/table', () => {
  it('pads columns to the widest cell, numbers right-aligned, a rule under the header', () => {
    expect(textTable({ title: 'T', headers: ['name', 'n'], right: [false, true], rows: [['a', '1'], ['bbb', '100']], note: 'end' }))
      .to.equal('T\nname    n\n----  ---\na       1\nbbb   100\nend');
  });

  it('keeps a hostile cell on its row and out of the terminal', () => {
    const out = textTable({ headers: ['name'], right: [false], rows: [['x\n\x1b[2Jy']] });
    expect(out.split('\n')).to.have.length(3);
    expect(out).not.to.include('\x1b');
  });

  it('says (none) under an empty table', () => {
    expect(textTable({ headers: ['a'], right: [false], rows: [] })).to.equal('a\n-\n(none)');
  });

  it('splits a table wider than the terminal into column groups that repeat the key column', () => {
    const t = { title: 'T', headers: ['id', 'alpha', 'beta', 'gamma'], right: [true, false, false, false], rows: [['1', 'aaaaaa', 'bbbbbb', 'cccccc']], note: 'end' };
    expect(textTable(t, 20)).to.equal('T\nid  alpha   beta\n--  ------  ------\n 1  aaaaaa  bbbbbb\n\nid  gamma\n--  ------\n 1  cccccc\nend');
    expect(textTable(t, 30).split('\n')).to.have.length(5); // fits: one block
    expect(textTable(t)).to.equal(textTable(t, 30));
  });

  it('gives a column wider than the terminal a group of its own rather than cutting it', () => {
    const out = textTable({ headers: ['k', 'wide', 'n'], right: [false, false, true], rows: [['a', 'x'.repeat(30), '1']] }, 10);
    expect(out).to.include('x'.repeat(30));
    expect(out.split('\n\n')).to.have.length(2);
  });
});
