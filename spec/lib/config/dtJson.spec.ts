import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { ConfigError } from '../../../lib/config/ConfigError.ts';
import { parseReservedMemoryDts } from '../../../lib/config/dts.ts';
import { parseReservedMemoryJson } from '../../../lib/config/dtJson.ts';
import { printReservedMemoryJson } from '../../../lib/config/printDt.ts';

const M = 2 ** 20;
const board = readFileSync(new URL('../../fixtures/config/board-reserved-memory.dts', import.meta.url), 'utf8');

function message(input: unknown): string {
  try {
    parseReservedMemoryJson(input);
  } catch (e) {
    expect(e).to.be.instanceOf(ConfigError);
    return (e as Error).message;
  }
  return expect.fail('no error');
}

const root = { '#address-cells': 1, '#size-cells': 1, ranges: true };

describe('parseReservedMemoryJson', () => {
  it('reads properties as JSON values and child nodes as objects, with the same kernel rules as DTS', () => {
    const areas = parseReservedMemoryJson({
      ...root,
      'linux,cma': { compatible: 'shared-dma-pool', reusable: true, size: 0x4000000, 'linux,cma-default': true },
      'vpu@30000000': { compatible: ['shared-dma-pool'], reusable: true, reg: [0x30000000, 0x2000000] },
    });
    expect(areas).to.deep.equal([
      { name: 'linux,cma', compatible: ['shared-dma-pool'], kind: 'cma', size: 64 * M, alignment: 2 * M, reusable: true, noMap: false, default: true, private: false },
      { name: 'vpu@30000000', compatible: ['shared-dma-pool'], kind: 'cma', base: 0x30000000, size: 32 * M, reusable: true, noMap: false, default: false, private: false },
    ]);
  });

  it('accepts JSON text as well as a value', () => {
    const text = JSON.stringify({ ...root, r: { reg: [4096, 4096] } });
    expect(parseReservedMemoryJson(text)).to.deep.equal(parseReservedMemoryJson(JSON.parse(text)));
  });

  it('reads the same areas as the DTS it mirrors, and prints JSON that reads back equal', () => {
    const areas = parseReservedMemoryDts(board);
    const json = printReservedMemoryJson(areas);
    expect(parseReservedMemoryJson(json)).to.deep.equal(areas);
    expect(parseReservedMemoryJson(JSON.stringify(json))).to.deep.equal(areas);
  });

  describe('errors name the JSON path', () => {
    it('non-object input', () => {
      expect(message([])).to.equal("dt_json: $: expected an object: the reserved-memory node, got '[]'");
      expect(message('42')).to.equal("dt_json: $: expected an object: the reserved-memory node, got '42'");
    });

    it('a cell that is not a u32', () => {
      expect(message({ ...root, c: { size: [1.5] } })).to.equal("dt_json: $.c.size[0]: expected a u32 cell (integer 0..4294967295), got '1.5'");
      expect(message({ ...root, c: { size: 2 ** 32 } })).to.equal("dt_json: $.c.size: expected a u32 cell (integer 0..4294967295), got '4294967296'");
    });

    it('a property of the wrong JSON type', () => {
      expect(message({ ...root, c: { reusable: false } })).to.equal(
        "dt_json: $.c.reusable: expected true, a string, a string array, a cell number or a cell array for property 'reusable', got 'false'",
      );
      expect(message({ ...root, 'linux,cma': { size: null } })).to.equal(
        `dt_json: $["linux,cma"].size: expected true, a string, a string array, a cell number or a cell array for property 'size', got 'null'`,
      );
    });

    it('a name that is not a device-tree name', () => {
      expect(message({ ...root, 'bad name': {} })).to.equal(`dt_json: $["bad name"]: expected a device-tree property or node name, got 'bad name'`);
    });

    it('kernel rule violations point at the property path', () => {
      expect(message({ ...root, c: { compatible: 'shared-dma-pool', reusable: true, 'no-map': true, size: 0x200000 } })).to.equal(
        "reserved-memory: $.c[\"no-map\"]: CMA region 'c' (reusable) must not be 'no-map'",
      );
      expect(message({ ...root, c: { compatible: 'shared-dma-pool', reusable: true, size: 0x100000 } })).to.equal(
        "reserved-memory: $.c.size: incorrect alignment of CMA region 'c': base and size must be multiples of 0x200000 (a pageblock)",
      );
    });

    it('JSON syntax errors', () => {
      expect(message('{"a": ')).to.match(/^dt_json: (column \d+: )?invalid JSON: /);
    });
  });
});
