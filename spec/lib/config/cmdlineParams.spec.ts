import { expect } from 'chai';
import { splitCmdline } from '../../../lib/config/cmdlineParams.ts';

describe('splitCmdline (kernel next_arg)', () => {
  it('splits on white space, keeps bare words, and records value columns', () => {
    const ps = splitCmdline('  quiet cma=64M\tconsole=ttyS0,115200');
    expect(ps.map((p) => [p.name, p.value, p.column])).to.deep.equal([
      ['quiet', null, 3],
      ['cma', '64M', 9],
      ['console', 'ttyS0,115200', 17],
    ]);
    expect(ps[1].valueColumns).to.deep.equal([13, 14, 15, 16]);
  });

  it('lets double quotes group words and drops them, keeping the line columns', () => {
    const [p] = splitCmdline('dyndbg="file cma.c +p"');
    expect(p.value).to.equal('file cma.c +p');
    expect(p.valueColumns[0]).to.equal(9);
  });

  it('reads - as _ in names and stops at --', () => {
    expect(splitCmdline('hugetlb-cma=1G -- cma=1M').map((p) => p.name)).to.deep.equal(['hugetlb_cma']);
  });
});
