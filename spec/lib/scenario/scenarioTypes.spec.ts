import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { createInitialState } from '../../../models/initialState.ts';
import { ScenarioError } from '../../../lib/scenario/check.ts';
import { scenarioJsonSchema } from '../../../lib/scenario/jsonSchema.ts';
import { SIZE_PATTERN } from '../../../lib/scenario/shape.ts';
import { sizeBytes } from '../../../models/memory/parseSize.ts';
import { scenarioFromJson } from '../../../lib/scenario/loadScenario.ts';
import { checkScenario, defineScenario, SCENARIO_KEYS, type ScenarioInput } from '../../../lib/scenario/scenario.ts';
import { toSimConfig } from '../../../lib/scenario/toSimConfig.ts';
import { scenarioError } from './fixtures.ts';

/**
 * Issue 15: the scenario type is precise. `tsc` (run by `npm test`) checks this file: each
 * `@ts-expect-error` line must be a type error, or tsc fails with "Unused '@ts-expect-error'".
 */
const typed: ScenarioInput = {
  $schema: 'https://cma-sim.invalid/schema/scenario.json',
  until: '1s',
  machine: { banks: [{ name: 'dram', size: '256M', zone: 'Normal' }], pageSize: '4K', minFreeKbytes: 1024 },
  cma: { lockMode: 'per-area', areas: [{ name: 'r', size: '16M', range: ['0', '128M'] }], defrag: { mode: 'manual', variant: 'defrag-ignores-pins' } },
  pagecache: { dirtyExpire: '30s', writebackPerPage: '50us' },
  workload: [
    { generator: 'poisson', rate: 50, alloc: { size: ['64K', '1M'], hold: ['5ms', '20ms'] } },
    { generator: 'pagecache', period: '1ms', fileSize: '4M', readahead: [1, 32] },
  ],
  costs: { migratePerPage: '2us', lockHandoff: 100 },
  assertions: [{ metric: 'alloc.failed', op: '<=', value: 0 }],
};

export const typeErrors: readonly ScenarioInput[] = [
  // @ts-expect-error -- a misspelt field (perod)
  { machine: { ram: '1G' }, workload: [{ generator: 'periodic', perod: '1s', alloc: { size: '4K' } }] },
  // @ts-expect-error -- an enum value that does not exist (lockMode 'perarea')
  { machine: { ram: '1G' }, cma: { lockMode: 'perarea' } },
  // @ts-expect-error -- a size in a unit the parser does not read
  { machine: { ram: '1 bananas' } },
  // @ts-expect-error -- a duration without a unit it knows
  { machine: { ram: '1G' }, until: '10 fortnights' },
  // @ts-expect-error -- machine is required
  { until: '1s' },
  // @ts-expect-error -- a poisson generator needs its rate
  { machine: { ram: '1G' }, workload: [{ generator: 'poisson', alloc: { size: '4K' } }] },
  // @ts-expect-error -- an unknown cost field
  { machine: { ram: '1G' }, costs: { migrateFast: '1us' } },
  // @ts-expect-error -- an unknown generator
  { machine: { ram: '1G' }, workload: [{ generator: 'poison', rate: 1, alloc: { size: '4K' } }] },
];

describe('typed scenarios and the JSON Schema (issue 15)', () => {
  it('the schema\'s size pattern accepts exactly the sizes the loader reads', () => {
    const pattern = new RegExp(SIZE_PATTERN);
    for (const v of ['1P', '64mb', '2GiB', '0x1000', '1.5G', ' 4096 ', '512k', 'lots', '1Q', '-4K', '']) {
      expect(pattern.test(v), v).to.equal(sizeBytes(v) !== null);
    }
  });

  it('the typed example is a valid scenario (types and checks agree)', () => {
    const s = defineScenario(typed);
    expect(s.pagecache).to.deep.equal({ dirtyExpireNs: 30e9, writebackPerPageNs: 50_000, readPerPageNs: null });
    expect(s.machine.minFreeKbytes).to.equal(1024);
    expect(s.machine.banks[0].zone).to.equal('Normal');
  });

  it('every line the types refuse is refused at run time too', () => {
    for (const input of typeErrors) expect(() => checkScenario(input), JSON.stringify(input)).to.throw(ScenarioError);
  });

  it('the schema lists exactly the fields the checker accepts, and marks what is required', () => {
    const schema = scenarioJsonSchema() as { properties: Record<string, { properties?: Record<string, unknown>; required?: string[] }>; required: string[] };
    expect(Object.keys(schema.properties)).to.deep.equal(SCENARIO_KEYS);
    expect(schema.required).to.deep.equal(['machine']);
    expect(Object.keys(schema.properties.machine.properties!)).to.include.members(['banks', 'ram', 'minFreeKbytes']);
    expect(Object.keys(schema.properties.pagecache.properties!)).to.deep.equal(['dirtyExpire', 'writebackPerPage', 'readPerPage']);
    const text = JSON.stringify(schema);
    expect(text).to.include('"enum":["global","split","per-area","series"]');
    expect(text).to.include('"required":["generator","rate","alloc"]');
  });

  it('a JSON scenario may carry "$schema"', () => {
    const json = JSON.parse(readFileSync(new URL('../../../examples/two-devices.json', import.meta.url), 'utf8')) as Record<string, unknown>;
    const s = scenarioFromJson(JSON.stringify({ $schema: 'https://cma-sim.invalid/schema/scenario.json', ...json }, null, 2), 'two-devices.json');
    expect(s.name).to.equal('two-devices');
  });

  it('unknown fields and enum values get "did you mean"', () => {
    expect(scenarioError((s) => { s.workload[0].perod = '1s'; })).to.match(/^workload\[0\]\.perod: unknown field \(did you mean 'period'\?\)/);
    expect(scenarioError((s) => { s.cma.lockMode = 'perarea'; })).to.equal("cma.lockMode: expected one of 'global', 'split', 'per-area', 'series', got \"perarea\" (did you mean 'per-area'?)");
    expect(scenarioError((s) => { s.workload[0].generator = 'poison'; })).to.match(/\(did you mean 'poisson'\?\)$/);
    // Nothing close: no guess.
    expect(scenarioError((s) => { s.cma.lockMode = 'xyzzy'; })).to.not.include('did you mean');
  });

  it('writeback, min_free_kbytes and a bank zone reach the models', () => {
    const s = checkScenario({
      machine: { banks: [{ name: 'low', size: '64M', zone: 'DMA32' }, { name: 'high', base: '64M', size: '64M' }], minFreeKbytes: 2048 },
      pagecache: { dirtyExpire: '5s', writebackPerPage: '20us' },
    });
    const cfg = toSimConfig(s);
    expect(cfg.pagecache).to.deep.equal({ dirtyExpireNs: 5e9, writebackPerPageNs: 20_000 });
    expect(cfg.machine.minFreeKbytes).to.equal(2048);
    const state = createInitialState(cfg);
    expect(state.pagecache.config.dirtyExpireNs).to.equal(5e9);
    expect(state.pagecache.config.writebackPerPageNs).to.equal(20_000);
    expect(state.memory.zones.map((z) => z.name)).to.deep.equal(['DMA32', 'Normal']);
  });

  it('without a pagecache section the flusher keeps the kernel defaults (it is not switched off)', () => {
    // mm/page-writeback.c: dirty_expire_centisecs 3000; an absent field used to reach the model as
    // null, which switches expiry-driven writeback off.
    const state = createInitialState(toSimConfig(checkScenario({ machine: { ram: '64M' } })));
    expect(state.pagecache.config.dirtyExpireNs).to.equal(30e9);
    expect(state.pagecache.config.dirtyBackgroundRatio).to.equal(10);
  });

  it('machine.cpus, load and cpuContention reach the CMA model', () => {
    const cfg = toSimConfig(checkScenario({ machine: { ram: '64M', cpus: 4, load: 16, cpuContention: false } }));
    expect(cfg.cpu).to.deep.equal({ cpus: 4, load: 16, contention: false });
    expect(createInitialState(cfg).cma.cpu).to.deep.equal({ cpus: 4, runnable: 17, contention: false });
    expect(createInitialState(toSimConfig(checkScenario({ machine: { ram: '64M' } }))).cma.cpu).to.deep.equal({ cpus: 1, runnable: 1, contention: true });
    expect(() => checkScenario({ machine: { ram: '64M', cpus: 0 } })).to.throw(/machine\.cpus/);
  });
});
