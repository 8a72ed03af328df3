import { expect } from 'chai';
import { ConfigError } from '../../../lib/config/ConfigError.ts';
import { parseCmaMap } from '../../../lib/config/cmaMap.ts';
import { printCmaMap } from '../../../lib/config/printOriginal.ts';

function message(text: string): string {
  try {
    parseCmaMap(text);
  } catch (e) {
    expect(e).to.be.instanceOf(ConfigError);
    return (e as Error).message;
  }
  return expect.fail(`no error for ${text}`);
}

describe('parseCmaMap (original series)', () => {
  it('reads video,camera=r as one rule with two patterns', () => {
    expect(parseCmaMap('video,camera=r')).to.deep.equal([
      { patterns: [{ device: 'video', kind: null }, { device: 'camera', kind: null }], regions: ['r'] },
    ]);
  });

  it('reads ; separated rules, kinds, fallback lists and wildcards', () => {
    expect(parseCmaMap('video/a=a;video/b=b,a;*/*=a;')).to.deep.equal([
      { patterns: [{ device: 'video', kind: 'a' }], regions: ['a'] },
      { patterns: [{ device: 'video', kind: 'b' }], regions: ['b', 'a'] },
      { patterns: [{ device: '*', kind: '*' }], regions: ['a'] },
    ]);
  });

  it('reads a pattern without a device part (/kind) as device null', () => {
    expect(parseCmaMap('foo=r1;/quaz=r2;baz?/a,baz?/b=r3')).to.deep.equal([
      { patterns: [{ device: 'foo', kind: null }], regions: ['r1'] },
      { patterns: [{ device: null, kind: 'quaz' }], regions: ['r2'] },
      { patterns: [{ device: 'baz?', kind: 'a' }, { device: 'baz?', kind: 'b' }], regions: ['r3'] },
    ]);
  });

  it('accepts device names with : . - _ (dev_name() forms such as 0000:00:02.0)', () => {
    expect(parseCmaMap('0000:00:02.0=r;s5p-mfc.0/b=r')[0].patterns[0].device).to.equal('0000:00:02.0');
  });

  it('prints rules that parse back to the same map', () => {
    const map = parseCmaMap('foo=r1;/quaz=r2;baz?/a,baz?/b=r3,r1;*=common');
    expect(printCmaMap(map)).to.equal('foo=r1;/quaz=r2;baz?/a,baz?/b=r3,r1;*=common');
    expect(parseCmaMap(printCmaMap(map))).to.deep.equal(map);
  });

  describe('errors', () => {
    const cases: [string, string][] = [
      ['video/*;x=y', "cma_map: column 8: expected '=' after pattern 'video/*', got ';'"],
      ['a=b;video/*;', "cma_map: column 12: expected '=' after pattern 'video/*', got ';'"],
      ['video=', "cma_map: column 7: expected a region name after '=', got end of input"],
      ['video=a,', "cma_map: column 9: expected a region name after ',', got end of input"],
      ['video=a b', "cma_map: column 8: expected ';' or end of value after region 'a', got ' '"],
      ['video=a,b=c', "cma_map: column 10: expected ';' or end of value after region 'b', got '='"],
      ['=a', "cma_map: column 1: expected a device pattern or '/', got '='"],
      ['video/=a', "cma_map: column 7: expected a kind pattern after 'video/', got '='"],
      ['vi*deo=a', "cma_map: column 3: '*' must be the last character of pattern 'vi*deo'"],
      ['a=r;;b=r', "cma_map: column 5: expected a device pattern or '/', got ';'"],
    ];
    for (const [text, msg] of cases) {
      it(JSON.stringify(text), () => expect(message(text)).to.equal(msg));
    }
  });
});
