import { expect } from 'chai';
import { ConfigError } from '../../../lib/config/ConfigError.ts';
import { parseMainlineCmdline } from '../../../lib/config/mainline.ts';
import { printMainlineCmdline } from '../../../lib/config/printMainline.ts';

const M = 2 ** 20;
const G = 2 ** 30;

function errorOf(line: string, opts = {}): ConfigError {
  try {
    parseMainlineCmdline(line, opts);
  } catch (e) {
    expect(e).to.be.instanceOf(ConfigError);
    return e as ConfigError;
  }
  return expect.fail(`no error for ${line}`);
}

describe('parseMainlineCmdline', () => {
  it('reads cma=64M@0x30000000-0x40000000 as a movable window, not a fixed placement', () => {
    // kernel/dma/contiguous.c dma_contiguous_reserve(): fixed only when base + size == limit.
    const c = parseMainlineCmdline('cma=64M@0x30000000-0x40000000');
    expect(c.cma).to.deep.equal({ size: 64 * M, base: 0x30000000, limit: 0x40000000 });
    expect(c.areas).to.deep.equal([
      { name: 'reserved', source: 'cma', size: 64 * M, base: 0x30000000, limit: 0x40000000, fixed: false, alignment: 2 * M, orderPerBit: 0 },
    ]);
  });

  it('makes size@base a fixed area with limit = base + size', () => {
    // early_cma(): no '-' after the base sets limit_cmdline = base + size.
    const c = parseMainlineCmdline('cma=64M@0x30000000');
    expect(c.cma).to.deep.equal({ size: 64 * M, base: 0x30000000, limit: 0x34000000 });
    expect(c.areas[0]).to.include({ name: 'reserved', fixed: true, base: 0x30000000, limit: 0x34000000 });
  });

  it('picks the CMA parameters out of a whole command line and ignores the rest', () => {
    const c = parseMainlineCmdline('console=ttyS0,115200 root=/dev/mmcblk0p2 rw cma=64M quiet loglevel=3');
    expect(c.cma).to.deep.equal({ size: 64 * M, base: 0, limit: 0 });
    expect(c.areas.map((a) => a.name)).to.deep.equal(['reserved']);
    expect(parseMainlineCmdline('console=ttyS0 quiet')).to.deep.equal({ areas: [] });
  });

  it('treats cma=0 as "no default area" while recording that cma= was given', () => {
    // dma_contiguous_reserve(): selected_size 0 reserves nothing (and overrides the Kconfig size).
    expect(parseMainlineCmdline('cma=0')).to.deep.equal({ cma: { size: 0, base: 0, limit: 0 }, areas: [] });
  });

  it('reads memparse numbers: K..E suffixes in either case, 0x hex, and a leading 0 as octal', () => {
    expect(parseMainlineCmdline('cma=16m').cma!.size).to.equal(16 * M);
    expect(parseMainlineCmdline('cma=1g').cma!.size).to.equal(G);
    expect(parseMainlineCmdline('cma=0x4000000').cma!.size).to.equal(64 * M);
    expect(parseMainlineCmdline('cma=010M').cma!.size).to.equal(8 * M); // octal 010 = 8
  });

  it('keeps base and limit from an earlier cma= that a later one does not mention (like the kernel)', () => {
    // early_cma() only assigns base_cmdline/limit_cmdline when '@' is present.
    const c = parseMainlineCmdline('cma=64M@0x30000000 cma=32M');
    expect(c.cma).to.deep.equal({ size: 32 * M, base: 0x30000000, limit: 0x34000000 });
  });

  it('treats - and _ in parameter names alike and drops double quotes', () => {
    expect(parseMainlineCmdline('hugetlb-cma=1G').hugetlbCma).to.deep.equal({ form: 'total', size: G });
    expect(parseMainlineCmdline('"cma=32M"').cma!.size).to.equal(32 * M);
  });

  it('stops at -- (the rest belongs to init)', () => {
    expect(parseMainlineCmdline('quiet -- cma=64M').cma).to.equal(undefined);
  });

  it('reads cma_pernuma=, numa_cma= and both hugetlb_cma= forms', () => {
    const c = parseMainlineCmdline('cma_pernuma=16M numa_cma=1:32M,0:8M hugetlb_cma=0:1G,1:2G', { onlineNodes: [0, 1] });
    expect(c.pernuma).to.equal(16 * M);
    expect(c.numaCma).to.deep.equal([{ node: 1, size: 32 * M }, { node: 0, size: 8 * M }]);
    expect(c.hugetlbCma).to.deep.equal({ form: 'per-node', nodes: [{ node: 0, size: G }, { node: 1, size: 2 * G }] });
    expect(parseMainlineCmdline('hugetlb_cma=4G').hugetlbCma).to.deep.equal({ form: 'total', size: 4 * G });
  });

  it('prints parameters that parse back to the same configuration', () => {
    for (const line of ['cma=64M@0x30000000-0x40000000', 'cma=64M@0x30000000', 'cma=0', 'cma=32M@0-0x40000000 cma_pernuma=16M', 'numa_cma=0:4M hugetlb_cma=0:1G']) {
      const c = parseMainlineCmdline(line);
      expect(parseMainlineCmdline(printMainlineCmdline(c))).to.deep.equal(c);
    }
    expect(printMainlineCmdline(parseMainlineCmdline('cma=64M@0x30000000-0x40000000'))).to.equal('cma=64M@0x30000000-0x40000000');
  });

  describe('errors name the column, the token and what was expected', () => {
    const cases: [string, string][] = [
      ['cma', "cma: column 4: expected '=' and a value after 'cma', got end of input"],
      ['cma=', 'cma: column 5: expected a number for cma size, got end of input'],
      ['cma=abc', "cma: column 5: expected a number for cma size, got 'abc'"],
      ['cma=64Mx', "cma: column 8: expected '@' before a base, or end of value after size, got 'x'"],
      ['quiet cma=64M@', 'cma: column 15: expected a number for cma base, got end of input'],
      ['cma=64M@0x30000000+1', "cma: column 19: expected '-' before a limit, or end of value after base, got '+1'"],
      ['cma=64M@0x30000000-', 'cma: column 20: expected a number for cma limit, got end of input'],
      ['cma=64M@1M-2Mz', "cma: column 14: expected end of value, got 'z'"],
      ['cma=08M', "cma: column 6: expected '@' before a base, or end of value after size, got '8M'"],
      ['cma=99999999999E', "cma: column 5: cma size '99999999999E' is larger than 2^53 - 1 bytes"],
      ['cma_pernuma=16Q', "cma_pernuma: column 15: expected end of value, got 'Q'"],
      ['numa_cma=0-4M', "numa_cma: column 11: expected ':' after node number 0, got '-4M'"],
      ['numa_cma=0:4M;1:4M', "numa_cma: column 14: expected ',' or end of value after a node size, got ';'"],
      ['numa_cma=:4M', "numa_cma: column 10: expected a node number before ':', got ':'"],
      ['numa_cma=64:4M', 'numa_cma: column 10: node 64 is not below MAX_NUMNODES (64)'],
      ['numa_cma=0:4M,0:8M', 'numa_cma: column 15: node 0 is given twice'],
      ['hugetlb_cma=0:1G,2G', "hugetlb_cma: column 19: expected ':' after node number 2, got 'G'"],
      ['hugetlb_cma=1G,', "hugetlb_cma: column 15: expected end of value, got ','"],
      ['hugetlb_cma=99999999999999999999:1G', "hugetlb_cma: column 13: '99999999999999999999' is too large for a node number before ':'"],
      ['cma=0x1fffffffffffff@0x1fffffffffffff', "cma: column 5: cma base + size '0x1fffffffffffff@0x1fffffffffffff' exceeds 2^53 - 1"],
    ];
    for (const [line, message] of cases) {
      it(line, () => {
        const e = errorOf(line);
        expect(e.message).to.equal(message);
        expect(e.column).to.be.a('number');
      });
    }

    it('reports columns in the whole line and the offending token', () => {
      const e = errorOf('console=ttyS0 cma=64M@0x30000000:x');
      expect(e.source).to.equal('cma');
      expect(e.column).to.equal(33);
      expect(e.token).to.equal(':');
      expect(e.expected).to.equal("'-' before a limit, or end of value after base");
    });
  });
});
