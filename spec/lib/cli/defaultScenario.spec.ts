import { expect } from 'chai';
import { DEFAULT_SCENARIO } from '../../../lib/cli/scenarioArg.ts';
import { requestsOf } from '../../../lib/scenario/metrics.ts';
import { runScenario } from '../../../lib/scenario/runScenario.ts';

describe('the default scenario (npm start, examples/basic.ts)', () => {
  it('page cache spills into the CMA area and allocations take it back by migrating or dropping pages', function () {
    this.timeout(30_000);
    const o = runScenario(DEFAULT_SCENARIO, { until: 600e6 });
    const reqs = requestsOf(o.history.engine.state.model);
    expect(reqs.filter((r) => r.status === 'done').length).to.be.greaterThan(5);
    const moved = reqs.reduce((a, r) => a + r.attempts.reduce((b, t) => b + t.migrated + t.dropped, 0), 0);
    expect(moved, 'pages migrated or dropped out of the area').to.be.greaterThan(0);
    expect(o.summary.metrics['workload.undeliverable']).to.equal(0);
  });
});
