import { expect } from 'chai';
import { ConfigError } from '../../../lib/config/ConfigError.ts';
import { parseReservedMemoryDts } from '../../../lib/config/dts.ts';
import type { DtOptions } from '../../../lib/config/types.ts';

const M = 2 ** 20;

const block = (body: string, header = '#address-cells = <2>;\n#size-cells = <2>;\nranges;'): string =>
  `reserved-memory {\n${header}\n${body}\n};`;

function message(src: string, opts: DtOptions = {}): string {
  try {
    parseReservedMemoryDts(src, opts);
  } catch (e) {
    expect(e).to.be.instanceOf(ConfigError);
    return (e as Error).message;
  }
  return expect.fail('no error');
}

describe('reservedMemoryAreas (kernel checks)', () => {
  it('makes a shared-dma-pool without reusable a private pool, not CMA (rmem_dma_setup)', () => {
    const [a] = parseReservedMemoryDts(block('p { compatible = "shared-dma-pool"; size = <0 0x300000>; };'));
    expect(a).to.include({ kind: 'dma-pool', private: true, reusable: false, size: 3 * M });
    expect(a).to.not.have.property('alignment'); // no CMA raise for a coherent pool
  });

  it('raises a dynamic CMA area alignment to CMA_MIN_ALIGNMENT_BYTES (__reserved_mem_alloc_size)', () => {
    const [a] = parseReservedMemoryDts(block('c { compatible = "shared-dma-pool"; reusable; size = <0 0x400000>; alignment = <0 0x1000>; };'));
    expect(a).to.include({ kind: 'cma', alignment: 2 * M });
    const [b] = parseReservedMemoryDts(block('c { compatible = "shared-dma-pool"; reusable; size = <0 0x800000>; };'), { pageblockOrder: 10 });
    expect(b).to.include({ alignment: 4 * M });
  });

  it('lets reg win over size and ignores alignment/alloc-ranges of a placed node', () => {
    const [a] = parseReservedMemoryDts(block('c@0 { compatible = "shared-dma-pool"; reusable; reg = <0 0 0 0x400000>; size = <0 0x200000>; alignment = <0 0x10000>; };'));
    expect(a).to.deep.equal({ name: 'c@0', compatible: ['shared-dma-pool'], kind: 'cma', base: 0, size: 4 * M, reusable: true, noMap: false, default: false, private: false });
  });

  it('bypasses the linux,cma-default node when the command line has cma= (rmem_cma_setup)', () => {
    const src = block('c { compatible = "shared-dma-pool"; reusable; size = <0 0x400000>; linux,cma-default; };');
    expect(parseReservedMemoryDts(src)[0]).to.include({ kind: 'cma', default: true, private: false });
    expect(parseReservedMemoryDts(src, { cmdlineCma: true })[0]).to.include({ kind: 'reserved', default: false, private: true, size: 4 * M });
  });

  it('uses only the first reg pair as the area', () => {
    const [a] = parseReservedMemoryDts(block('r { reg = <0 0x1000 0 0x1000  0 0x8000 0 0x1000>; };'));
    expect(a).to.include({ base: 0x1000, size: 0x1000, kind: 'reserved' });
  });

  const bad: [string, string, string, DtOptions?][] = [
    ['a CMA region must not be no-map', 'c { compatible = "shared-dma-pool"; reusable; no-map; size = <0 0x200000>; };',
      "reserved-memory: line 5, column 47: CMA region 'c' (reusable) must not be 'no-map'"],
    ['a CMA base must be pageblock aligned', 'c@100000 { compatible = "shared-dma-pool"; reusable; reg = <0 0x100000 0 0x200000>; };',
      "reserved-memory: line 5, column 54: incorrect alignment of CMA region 'c@100000': base and size must be multiples of 0x200000 (a pageblock)"],
    ['a CMA size must be pageblock aligned', 'c { compatible = "shared-dma-pool"; reusable; size = <0 0x300000>; };',
      "reserved-memory: line 5, column 47: incorrect alignment of CMA region 'c': base and size must be multiples of 0x200000 (a pageblock)"],
    ['size must have #size-cells cells', 'c { size = <0x300000>; };',
      "reserved-memory: line 5, column 5: invalid 'size' property: 1 cell(s), expected 2 (#size-cells)"],
    ['alignment must have #address-cells cells', 'c { size = <0 0x300000>; alignment = <0 0 1>; };',
      "reserved-memory: line 5, column 26: invalid 'alignment' property: 3 cell(s), expected 2 (#address-cells)"],
    ['reg must be whole pairs', 'c { reg = <0 0x1000 0>; };',
      "reserved-memory: line 5, column 5: invalid 'reg' property: 3 cells is not a multiple of 2+2"],
    ['alloc-ranges must be whole pairs', 'c { size = <0 0x1000>; alloc-ranges = <1>; };',
      "reserved-memory: line 5, column 24: invalid 'alloc-ranges' property: 1 cells is not a multiple of 2+2"],
    ['a node needs reg or size', 'c { compatible = "shared-dma-pool"; reusable; };',
      "reserved-memory: line 5, column 1: node 'c' has neither 'reg' nor 'size'"],
    ['size 0 is refused', 'c { size = <0 0>; };', "reserved-memory: line 5, column 5: node 'c' has size 0"],
    ['linux,cma-default needs a CMA node', 'p { compatible = "shared-dma-pool"; size = <0 0x200000>; linux,cma-default; };',
      `reserved-memory: line 5, column 58: 'linux,cma-default' on 'p', which is not a CMA region (needs compatible "shared-dma-pool" and 'reusable')`],
    ['one default only', 'a { compatible = "shared-dma-pool"; reusable; size = <0 0x200000>; linux,cma-default; };\nb { compatible = "shared-dma-pool"; reusable; size = <0 0x200000>; linux,cma-default; };',
      "reserved-memory: line 6, column 68: 'b' is a second linux,cma-default node"],
    ['node names are unique', 'a { size = <0 1>; };\na { size = <0 1>; };', "reserved-memory: line 6, column 1: node 'a' is defined twice"],
    ['cells hold numbers', 'a { size = "big"; };', "reserved-memory: line 5, column 5: expected 'size' to hold cells (<...>), not strings, got 'size'"],
    ['strings hold strings', 'a { compatible = <1>; size = <0 1>; };', "reserved-memory: line 5, column 5: expected 'compatible' to hold strings, not cells, got 'compatible'"],
    ['values fit in 2^53', 'a { size = <0xffffffff 0xffffffff>; };', "reserved-memory: line 5, column 5: 'size' value exceeds 2^53 - 1"],
  ];
  for (const [what, body, msg] of bad) {
    it(`rejects: ${what}`, () => expect(message(block(body))).to.equal(msg));
  }

  it('requires #address-cells, #size-cells and ranges on the block (__reserved_mem_check_root)', () => {
    expect(message(block('', '#size-cells = <2>; ranges;'))).to.equal(
      "reserved-memory: line 1, column 1: reserved-memory node lacks '#address-cells' (the kernel ignores the whole block)",
    );
    expect(message(block('', '#address-cells = <2>; #size-cells = <2>;'))).to.equal(
      "reserved-memory: line 1, column 1: reserved-memory node lacks 'ranges' (the kernel ignores the whole block)",
    );
    expect(message(block('', '#address-cells = <3>; #size-cells = <2>; ranges;'))).to.equal(
      "reserved-memory: line 2, column 1: expected '#address-cells' = <1> or <2>, got '#address-cells'",
    );
    expect(message(block(''), { rootAddressCells: 1 })).to.equal("reserved-memory: line 2, column 1: '#address-cells' is 2 but the root node's is 1");
  });
});
