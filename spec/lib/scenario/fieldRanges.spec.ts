import { expect } from 'chai';
import { validateEvent } from '../../../events/index.ts';
import { MAX_EVENT_PAGES, MAX_PAGE_INDEX } from '../../../events/schema.ts';
import { ScenarioError } from '../../../lib/scenario/check.ts';
import { ScenarioFileError, scenarioFromJson } from '../../../lib/scenario/loadScenario.ts';
import { checkScenario } from '../../../lib/scenario/scenario.ts';
import { scenarioError } from './fixtures.ts';

/** Issue 18 item 2: every number that sizes work has a range, so no field hangs a run. */
describe('field ranges', () => {
  it('page-cache events refuse an index of 2^53 and a count of 2^53 - 1 (each hung a run)', () => {
    expect(validateEvent({ type: 'pagecache.fault', file: 'f', index: 2 ** 53 })).to.match(/field 'index' must be a page index \(integer 0\.\.1099511627775\)/);
    expect(validateEvent({ type: 'pagecache.fault', file: 'f', index: 0, count: 2 ** 53 - 1 })).to.match(/field 'count' must be a page count \(integer 1\.\.1048576\)/);
    expect(validateEvent({ type: 'pagecache.dirty', file: 'f', index: 0, count: 0 })).to.match(/field 'count'/);
    expect(validateEvent({ type: 'pagecache.fault', file: 'f', index: MAX_PAGE_INDEX, count: MAX_EVENT_PAGES })).to.equal(null);
    expect(validateEvent({ type: 'page.pin', id: 'p', index: -1 })).to.match(/field 'index'/);
  });

  it('integers in events are safe integers; orders and alignments are bounded', () => {
    expect(validateEvent({ type: 'cma.pin', chunk: 2 ** 60 })).to.match(/field 'chunk' must be an integer, got 1152921504606847000/);
    expect(validateEvent({ type: 'memory.alloc', id: 'a', kind: 'movable', order: 2 ** 60 })).to.match(/field 'order' must be an integer/);
    expect(validateEvent({ type: 'cma.alloc.request', count: 4, align: 99, requester: 'x', pid: 1 })).to.match(/field 'align'/);
    expect(validateEvent({ type: 'cma.alloc.request', count: 4, align: 4, requester: 'x', pid: 1 })).to.equal(null);
  });

  it('a replay workload is held to the same event ranges', () => {
    const msg = scenarioError((s) => { s.workload = [{ generator: 'replay', events: [{ at: 0, event: { type: 'pagecache.fault', file: 'f', index: 2 ** 53 } }] }]; });
    expect(msg).to.match(/^workload\[0\]\.events\[0\]\.event: pagecache\.fault: field 'index' must be a page index/);
  });

  it('ram: "1T" is refused with a one-line error naming the field and the budget', () => {
    expect(() => scenarioFromJson('{"machine": {"ram": "1T"}}', 's.json')).to.throw(ScenarioFileError,
      /^s\.json:1:21: machine\.ram: 1T of RAM needs about 16G of model state \(64 bytes per 4K page\), over the memory budget of 4G \(at most 256G of RAM\)$/);
    expect(() => checkScenario({ machine: { banks: [{ name: 'a', size: '512G' }] } })).to.throw(ScenarioError, /^machine\.banks: 512G of RAM/);
    // A bigger budget admits it (checking only: nothing is booted here).
    expect(checkScenario({ machine: { ram: '1T' } }, { maxMemory: 2 ** 35 }).machine.banks[0].size).to.equal(2 ** 40);
  });

  it('rates, page sizes, files and per-event page counts have upper bounds', () => {
    expect(scenarioError((s) => { s.workload[0].rate = 1e30; })).to.equal('workload[0].rate: expected a rate of at most 1e9 per second (one event per ns), got 1e+30');
    expect(scenarioError((s) => { s.machine.pageSize = '1G'; })).to.equal('machine.pageSize: expected a power of two in 4K..256K, got 1073741824');
    expect(scenarioError((s) => { s.workload[1].fileSize = 2 ** 52 + 2 ** 13; })).to.match(/^workload\[1\]\.fileSize: expected at most 1099511627776 pages/);
    expect(scenarioError((s) => { s.workload[1].readahead = [1, 2 ** 40]; })).to.match(/^workload\[1\]\.readahead\[1\]: expected an integer in 1\.\.1048576/);
    expect(scenarioError((s) => { s.workload[1].files = 2 ** 50; })).to.match(/^workload\[1\]\.files: expected an integer in 1\.\.1048576/);
  });
});
