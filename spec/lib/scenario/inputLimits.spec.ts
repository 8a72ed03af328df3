import { expect } from 'chai';
import { parseReservedMemoryDts, parseReservedMemoryJson, ConfigError } from '../../../lib/config/index.ts';
import { ScenarioError } from '../../../lib/scenario/check.ts';
import { ScenarioFileError, scenarioFromJson } from '../../../lib/scenario/loadScenario.ts';
import { JsonSyntaxError, parseJsonWithPositions } from '../../../lib/scenario/parseJson.ts';
import { checkScenario } from '../../../lib/scenario/scenario.ts';

/** Issue 18 item 3: small hostile inputs give one-line errors; big ones cost time in proportion. */
describe('input limits: nesting and size', () => {
  const deep = 5900;

  it('JSON nested 5,900 deep is a syntax error at the 65th bracket, not a stack overflow', () => {
    expect(() => parseJsonWithPositions('['.repeat(deep) + ']'.repeat(deep))).to.throw(JsonSyntaxError, '1:65: nesting deeper than 64 levels');
    const text = `{"machine": {"ram": "64M"},\n "cma": {"areas": [{"name": "a", "size": "4M", "allocatorParams": ${'{"x":'.repeat(deep)}1${'}'.repeat(deep)}}]}}`;
    expect(() => scenarioFromJson(text, 's.json')).to.throw(ScenarioFileError, /^s\.json:2:\d+: invalid JSON: nesting deeper than 64 levels$/);
  });

  it('a TypeScript scenario nested too deep is refused at its JSON path', () => {
    let v: unknown = 1;
    for (let i = 0; i < deep; i++) v = { x: v };
    const s = { machine: { ram: '64M' }, cma: { areas: [{ name: 'a', size: '4M', allocatorParams: v }] } };
    expect(() => checkScenario(s)).to.throw(ScenarioError, /^cma\.areas\[0\]\.allocatorParams(\.x)+: expected at most 64 levels of nesting$/);
  });

  it('DTS and DT JSON nested a few thousand deep are ConfigErrors naming the line:column or path', () => {
    const dts = `reserved-memory { #address-cells = <1>; #size-cells = <1>; ranges;\n${'a { '.repeat(3000)}${'}; '.repeat(3000)}};`;
    expect(() => parseReservedMemoryDts(dts)).to.throw(ConfigError, /^dts: line 2, column 129: expected at most 32 levels of nested nodes/);
    expect(() => parseReservedMemoryJson(`${'{"a":'.repeat(3000)}{}${'}'.repeat(3000)}`)).to.throw(ConfigError, /^dt_json: \$(\.a){33}: expected at most 32 levels/);
    expect(() => parseReservedMemoryJson(`{"#address-cells": 1, "size": ${'['.repeat(100000)}${']'.repeat(100000)}}`)).to.throw(ConfigError, /^dt_json: \$\.size\[0\]: expected a u32 cell .*got 'an array'/);
  });

  it('a use case naming a device with no devices section is a one-line ScenarioError', () => {
    const base = { machine: { ram: '64M' } };
    const cases: [object, string][] = [
      [{ workload: [{ generator: 'usecase', cases: { a: ['cam'] }, dwell: '1ms' }] }, 'workload[0].cases.a[0]: expected a device name (none declared), got "cam"'],
      [{ workload: [{ generator: 'usecase', cases: { a: [{ device: 'cam' }] }, dwell: '1ms' }] }, 'workload[0].cases.a[0].device: expected a device name (none declared)'],
      [{ dma: { useCases: [{ name: 'u', devices: ['cam'] }] }, workload: [{ generator: 'usecase', dwell: '1ms' }] }, 'dma.useCases[0].devices[0]: expected a device name (none declared)'],
    ];
    for (const [extra, msg] of cases) expect(() => checkScenario({ ...base, ...extra })).to.throw(ScenarioError, msg);
  });

  /** Best of `k` timings of f(n): noise on a shared machine only ever adds time. */
  const best = (f: (n: number) => void, n: number, k: number): number => {
    let t = Infinity;
    for (let j = 0; j < k; j++) { const t0 = performance.now(); f(n); t = Math.min(t, performance.now() - t0); }
    return t;
  };
  /**
   * 8x the input must cost well under the 64x that n^2 / 2 pairwise checks cost. The bound is
   * loose (40x) because GC, JIT and a loaded machine skew small timings (before the fix: 169x).
   */
  const linear = (f: (n: number) => void): void => {
    f(2000);
    const ratio = best(f, 16000, 2) / best(f, 2000, 3);
    expect(ratio, `time(16000) / time(2000) = ${ratio.toFixed(1)}`).to.be.below(40);
  };

  it('scenario checks are linear in the number of devices, regions and generators (name lookups)', () => {
    linear((n) => checkScenario({
      machine: { ram: '256M' },
      cma: { areas: [{ name: 'r', size: '16M' }] },
      dma: { zeroRegions: Array.from({ length: n }, (_, i) => `z${i}`), useCases: Array.from({ length: n }, (_, i) => ({ name: `u${i}`, devices: [`d${i}`] })) },
      devices: Array.from({ length: n }, (_, i) => ({ name: `d${i}`, kinds: { a: 'r', b: `z${i}` }, buffers: [{ name: 'b', size: '4K', shareWith: [`d${(i + 1) % n}`] }] })),
      workload: Array.from({ length: n }, (_, i) => ({ generator: 'periodic', period: '1s', alloc: { device: `d${i}`, kind: 'a', size: '4K' } })),
    }));
  });
});
