/**
 * Property tests for the original series' parsers (parseCmaRegions, parseCmaMap,
 * parseOriginalCmdline): 10,000 inputs each per run (random strings, mutations of valid text,
 * grammar-generated configurations), fixed seed. Only ConfigError may escape, and generated
 * configurations round-trip through the printers, whichever separator (',' or ';') joins regions.
 */
import { expect } from 'chai';
import { parseCmaMap } from '../../../lib/config/cmaMap.ts';
import { parseCmaRegions } from '../../../lib/config/cmaRegions.ts';
import { parseOriginalCmdline } from '../../../lib/config/original.ts';
import { printCmaMap, printOriginalCmdline, printRegion } from '../../../lib/config/printOriginal.ts';
import type { MapPattern, MapRule, OriginalConfig, OriginalRegion } from '../../../lib/config/types.ts';
import type { Rng } from '../../../lib/engine/prng.ts';
import { mutate, parsesOrConfigError, pick, pow2, randomString, rng } from './fuzzKit.ts';

const PAGE = 4096;
const REGION_ALPHABET = 'abv0123456789=@/:;,()xKMG._-';
const MAP_ALPHABET = 'abv01?*/=,;:._-';
const LINE_ALPHABET = 'cma_p=@/:;,()*?abvxKMG01 "';

const word = (r: Rng, chars: string, max = 5): string => randomString(r, chars, max - 1) + chars[r.int(0, chars.length - 1)];

function genRegions(r: Rng): OriginalRegion[] {
  const out: OriginalRegion[] = [];
  let cursor = r.int(0, 64) * 2 ** 20;
  for (let i = r.int(0, 6); i > 0; i--) {
    const alignment = r.int(0, 2) ? PAGE : pow2(r, 12, 24);
    const size = r.int(1, 8192) * PAGE;
    const region: { -readonly [k in keyof OriginalRegion]: OriginalRegion[k] } = { name: `${word(r, 'abcxyz_.-')}${out.length}`, size, alignment };
    if (r.int(0, 2) === 0) {
      region.start = Math.ceil((cursor + 1) / alignment) * alignment;
      cursor = region.start + size + r.int(0, 16) * PAGE;
    }
    if (r.int(0, 2) === 0) region.allocator = word(r, 'bfpool_');
    if (r.int(0, 3) === 0) region.allocatorParams = randomString(r, 'abc=0123,;.', 8);
    if (r.int(0, 4) === 0) {
      region.kind = word(r, 'bank');
      region.devices = Array.from({ length: r.int(1, 3) }, (_, d) => `${word(r, 'fobar:.-')}${d}`);
      region.name = `${region.kind}/${region.devices.join(',')}`;
      if (out.some((o) => o.name === region.name)) continue;
    }
    out.push(region);
  }
  return out;
}

function genPattern(r: Rng): string {
  const p = word(r, 'abv01?', 4);
  return r.int(0, 2) === 0 ? `${p}*` : p;
}

function genMap(r: Rng, regionNames: readonly string[]): MapRule[] {
  const names = regionNames.length ? regionNames : ['r', 'common'];
  return Array.from({ length: r.int(0, 5) }, () => ({
    patterns: Array.from({ length: r.int(1, 3) }, (): MapPattern => {
      const device = r.int(0, 4) === 0 ? null : genPattern(r);
      return { device, kind: device === null || r.int(0, 1) ? genPattern(r) : null };
    }),
    regions: Array.from({ length: r.int(1, 3) }, () => pick(r, names)),
  }));
}

function joinRegions(r: Rng, regions: readonly OriginalRegion[]): string {
  const parts = regions.map((x) => printRegion(x));
  let text = '';
  parts.forEach((p, i) => (text += (i ? pick(r, [';', ',']) : '') + p));
  return text + (parts.length && r.int(0, 3) === 0 ? pick(r, [';', ',']) : '');
}

function fuzz(label: string, parse: (s: string) => unknown, genValid: (r: Rng) => { text: string; expected: unknown }, alphabet: string, seed: number): void {
  it(`${label}: only ConfigError on 4,000 random strings and 4,000 mutations; 2,000 generated inputs round-trip`, () => {
    const r = rng(seed);
    let ok = 0;
    for (let i = 0; i < 4000; i++) {
      const s = randomString(r, alphabet, 30);
      if (parsesOrConfigError(() => parse(s), s)) ok++;
    }
    const valid: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const { text, expected } = genValid(r);
      valid.push(text);
      expect(parse(text), text).to.deep.equal(expected);
    }
    for (let i = 0; i < 4000; i++) {
      const s = mutate(r, pick(r, valid), alphabet);
      if (parsesOrConfigError(() => parse(s), s)) ok++;
    }
    expect(ok).to.be.within(200, 7800);
  });
}

describe('original-series parsers fuzz (seeded)', () => {
  fuzz('parseCmaRegions', parseCmaRegions, (r) => {
    const regions = genRegions(r);
    return { text: joinRegions(r, regions), expected: regions };
  }, REGION_ALPHABET, 0x5eed0011);

  fuzz('parseCmaMap', parseCmaMap, (r) => {
    const map = genMap(r, []);
    return { text: printCmaMap(map) + (map.length && r.int(0, 3) === 0 ? ';' : ''), expected: map };
  }, MAP_ALPHABET, 0x5eed0012);

  fuzz('parseOriginalCmdline', (s) => parseOriginalCmdline(s), (r) => {
    const regions = genRegions(r);
    const plain = regions.filter((x) => !x.devices).map((x) => x.name);
    const config: OriginalConfig = { regions, map: plain.length ? genMap(r, plain) : [] };
    return { text: `console=ttySAC2 ${printOriginalCmdline(config)} quiet`, expected: config };
  }, LINE_ALPHABET, 0x5eed0013);
});
