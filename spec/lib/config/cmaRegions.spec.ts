import { expect } from 'chai';
import { ConfigError } from '../../../lib/config/ConfigError.ts';
import { parseCmaRegions } from '../../../lib/config/cmaRegions.ts';
import { printCmaRegions } from '../../../lib/config/printOriginal.ts';

const K = 1024;
const M = 2 ** 20;

function message(text: string): string {
  try {
    parseCmaRegions(text);
  } catch (e) {
    expect(e).to.be.instanceOf(ConfigError);
    return (e as Error).message;
  }
  return expect.fail(`no error for ${text}`);
}

describe('parseCmaRegions (original series)', () => {
  it('reads vf=1M/128K;a=20M;b=20M@512M', () => {
    expect(parseCmaRegions('vf=1M/128K;a=20M;b=20M@512M')).to.deep.equal([
      { name: 'vf', size: M, alignment: 128 * K },
      { name: 'a', size: 20 * M, alignment: 4 * K },
      { name: 'b', size: 20 * M, start: 512 * M, alignment: 4 * K },
    ]);
  });

  it('accepts both , and ; between regions (v=20M,c=20M)', () => {
    expect(parseCmaRegions('v=20M,c=20M')).to.deep.equal(parseCmaRegions('v=20M;c=20M'));
    expect(parseCmaRegions('v=20M,c=20M;').map((r) => r.name)).to.deep.equal(['v', 'c']);
  });

  it('reads the documentation example with allocators and parameters', () => {
    expect(parseCmaRegions('r1=64M@512M/1M:foo(bar);r2=64M/1M;r3=64M@1G:foo')).to.deep.equal([
      { name: 'r1', size: 64 * M, start: 512 * M, alignment: M, allocator: 'foo', allocatorParams: 'bar' },
      { name: 'r2', size: 64 * M, alignment: M },
      { name: 'r3', size: 64 * M, start: 1024 * M, alignment: 4 * K, allocator: 'foo' },
    ]);
    expect(parseCmaRegions('x=1M:bf(a=1,b;2)')[0]).to.include({ allocator: 'bf', allocatorParams: 'a=1,b;2' });
    expect(parseCmaRegions('x=1M:(p)')[0]).to.deep.equal({ name: 'x', size: M, alignment: 4 * K, allocatorParams: 'p' });
  });

  it("reads the reviewers' proposed form banka/foo,bar=30M as a region of kind banka for foo and bar", () => {
    // Hans Verkuil's proposal in the CMA review (2010): "banka/foo,bar=30MB ... shared between drivers foo and bar".
    expect(parseCmaRegions('banka=20M;banka/foo,bar=30M')).to.deep.equal([
      { name: 'banka', size: 20 * M, alignment: 4 * K },
      { name: 'banka/foo,bar', size: 30 * M, alignment: 4 * K, kind: 'banka', devices: ['foo', 'bar'] },
    ]);
    // ',' after the size still separates regions; inside the device list it separates devices.
    expect(parseCmaRegions('banka/foo,bar=30M,c=1M').map((r) => r.name)).to.deep.equal(['banka/foo,bar', 'c']);
  });

  it('rounds as the series did: size up to a page, alignment at least a page, start up to the alignment', () => {
    // cma_param_parse_entry(): PAGE_ALIGN(size), alignment ? PAGE_ALIGN(alignment) : PAGE_SIZE, ALIGN(start, alignment).
    expect(parseCmaRegions('a=5000@0x100001/2K')[0]).to.deep.equal({ name: 'a', size: 8 * K, start: 0x101000, alignment: 4 * K });
    expect(parseCmaRegions('a=1M@0x100001/1M')[0]).to.include({ start: 2 * M });
    expect(parseCmaRegions('a=1M@0')[0]).to.not.have.property('start');
    expect(parseCmaRegions('a=5000', { pageSize: 16 * K })[0]).to.include({ size: 16 * K, alignment: 16 * K });
  });

  it('reads an empty list as no regions', () => {
    expect(parseCmaRegions('')).to.deep.equal([]);
  });

  it('prints regions that parse back to the same list', () => {
    const text = 'vf=1M/128K;a=20M;b=20M@0x20000000;banka/foo,bar=30M:bf(x,y);q=4K:;z=8K:(p)';
    const regions = parseCmaRegions(text);
    expect(parseCmaRegions(printCmaRegions(regions))).to.deep.equal(regions);
    expect(printCmaRegions(regions)).to.equal('vf=1M/128K;a=20M;b=20M@0x20000000;banka/foo,bar=30M:bf(x,y);q=4K;z=8K:(p)');
  });

  describe('errors', () => {
    const cases: [string, string][] = [
      ['=1M', "cma_regions: column 1: expected a region name (letters, digits, _ . -), got '='"],
      ['a', "cma_regions: column 2: expected '=' after region name 'a', got end of input"],
      ['a=', "cma_regions: column 3: expected a number for size of region 'a', got end of input"],
      ['a=0', "cma_regions: column 3: region 'a' has size 0 (the series requires a non-zero size)"],
      ['a=1M/3K', "cma_regions: column 6: alignment '3K' of region 'a' is not a power of two"],
      ['a=1M@', "cma_regions: column 6: expected a number for start of region 'a', got end of input"],
      ['a=1M:bf(x', "cma_regions: column 10: expected ')' closing the parameters of allocator 'bf', got end of input"],
      ['a=1M:bf(x)y', "cma_regions: column 11: expected ';', ',' or end of value after region 'a', got 'y'"],
      ['a=1M b=2M', "cma_regions: column 5: expected ';', ',' or end of value after region 'a', got ' '"],
      ['a=1M;;b=1M', "cma_regions: column 6: expected a region name (letters, digits, _ . -), got ';'"],
      ['k/=1M', "cma_regions: column 3: expected a device name in the device list of 'k', got '='"],
      ['a=0x1fffffffffffff', "cma_regions: column 3: region 'a' ends beyond 2^53 - 1"],
      ['a=1M;a=2M', "cma_regions: column 6: region 'a' is defined twice (first at column 1)"],
      ['a=2M@16M;b=1M@17M', "cma_regions: column 10: region 'b' [0x1100000, 0x1200000) overlaps region 'a' [0x1000000, 0x1200000)"],
    ];
    for (const [text, msg] of cases) {
      it(JSON.stringify(text), () => expect(message(text)).to.equal(msg));
    }

    it('allows regions that touch without overlapping', () => {
      expect(parseCmaRegions('a=1M@16M;b=1M@17M')).to.have.length(2);
    });
  });
});
