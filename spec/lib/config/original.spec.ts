import { expect } from 'chai';
import { ConfigError } from '../../../lib/config/ConfigError.ts';
import { parseOriginalCmdline, validateOriginalConfig } from '../../../lib/config/original.ts';
import { printOriginalCmdline } from '../../../lib/config/printOriginal.ts';
import { resolve } from '../../../lib/config/resolve.ts';

const M = 2 ** 20;

function message(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).to.be.instanceOf(ConfigError);
    return (e as Error).message;
  }
  return expect.fail('no error');
}

describe('parseOriginalCmdline', () => {
  it('cma=r=20M cma_map=video,camera=r', () => {
    const c = parseOriginalCmdline('cma=r=20M cma_map=video,camera=r');
    expect(c.regions).to.deep.equal([{ name: 'r', size: 20 * M, alignment: 4096 }]);
    expect(resolve(c.map, 'video')).to.deep.include({ regions: ['r'] });
    expect(resolve(c.map, 'camera')).to.deep.include({ regions: ['r'] });
  });

  it('cma=v=20M,c=20M cma_map=video=v;camera=c', () => {
    const c = parseOriginalCmdline('cma=v=20M,c=20M cma_map=video=v;camera=c');
    expect(c.regions.map((r) => [r.name, r.size])).to.deep.equal([['v', 20 * M], ['c', 20 * M]]);
    expect(resolve(c.map, 'video')).to.deep.include({ regions: ['v'] });
    expect(resolve(c.map, 'camera')).to.deep.include({ regions: ['c'] });
  });

  it('cma=vf=1M/128K;a=20M;b=20M@512M cma_map=video/a=a;video/b=b;video/f=vf', () => {
    const c = parseOriginalCmdline('cma=vf=1M/128K;a=20M;b=20M@512M cma_map=video/a=a;video/b=b;video/f=vf');
    expect(c.regions).to.deep.equal([
      { name: 'vf', size: M, alignment: 128 * 1024 },
      { name: 'a', size: 20 * M, alignment: 4096 },
      { name: 'b', size: 20 * M, start: 512 * M, alignment: 4096 },
    ]);
    expect(resolve(c.map, 'video', 'f')).to.deep.include({ regions: ['vf'] });
  });

  it('cma=a=8M cma_map=*/*=a', () => {
    const c = parseOriginalCmdline('mem=512M cma=a=8M cma_map=*/*=a console=ttySAC2');
    expect(c.map).to.deep.equal([{ patterns: [{ device: '*', kind: '*' }], regions: ['a'] }]);
  });

  it('uses platform defaults where the line gives no cma= / cma_map=, the line where it does', () => {
    const defaults = { regions: [{ name: 'common', size: 5 * M, alignment: 4096 }], map: [{ patterns: [{ device: '*', kind: null }], regions: ['common'] }] };
    expect(parseOriginalCmdline('quiet', { defaults })).to.deep.equal(defaults);
    const c = parseOriginalCmdline('cma=r=20M cma_map=*=r', { defaults });
    expect(c.regions.map((r) => r.name)).to.deep.equal(['r']);
  });

  it('lets a later cma= replace an earlier one', () => {
    expect(parseOriginalCmdline('cma=a=1M cma=b=2M').regions.map((r) => r.name)).to.deep.equal(['b']);
  });

  it('prints a configuration that parses back equal', () => {
    const c = parseOriginalCmdline('cma=vf=1M/128K;a=20M;b=20M@512M;banka/foo,bar=30M:bf(x) cma_map=video/a=a;/b=b,a;*=vf');
    expect(parseOriginalCmdline(printOriginalCmdline(c))).to.deep.equal(c);
  });

  describe('validation at configuration time', () => {
    it('rejects a rule naming an unknown region, at the column of the name', () => {
      expect(message(() => parseOriginalCmdline('cma=v=20M cma_map=video=v;camera=c'))).to.equal(
        "cma_map: column 34: rule 2 names unknown region 'c' (defined: v)",
      );
      expect(message(() => parseOriginalCmdline('cma_map=*=r'))).to.equal("cma_map: column 11: rule 1 names unknown region 'r' (defined: none)");
    });

    it('rejects overlapping fixed regions', () => {
      expect(message(() => parseOriginalCmdline('cma=a=20M@512M;b=20M@520M'))).to.equal(
        "cma_regions: column 16: region 'b' [0x20800000, 0x21c00000) overlaps region 'a' [0x20000000, 0x21400000)",
      );
    });

    it('rejects a bare cma or cma_map without =', () => {
      expect(message(() => parseOriginalCmdline('cma'))).to.equal("cma_regions: column 4: expected '=' after 'cma', got end of input");
      expect(message(() => parseOriginalCmdline('quiet cma_map'))).to.equal("cma_map: column 14: expected '=' after 'cma_map', got end of input");
    });

    it('validates configurations built in code, naming the JSON path', () => {
      const regions = [{ name: 'a', size: M, alignment: 4096, start: 0 }, { name: 'b', size: M, alignment: 4096, start: M / 2 }];
      expect(message(() => validateOriginalConfig({ regions, map: [] }))).to.equal("cma_regions: regions[1].start: region 'b' [0x80000, 0x180000) overlaps region 'a' [0x0, 0x100000)");
      expect(message(() => validateOriginalConfig({ regions: [regions[0]], map: [{ patterns: [{ device: 'x', kind: null }], regions: ['a', 'zz'] }] }))).to.equal(
        "cma_map: map[0].regions[1]: rule 1 names unknown region 'zz' (defined: a)",
      );
      expect(message(() => validateOriginalConfig({ regions: [regions[0], regions[0]], map: [] }))).to.equal("cma_regions: regions[1].name: region 'a' is defined twice");
      expect(message(() => validateOriginalConfig({ regions: [{ name: 'z', size: 0, alignment: 4096 }], map: [] }))).to.equal(
        "cma_regions: regions[0].size: region 'z' needs a positive integer size",
      );
    });
  });
});
