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
});
