import { expect } from 'chai';
import { parseCmaMap } from '../../../lib/config/cmaMap.ts';
import { parseCmaRegions } from '../../../lib/config/cmaRegions.ts';
import { effectiveMap, matchPattern, resolve } from '../../../lib/config/resolve.ts';

const regionsOf = (map: string, device: string, kind?: string): readonly string[] | null => {
  const r = resolve(parseCmaMap(map), device, kind);
  return r.matched ? r.regions : null;
};

describe('resolve (original series __cma_where_from)', () => {
  it('matches ? to exactly one character and a trailing * to the rest, including nothing', () => {
    expect(matchPattern('baz?', 'baz1')).to.equal(true);
    expect(matchPattern('baz?', 'baz')).to.equal(false);
    expect(matchPattern('baz?', 'baz12')).to.equal(false);
    expect(matchPattern('s5p-*', 's5p-')).to.equal(true);
    expect(matchPattern('s5p-*', 's5p-mfc.0')).to.equal(true);
    expect(matchPattern('s5p-*', 's5p')).to.equal(false);
    expect(matchPattern('*', '')).to.equal(true);
    expect(matchPattern('video', 'vide')).to.equal(false);
  });

  it('sends video and camera to r (video,camera=r)', () => {
    expect(regionsOf('video,camera=r', 'video')).to.deep.equal(['r']);
    expect(regionsOf('video,camera=r', 'camera')).to.deep.equal(['r']);
    expect(regionsOf('video,camera=r', 'fimc')).to.equal(null);
  });

  it('lets the first matching rule win and returns its ordered fallback list', () => {
    const map = 'video=v,common;video=x;*=common';
    expect(resolve(parseCmaMap(map), 'video')).to.deep.equal({ matched: true, regions: ['v', 'common'], rule: 0 });
    expect(resolve(parseCmaMap(map), 'gpu')).to.deep.equal({ matched: true, regions: ['common'], rule: 2 });
  });

  it('matches a pattern without a kind only for requests without a kind (the series code)', () => {
    // __cma_where_from(): "If the pattern is missing it we match only if kind points to an empty string".
    expect(regionsOf('video=v', 'video', 'a')).to.equal(null);
    expect(regionsOf('video=v', 'video', '')).to.deep.equal(['v']);
    expect(regionsOf('video/*=v', 'video', 'a')).to.deep.equal(['v']);
    expect(regionsOf('video/*=v', 'video')).to.deep.equal(['v']);
  });

  it('resolves per kind: video/a=a;video/b=b;video/f=vf', () => {
    const map = 'video/a=a;video/b=b;video/f=vf';
    expect(regionsOf(map, 'video', 'a')).to.deep.equal(['a']);
    expect(regionsOf(map, 'video', 'b')).to.deep.equal(['b']);
    expect(regionsOf(map, 'video', 'f')).to.deep.equal(['vf']);
    expect(regionsOf(map, 'video', 'c')).to.equal(null);
    expect(regionsOf(map, 'camera', 'a')).to.equal(null);
  });

  it('catches everything with */*=a', () => {
    expect(regionsOf('*/*=a', 'anything', 'any')).to.deep.equal(['a']);
    expect(regionsOf('*/*=a', 'x')).to.deep.equal(['a']);
  });

  it('gives a pattern without a device part the device of the previous pattern', () => {
    // Series doc: "foo = r1; /quaz = r2" means foo's requests of kind quaz use r2.
    const map = 'foo=r1;/quaz=r2;bar/x=r3;/*=r4';
    expect(regionsOf(map, 'foo')).to.deep.equal(['r1']);
    expect(regionsOf(map, 'foo', 'quaz')).to.deep.equal(['r2']);
    expect(regionsOf(map, 'baz', 'quaz')).to.equal(null);
    expect(regionsOf(map, 'bar', 'y')).to.deep.equal(['r4']);
    expect(regionsOf(map, 'foo', 'y')).to.equal(null); // '/*' inherits bar, not foo
  });

  it('lets /kind with no earlier device pattern match any device asking for that kind', () => {
    expect(regionsOf('/dma=d;*=c', 'ivtv', 'dma')).to.deep.equal(['d']);
    expect(regionsOf('/dma=d;*=c', 'ivtv')).to.deep.equal(['c']);
  });

  it("adds the reviewers' implied rules before the explicit map", () => {
    // banka=20M; banka/foo,bar=30M: foo and bar get the 30M region, every other driver asking for banka the 20M one.
    const config = { regions: parseCmaRegions('banka=20M;banka/foo,bar=30M'), map: parseCmaMap('*=common') };
    const map = effectiveMap(config);
    expect(resolve(map, 'foo', 'banka')).to.deep.include({ regions: ['banka/foo,bar'] });
    expect(resolve(map, 'bar', 'banka')).to.deep.include({ regions: ['banka/foo,bar'] });
    expect(resolve(map, 'baz', 'banka')).to.deep.include({ regions: ['banka'] });
    expect(resolve(map, 'baz')).to.deep.include({ regions: ['common'] });
  });
});
