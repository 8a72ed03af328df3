import { expect } from 'chai';
import { areasFromDmesg, formatAreaOption, mergeAreas, parseAreaOption, ramFromDmesg } from '../../../lib/trace/traceAreas.ts';
import { fixtureText } from './fixtures.ts';

describe('traceAreas', () => {
  it('parses --area name=size@base with memparse-style sizes', () => {
    expect(parseAreaOption('reserved=256M@0xf0000000')).to.deep.equal({ name: 'reserved', size: 256 * 2 ** 20, base: 0xf0000000 });
    expect(parseAreaOption('hugetlb0=1G@4G')).to.deep.equal({ name: 'hugetlb0', size: 2 ** 30, base: 4 * 2 ** 30 });
    expect(formatAreaOption({ name: 'cam', size: 3 * 2 ** 20, base: 0x1000 })).to.equal('cam=3M@0x1000');
  });

  it('rejects bad --area options with a one-line error naming the token', () => {
    expect(() => parseAreaOption('reserved')).to.throw("--area 'reserved': not of the form name=size@base");
    expect(() => parseAreaOption('r=lots@0x0')).to.throw("--area 'r=lots@0x0': size 'lots' is not a positive byte count");
    expect(() => parseAreaOption('r=0@0x0')).to.throw('size');
    expect(() => parseAreaOption('r=4M@zz')).to.throw("base 'zz' is not an address");
  });

  it('reads the areas of the real boot logs (mm/cma.c "Reserved", hugetlb_cma naming)', () => {
    expect(areasFromDmesg(fixtureText('boot-and-hugetlb-1', 'dmesg.txt'))).to.deep.equal([
      { name: 'hugetlb0', size: 2 ** 30, base: 0x100000000 },
      { name: 'reserved', size: 256 * 2 ** 20, base: 0xf0000000 },
    ]);
    expect(areasFromDmesg(fixtureText('smoke-3g-misaligned', 'dmesg.txt'))).to.deep.equal([
      { name: 'hugetlb0', size: 2 ** 30, base: 0xbf800000 },
      { name: 'reserved', size: 256 * 2 ** 20, base: 0xac800000 },
    ]);
    expect(ramFromDmesg(fixtureText('boot-and-hugetlb-1', 'dmesg.txt'))).to.equal(5 * 2 ** 30);
  });

  it('hugetlb_cma on two nodes: areas up to its total are hugetlb<node>, the next one is the default', () => {
    const log = [
      'hugetlb_cma: reserve 2048 MiB, up to 1024 MiB per node',
      'cma: Reserved 1024 MiB at 0x0000000100000000',
      'hugetlb_cma: reserved 1024 MiB on node 0',
      'cma: Reserved 1024 MiB at 0x0000002000000000',
      'hugetlb_cma: reserved 1024 MiB on node 2',
      'cma: Reserved 64 MiB at 0x00000000fc000000',
    ].join('\n');
    expect(areasFromDmesg(log).map((a) => a.name)).to.deep.equal(['hugetlb0', 'hugetlb2', 'reserved']);
  });

  it('names device-tree pools after their node', () => {
    const log = [
      '[    0.000000] Reserved memory: created CMA memory pool at 0x0000000098000000, size 64 MiB',
      '[    0.000000] OF: reserved mem: initialized node linux,cma, compatible id shared-dma-pool',
    ].join('\n');
    expect(areasFromDmesg(log)).to.deep.equal([{ name: 'linux,cma', size: 64 * 2 ** 20, base: 0x98000000 }]);
  });

  it('later sources override earlier ones by name', () => {
    const a = { name: 'r', size: 1, base: 0 };
    const b = { name: 'r', size: 2, base: 4096 };
    expect(mergeAreas([a], [b])).to.deep.equal([b]);
  });
});
