import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../../../lib/config/ConfigError.ts';
import { parseDtsTree, parseReservedMemoryDts } from '../../../lib/config/dts.ts';
import { printReservedMemoryDts } from '../../../lib/config/printDt.ts';

const M = 2 ** 20;
const board = readFileSync(new URL('../../fixtures/config/board-reserved-memory.dts', import.meta.url), 'utf8');

function message(src: string): string {
  try {
    parseReservedMemoryDts(src);
  } catch (e) {
    expect(e).to.be.instanceOf(ConfigError);
    return (e as Error).message;
  }
  return expect.fail('no error');
}

const wrap = (body: string): string => `reserved-memory {\n#address-cells = <1>;\n#size-cells = <1>;\nranges;\n${body}\n};`;

describe('parseReservedMemoryDts', () => {
  it('reads a board block: CMA pools, a private pool, a plain carve-out; skips disabled nodes', () => {
    expect(parseReservedMemoryDts(board)).to.deep.equal([
      {
        name: 'linux,cma', compatible: ['shared-dma-pool'], kind: 'cma', size: 256 * M, alignment: 4 * M,
        allocRanges: [{ base: 0x40000000, size: 0x40000000 }, { base: 0x100000000, size: 0x80000000 }],
        reusable: true, noMap: false, default: true, private: false,
      },
      { name: 'codec@78000000', compatible: ['shared-dma-pool'], kind: 'cma', base: 0x78000000, size: 32 * M, reusable: true, noMap: false, default: false, private: false },
      { name: 'gpu-pool', compatible: ['shared-dma-pool'], kind: 'dma-pool', size: 8 * M, alignment: M, reusable: false, noMap: true, default: false, private: true },
      { name: 'firmware@7f000000', compatible: [], kind: 'reserved', base: 0x7f000000, size: M, reusable: false, noMap: true, default: false, private: true },
    ]);
  });

  it('honours #address-cells/#size-cells of 1', () => {
    const [a] = parseReservedMemoryDts(wrap('c@30000000 { compatible = "shared-dma-pool"; reusable; reg = <0x30000000 0x4000000>; };'));
    expect(a).to.include({ base: 0x30000000, size: 64 * M });
  });

  it('reads C literals in cells (octal, U/L suffixes) and concatenates cell lists', () => {
    const tree = parseDtsTree(wrap('x { a = <010 0x10UL 16>, <7>; s = "p", "q"; b; };'));
    expect(tree.children[0].props.map((p) => [p.name, p.chunks])).to.deep.equal([
      ['a', [{ t: 'cells', v: [8, 16, 16] }, { t: 'cells', v: [7] }]],
      ['s', [{ t: 'str', v: 'p' }, { t: 'str', v: 'q' }]],
      ['b', []],
    ]);
  });

  it('prints the areas back to DTS that parses to the same areas', () => {
    const areas = parseReservedMemoryDts(board);
    expect(parseReservedMemoryDts(printReservedMemoryDts(areas))).to.deep.equal(areas);
    expect(parseReservedMemoryDts(printReservedMemoryDts(areas, { addressCells: 2, sizeCells: 1 }))).to.deep.equal(areas);
  });

  describe('syntax errors name line, column, token and what was expected', () => {
    const cases: [string, string][] = [
      ['', "dts: line 1, column 1: expected the 'reserved-memory' node, got end of input"],
      ['memory { };', "dts: line 1, column 1: expected the 'reserved-memory' node, got 'memory'"],
      ['reserved-memory {\n  x = <1 2;\n};', "dts: line 2, column 11: expected a cell value or '>' in 'x', got ';'"],
      ['reserved-memory {\n  x = <0x1g>;\n};', "dts: line 2, column 8: expected a cell number (decimal, 0x hex or 0 octal), got '0x1g'"],
      ['reserved-memory {\n  x = <0x100000000>;\n};', "dts: line 2, column 8: expected a 32-bit cell value (at most 0xffffffff), got '0x100000000'"],
      ['reserved-memory {\n  x = &label;\n};', "dts: line 2, column 7: expected a name, a string or punctuation ({ } ; = < > , :), got '&'"],
      ['reserved-memory {\n  x = "abc;\n};', "dts: line 2, column 7: expected '\"' closing the string on the same line, got '\"abc;'"],
      ['reserved-memory {\n  x = 5;\n};', "dts: line 2, column 7: expected a string or '<' starting the cells of 'x', got '5'"],
      ['reserved-memory {\n  n { reusable };\n};', "dts: line 2, column 16: expected '=' or ';' after property 'reusable', got '}'"],
      ['reserved-memory {\n  n { };\n}', "dts: line 3, column 2: expected ';' after '}' closing 'reserved-memory', got end of input"],
      ['reserved-memory { }; x', "dts: line 1, column 22: expected end of input after the reserved-memory block, got 'x'"],
      ['reserved-memory { /* open', "dts: line 1, column 19: expected '*/' closing the comment, got '/*'"],
      ['reserved-memory {\n  x = "abc', "dts: line 2, column 7: expected '\"' closing the string, got '\"abc'"],
      ['reserved-memory ;', "dts: line 1, column 17: expected '{' after node name 'reserved-memory', got ';'"],
      ['reserved-memory {\n  x = <1> <2>;\n};', "dts: line 2, column 11: expected ',' or ';' after the value of 'x', got '<'"],
      ['reserved-memory {\n 1bad: n { };\n};', "dts: line 2, column 2: expected a label (letters, digits, _), got '1bad'"],
    ];
    for (const [src, msg] of cases) {
      it(JSON.stringify(src), () => expect(message(src)).to.equal(msg));
    }
  });
});
