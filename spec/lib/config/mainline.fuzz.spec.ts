/**
 * Property tests for parseMainlineCmdline: random strings, mutations of valid lines and
 * grammar-generated valid lines (10,000 inputs per run, fixed seed). It may only ever return a
 * configuration or throw ConfigError, and generated configurations round-trip through the printer.
 */
import { expect } from 'chai';
import { ConfigError } from '../../../lib/config/ConfigError.ts';
import { parseMainlineCmdline } from '../../../lib/config/mainline.ts';
import { deriveMainlineAreas, type MainlineParams } from '../../../lib/config/mainlineAreas.ts';
import { printMainlineCmdline } from '../../../lib/config/printMainline.ts';
import type { MainlineOptions, NodeSize } from '../../../lib/config/types.ts';
import type { Rng } from '../../../lib/engine/prng.ts';
import { mutate, parsesOrConfigError, pick, randomString, rng } from './fuzzKit.ts';

const K = 1024;
const M = 2 ** 20;
const G = 2 ** 30;
const ALPHABET = 'cma=_pernuhgtlb0123456789xXabcdefKMGTPEkmgtpe@-:, "';
const PREFIXES = ['cma=', 'cma_pernuma=', 'numa_cma=', 'hugetlb_cma=', 'hugetlb-cma=', 'quiet ', '', 'cma'];
const NOISE = ['quiet', 'console=ttyS0,115200', 'root=/dev/vda1', 'mem=4G', 'cmaxyz=1', 'loglevel=7'];

function nodeSubset(r: Rng, nodes: readonly number[], size: () => number): NodeSize[] {
  const chosen = nodes.filter(() => r.int(0, 1) === 1);
  const list = (chosen.length ? chosen : [nodes[0]]).map((node) => ({ node, size: size() }));
  return r.int(0, 1) ? list.reverse() : list;
}

function genParams(r: Rng, online: readonly number[]): MainlineParams {
  const p: { -readonly [k in keyof MainlineParams]: MainlineParams[k] } = {};
  const mode = r.int(0, 4);
  const unit = pick(r, [1, 4 * K, M, 2 * M]);
  if (mode === 1) p.cma = { size: r.int(0, 4096) * unit, base: 0, limit: 0 };
  else if (mode === 2) {
    const base = r.int(1, 2048) * 2 * M;
    const size = r.int(1, 256) * 2 * M;
    p.cma = { size, base, limit: base + size };
  } else if (mode === 3) {
    const base = r.int(0, 2048) * pick(r, [4 * K, 2 * M]);
    const size = r.int(1, 256) * unit;
    p.cma = { size, base, limit: Math.ceil((base + size) / (2 * M)) * 2 * M + r.int(1, 64) * 2 * M };
  }
  if (r.int(0, 2) === 0) p.pernuma = r.int(0, 64) * unit;
  if (r.int(0, 2) === 0) p.numaCma = nodeSubset(r, online, () => r.int(0, 64) * unit);
  const h = r.int(0, 3);
  if (h === 1) p.hugetlbCma = { form: 'total', size: r.int(1, 8) * G + r.int(0, 3) * M };
  else if (h === 2) p.hugetlbCma = { form: 'per-node', nodes: nodeSubset(r, online, () => pick(r, [0, G, 2 * G, G + 4 * M])) };
  return p;
}

function genOptions(r: Rng): MainlineOptions {
  const online = [0, 1, 2, 3].filter((n) => n === 0 || r.int(0, 1) === 1);
  return { onlineNodes: online, ...(r.int(0, 3) === 0 && { pageblockOrder: 10 }) };
}

describe('parseMainlineCmdline fuzz (seeded)', () => {
  it('never throws anything but ConfigError on 4,000 random strings and 4,000 mutations, and round-trips 2,000 generated configurations', () => {
    const r = rng(0x5eed0005);
    let parsed = 0;
    for (let i = 0; i < 4000; i++) {
      const line = pick(r, PREFIXES) + randomString(r, ALPHABET, 24);
      if (parsesOrConfigError(() => parseMainlineCmdline(line, { onlineNodes: [0, 1] }), line)) parsed++;
    }
    let roundTrips = 0;
    const valid: string[] = [];
    for (let i = 0; i < 2000; i++) {
      const opts = genOptions(r);
      const params = genParams(r, opts.onlineNodes!);
      let areas;
      try {
        areas = deriveMainlineAreas(params, opts);
      } catch (e) {
        expect(e).to.be.instanceOf(ConfigError); // e.g. a generated hugetlb size below one gigantic page
        continue;
      }
      const config = { ...params, areas };
      const words = printMainlineCmdline(config).split(' ').filter(Boolean);
      const line = [...words.flatMap((w) => (r.int(0, 2) === 0 ? [pick(r, NOISE), w] : [w])), pick(r, NOISE)].join(' ');
      valid.push(line);
      expect(parseMainlineCmdline(line, opts), line).to.deep.equal(config);
      roundTrips++;
    }
    for (let i = 0; i < 4000; i++) {
      const line = mutate(r, pick(r, valid), ALPHABET);
      if (parsesOrConfigError(() => parseMainlineCmdline(line, { onlineNodes: [0, 1, 2, 3] }), line)) parsed++;
    }
    // The generators must actually reach both outcomes, or the test proves little.
    expect(roundTrips).to.be.greaterThan(1500);
    expect(parsed).to.be.within(500, 7500);
  });
});
