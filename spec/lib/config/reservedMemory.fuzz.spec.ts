/**
 * Property tests for the device-tree readers (parseReservedMemoryDts, parseReservedMemoryJson):
 * 10,000 inputs each per run (random text, mutations of printed blocks, generated areas), fixed
 * seed. Only ConfigError may escape; generated areas round-trip through both printers.
 */
import { expect } from 'chai';
import { parseReservedMemoryDts } from '../../../lib/config/dts.ts';
import { parseReservedMemoryJson } from '../../../lib/config/dtJson.ts';
import { printReservedMemoryDts, printReservedMemoryJson } from '../../../lib/config/printDt.ts';
import type { DtArea } from '../../../lib/config/types.ts';
import type { Rng } from '../../../lib/engine/prng.ts';
import { mutate, parsesOrConfigError, pick, pow2, randomString, rng } from './fuzzKit.ts';

const M = 2 ** 20;
const DTS_ALPHABET = 'reserved-memory{};=<>,"0x12fa #address-cells ranges reusable no-map size reg\n/*@:';
const JSON_ALPHABET = '{}[]":,0123456789truefalsnl sizereg#-';

type Mutable<T> = { -readonly [k in keyof T]: T[k] };

function genAreas(r: Rng, small: boolean): DtArea[] {
  const out: DtArea[] = [];
  let hasDefault = false;
  const addr = (): number => r.int(0, small ? 1000 : 200000) * 2 * M;
  for (let i = r.int(0, 5); i > 0; i--) {
    const kind = pick(r, ['cma', 'cma', 'dma-pool', 'reserved'] as const);
    const placed = r.int(0, 1) === 1;
    const size = kind === 'cma' ? r.int(1, 500) * 2 * M : r.int(1, 100000) * 4096;
    const a: Mutable<DtArea> = {
      name: placed ? `${pick(r, ['pool', 'vpu', 'fw'])}${i}@${addr().toString(16)}` : pick(r, [`linux,cma${i}`, `pool-${i}`, `gpu_${i}`]),
      compatible: kind === 'reserved' ? pick(r, [[], ['ramoops']]) : r.int(0, 3) === 0 ? ['vendor,pool', 'shared-dma-pool'] : ['shared-dma-pool'],
      kind,
      size,
      reusable: kind === 'cma' || (kind === 'reserved' && r.int(0, 1) === 1),
      noMap: kind !== 'cma' && r.int(0, 1) === 1,
      default: false,
      private: kind !== 'cma',
    };
    if (placed) a.base = addr();
    else {
      if (kind === 'cma') a.alignment = pow2(r, 21, 26);
      else if (r.int(0, 1)) a.alignment = pow2(r, 12, 24);
      if (r.int(0, 2) === 0) a.allocRanges = Array.from({ length: r.int(1, 3) }, () => ({ base: addr(), size: r.int(1, 512) * 2 * M }));
    }
    if (kind === 'cma' && !hasDefault && r.int(0, 2) === 0) {
      a.default = true;
      hasDefault = true;
    }
    out.push(a);
  }
  return out;
}

function runFuzz(parse: (input: string) => unknown, print: (areas: DtArea[], small: boolean) => string, alphabet: string, seed: number, prefix: string): void {
  const r = rng(seed);
  let ok = 0;
  for (let i = 0; i < 4000; i++) {
    const s = (r.int(0, 1) ? prefix : '') + randomString(r, alphabet, 60);
    if (parsesOrConfigError(() => parse(s), s)) ok++;
  }
  const valid: string[] = [];
  for (let i = 0; i < 2000; i++) {
    const small = r.int(0, 3) === 0;
    const areas = genAreas(r, small);
    const text = print(areas, small);
    valid.push(text);
    expect(parse(text), text).to.deep.equal(areas);
  }
  for (let i = 0; i < 4000; i++) {
    const s = mutate(r, pick(r, valid), alphabet);
    if (parsesOrConfigError(() => parse(s), s)) ok++;
  }
  expect(ok).to.be.within(100, 7000);
}

const cells = (small: boolean) => (small ? { addressCells: 1, sizeCells: 1 } : {});

describe('device-tree readers fuzz (seeded)', () => {
  it('parseReservedMemoryDts: only ConfigError on 8,000 random/mutated texts; 2,000 generated blocks round-trip', () => {
    runFuzz((s) => parseReservedMemoryDts(s), (areas, small) => printReservedMemoryDts(areas, cells(small)), DTS_ALPHABET, 0x5eed0021, 'reserved-memory {');
  });

  it('parseReservedMemoryJson: only ConfigError on 8,000 random/mutated texts; 2,000 generated nodes round-trip', () => {
    runFuzz((s) => parseReservedMemoryJson(s), (areas, small) => JSON.stringify(printReservedMemoryJson(areas, cells(small))), JSON_ALPHABET, 0x5eed0022, '{"#address-cells":');
  });

  it('parseReservedMemoryJson: only ConfigError when a property of a valid node is replaced by any JSON value (2,000)', () => {
    const r = rng(0x5eed0023);
    const values: unknown[] = [true, false, null, 0, -1, 1.5, 2 ** 32, 'shared-dma-pool', [], [1, 2, 3], ['a', 1], {}, { size: 1 }, [2 ** 31, 0]];
    for (let i = 0; i < 2000; i++) {
      const json = printReservedMemoryJson(genAreas(r, false)) as Record<string, Record<string, unknown>>;
      const keys = Object.keys(json);
      const node = pick(r, keys);
      if (typeof json[node] === 'object' && json[node] !== null && r.int(0, 1)) {
        const props = Object.keys(json[node]);
        json[node][pick(r, props)] = pick(r, values);
      } else json[node] = pick(r, values) as Record<string, unknown>;
      parsesOrConfigError(() => parseReservedMemoryJson(json), json);
    }
  });
});
