import { expect } from 'chai';
import { ConfigError } from '../../../lib/config/ConfigError.ts';
import { parseMainlineCmdline } from '../../../lib/config/mainline.ts';
import { deriveMainlineAreas } from '../../../lib/config/mainlineAreas.ts';
import type { MainlineOptions } from '../../../lib/config/types.ts';

const M = 2 ** 20;
const G = 2 ** 30;

function message(line: string, opts: MainlineOptions = {}): string {
  try {
    parseMainlineCmdline(line, opts);
  } catch (e) {
    expect(e).to.be.instanceOf(ConfigError);
    return (e as Error).message;
  }
  return expect.fail(`no error for ${line}`);
}

describe('deriveMainlineAreas (kernel rounding and rejection)', () => {
  // mm/cma.c cma_declare_contiguous_nid(): alignment = CMA_MIN_ALIGNMENT_BYTES (a pageblock);
  // size and base round up, limit rounds down, a fixed base must already be aligned.
  it('rounds an unaligned size up to a pageblock for a movable area', () => {
    expect(parseMainlineCmdline('cma=3M').areas[0]).to.include({ size: 4 * M, alignment: 2 * M });
    expect(parseMainlineCmdline('cma=5M', { pageblockOrder: 10 }).areas[0]).to.include({ size: 8 * M, alignment: 4 * M });
  });

  it('rounds base up and limit down for a window', () => {
    const [a] = parseMainlineCmdline('cma=4M@0x30100000-0x40100000').areas;
    expect(a).to.include({ base: 0x30200000, limit: 0x40000000, fixed: false });
  });

  it('rejects a fixed area whose base is not pageblock aligned', () => {
    expect(message('cma=64M@0x30100000')).to.equal('cma: column 5: region at 0x30100000 must be aligned to 0x200000 bytes');
  });

  it('rejects a fixed area whose size rounds up past its own limit', () => {
    // size 3M -> 4M but limit = base + 3M -> rounded down to base + 2M: "exceeds limit".
    expect(message('cma=3M@0x30000000')).to.equal(
      'cma: column 5: size 0x400000 (rounded up to 0x200000) of region at 0x30000000 exceeds limit 0x30200000',
    );
  });

  it('rejects a window too small for the rounded size', () => {
    expect(message('cma=64M@0x30000000-0x32000000')).to.match(/exceeds limit 0x32000000$/);
  });

  it('turns base 0 into "anywhere" even when size@0 looked fixed', () => {
    // cma_declare_contiguous_nid(): if (!base) fixed = false.
    const [a] = parseMainlineCmdline('cma=64M@0').areas;
    expect(a.fixed).to.equal(false);
    expect(a.base).to.equal(undefined);
    expect(a.limit).to.equal(64 * M);
  });

  it('uses the smaller non-zero of the cma= limit and the architecture DMA limit', () => {
    expect(parseMainlineCmdline('cma=64M', { dmaLimit: G }).areas[0].limit).to.equal(G);
    expect(parseMainlineCmdline('cma=64M@0-0x20000000', { dmaLimit: G }).areas[0].limit).to.equal(0x20000000);
  });

  it('clamps the limit to the end of memory when known', () => {
    expect(parseMainlineCmdline('cma=64M', { memoryEnd: 2 * G }).areas[0].limit).to.equal(2 * G);
    expect(message('cma=64M@0x7f000000-0x90000000', { memoryEnd: 0x80000000 })).to.match(/exceeds limit 0x80000000$/);
  });

  it('older kernels align CMA to max(MAX_ORDER - 1, pageblock_order)', () => {
    expect(parseMainlineCmdline('cma=3M', { cmaAlignOrder: 10 }).areas[0]).to.include({ size: 4 * M, alignment: 4 * M });
    expect(message('cma=64M@0x30200000', { cmaAlignOrder: 10 })).to.match(/must be aligned to 0x400000 bytes$/);
  });

  describe('per-NUMA areas (dma_numa_cma_reserve)', () => {
    it('gives every online node a pernuma<N> area, then its numa<N> area', () => {
      const c = parseMainlineCmdline('cma_pernuma=3M numa_cma=1:16M', { onlineNodes: [0, 1] });
      expect(c.areas.map((a) => [a.name, a.node, a.size])).to.deep.equal([
        ['pernuma0', 0, 4 * M],
        ['pernuma1', 1, 4 * M],
        ['numa1', 1, 16 * M],
      ]);
    });

    it('rejects a numa_cma node that is not online (the kernel warns and skips it)', () => {
      expect(message('numa_cma=3:16M', { onlineNodes: [0, 1] })).to.equal('numa_cma: column 10: invalid node 3 specified (online: 0,1)');
    });
  });

  describe('hugetlb_cma (hugetlb_cma_reserve)', () => {
    it('spreads a total over the online nodes in gigantic-page steps and stops when covered', () => {
      // 3G over 4 nodes: per_node = ceil(3G / 4) = 768M, each rounded up to 1G -> three 1G areas.
      const c = parseMainlineCmdline('hugetlb_cma=3G', { onlineNodes: [0, 1, 2, 3] });
      expect(c.areas.map((a) => [a.name, a.size, a.node])).to.deep.equal([
        ['hugetlb0', G, 0],
        ['hugetlb1', G, 1],
        ['hugetlb2', G, 2],
      ]);
      // Aligned to the gigantic page; one bit per HUGETLB_PAGE_ORDER (PMD, 2 MiB) huge page, as
      // mm/hugetlb.c hugetlb_cma_reserve passes it to cma_declare_contiguous_nid (not the gigantic order).
      expect(c.areas[0]).to.include({ alignment: G, orderPerBit: 9, fixed: false });
    });

    it('rounds per-node sizes up to a gigantic page and skips nodes given 0', () => {
      const c = parseMainlineCmdline('hugetlb_cma=0:1536M,1:0', { onlineNodes: [0, 1] });
      expect(c.areas.map((a) => [a.name, a.size])).to.deep.equal([['hugetlb0', 2 * G]]);
    });

    it('honours the gigantic page order', () => {
      const c = parseMainlineCmdline('hugetlb_cma=5M', { hugetlbOrder: 9 });
      expect(c.areas.map((a) => a.size)).to.deep.equal([6 * M]);
    });

    it('rejects sizes below one gigantic page and offline nodes', () => {
      expect(message('hugetlb_cma=512M')).to.equal('hugetlb_cma: column 13: cma area should be at least 1024 MiB, got 512M');
      expect(message('hugetlb_cma=0:512M')).to.equal('hugetlb_cma: column 13: cma area of node 0 should be at least 1024 MiB, got 512M');
      expect(message('hugetlb_cma=1:1G')).to.equal('hugetlb_cma: column 13: invalid node 1 specified (online: 0)');
    });
  });

  it('uses the Kconfig size (CONFIG_CMA_SIZE_MBYTES) only when the line has no cma=', () => {
    expect(parseMainlineCmdline('quiet', { kconfigSize: 16 * M }).areas).to.deep.equal([
      { name: 'reserved', source: 'cma', size: 16 * M, fixed: false, alignment: 2 * M, orderPerBit: 0 },
    ]);
    expect(parseMainlineCmdline('cma=0', { kconfigSize: 16 * M }).areas).to.deep.equal([]);
  });

  it('refuses sizes that round past 2^53 - 1', () => {
    expect(message('cma=0x1fffffffffffff')).to.equal('cma: column 5: 9007199254740991 rounded up to 0x200000 exceeds 2^53 - 1');
  });

  it('declares numa areas, then the default area, then hugetlb areas', () => {
    const areas = deriveMainlineAreas({ cma: { size: 64 * M, base: 0, limit: 0 }, pernuma: 2 * M, hugetlbCma: { form: 'total', size: G } }, {});
    expect(areas.map((a) => a.name)).to.deep.equal(['pernuma0', 'reserved', 'hugetlb0']);
  });
});
