import { expect } from 'chai';
import { memoryIo } from '../../../lib/cli/io.ts';
import { reportSectionOf, resolveScenario } from '../../../lib/cli/scenarioArg.ts';
import { requestsOf } from '../../../lib/scenario/metrics.ts';
import { runScenario } from '../../../lib/scenario/runScenario.ts';

describe('the default scenario (npm start: example 1, FIMC x3 + MFC on two banks)', () => {
  it('every buffer is allocated, page cache lent to the regions is taken back, and the report shows each switch', async function () {
    this.timeout(30_000);
    const arg = await resolveScenario(null, memoryIo());
    const o = runScenario(arg.scenario);
    const reqs = requestsOf(o.history.engine.state.model);
    expect(reqs.length).to.be.greaterThan(40);
    expect(reqs.filter((r) => r.status !== 'done')).to.deep.equal([]);
    const moved = reqs.reduce((a, r) => a + r.attempts.reduce((b, t) => b + t.migrated + t.dropped, 0), 0);
    expect(moved, 'pages migrated or dropped out of the regions').to.be.greaterThan(1000);
    expect(new Set(reqs.filter((r) => r.requester === 'mfc').map((r) => r.area))).to.deep.equal(new Set(['video-a', 'video-b']));
    const section = reportSectionOf(arg)!(o.history);
    expect(section.match(/ s -> (HD decode|video call) /g)).to.have.length(3);
  });
});
