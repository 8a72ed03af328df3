import { expect } from 'chai';
import { validateEvent } from '../../../events/index.ts';
import { ScenarioError } from '../../../lib/scenario/check.ts';
import { ScenarioFileError, scenarioFromJson } from '../../../lib/scenario/loadScenario.ts';
import { parseJsonWithPositions } from '../../../lib/scenario/parseJson.ts';
import { checkScenario } from '../../../lib/scenario/scenario.ts';
import { setPath } from '../../../lib/scenario/setPath.ts';
import { scenarioError, smallScenario } from './fixtures.ts';

/** Issue 18 item 4: `__proto__` and friends are data, never a prototype or an inherited field. */
describe('reserved keys (__proto__, constructor, prototype)', () => {
  afterEach(() => {
    // A failing case must not leave Object.prototype polluted for the tests after it.
    for (const k of ['x', 'pageSize', 'bogusField']) delete (Object.prototype as Record<string, unknown>)[k];
  });

  it('the JSON parser keeps "__proto__" as an own field and never sets a prototype', () => {
    const v = parseJsonWithPositions('{"__proto__": {"x": 1}, "a": {"__proto__": [2]}}').value as Record<string, unknown>;
    expect(Object.getPrototypeOf(v)).to.equal(Object.prototype);
    expect(Object.hasOwn(v, '__proto__')).to.equal(true);
    expect((v as { x?: unknown }).x).to.equal(undefined);
    expect(Object.keys(v)).to.deep.equal(['__proto__', 'a']);
    expect(Object.getPrototypeOf(v.a)).to.equal(Object.prototype);
  });

  it('a machine with "__proto__": {"pageSize": "16K"} is refused at that line, not run with 16K pages', () => {
    const text = '{\n "machine": {"ram": "64M",\n  "__proto__": {"pageSize": "16K"}}\n}';
    expect(() => scenarioFromJson(text, 's.json')).to.throw(ScenarioFileError, "s.json:3:16: machine.__proto__: '__proto__' is reserved");
  });

  it('a top-level "__proto__" cannot carry an unknown field past the check', () => {
    const text = '{"machine": {"ram": "64M"}, "__proto__": {"bogusField": 1}}';
    expect(() => scenarioFromJson(text, 's.json')).to.throw(ScenarioFileError, "__proto__: '__proto__' is reserved");
  });

  it('--set refuses __proto__, constructor and prototype segments and leaves Object.prototype alone', () => {
    for (const p of ['__proto__.x', 'constructor.prototype.x', 'machine.__proto__.pageSize', 'workload[0].prototype']) {
      expect(() => setPath(smallScenario(), p, 1), p).to.throw(ScenarioError, 'is reserved');
    }
    expect(({} as { x?: unknown }).x).to.equal(undefined);
    expect(({} as { pageSize?: unknown }).pageSize).to.equal(undefined);
  });

  it('areas, devices and kinds may not be named after reserved keys', () => {
    expect(scenarioError((s) => { s.cma.areas[0].name = '__proto__'; })).to.match(/^cma\.areas\[0\]\.name: .*reserved/);
    expect(scenarioError((s) => { s.devices[0].name = 'constructor'; })).to.match(/^devices\[0\]\.name: .*reserved/);
    expect(scenarioError((s) => { s.devices[0].kinds = { constructor: 'r' }; })).to.match(/^devices\[0\]\.kinds\.constructor: .*reserved/);
    expect(scenarioError((s) => { s.workload[2].cases = { prototype: ['cam'] }; })).to.match(/^workload\[2\]\.cases\.prototype: .*reserved/);
  });

  it('a TypeScript scenario with a prototype (an inherited field) is refused', () => {
    const s = smallScenario();
    const machine = Object.create({ pageSize: '16K' }) as Record<string, unknown>;
    machine.ram = '64M';
    expect(() => checkScenario({ ...s, machine })).to.throw(ScenarioError, 'machine: expected a plain object');
  });

  it('user-keyed records the scenario builds have no prototype', () => {
    const s = checkScenario(smallScenario());
    expect(Object.getPrototypeOf(s.devices[0].kinds)).to.equal(null);
    const uc = s.workload.find((g) => g.kind === 'usecase');
    expect(Object.getPrototypeOf(uc!.kind === 'usecase' ? uc!.cases : null)).to.equal(null);
  });

  it('events refuse reserved types and names (logs and replay workloads alike)', () => {
    expect(validateEvent({ type: 'constructor' })).to.equal("unknown event type 'constructor'");
    expect(validateEvent({ type: 'toString' })).to.equal("unknown event type 'toString'");
    const e = validateEvent({ type: 'dma.alloc', device: '__proto__', buffer: 'b', size: 4096, kind: '' });
    expect(e).to.match(/reserved/);
  });
});
