import { expect } from 'chai';
import { bySize, gcmaScenario } from '../../examples/08-gcma-cubox.ts';
import { requests, runExample } from '../../examples/exampleRun.ts';
import { DECOMPOSITION_PARTS, decompose } from '../../lib/report/decomposition.ts';

describe('examples/08-gcma-cubox (the GCMA RFC setup, reference §7)', () => {
  it('boots the CuBox: 800 MiB at 0x10000000, a 256 MiB area, 4 MiB pageblocks, 4 CPUs under make -j16 at HZ 100, the 3.17 profile', () => {
    const s = gcmaScenario(1, [512]);
    expect(s.machine).to.deep.include({ cpus: 4, load: 16, hz: 100, pageblockOrder: 10, maxOrder: 10 });
    expect(s.cma.areas[0].size).to.equal(256 * 2 ** 20);
    expect(s.kernel).to.equal('3.17');
  });

  it('one 512- and one 8192-page allocation under the build: both succeed, the larger slower, the parts summing to each latency', function () {
    this.timeout(300_000);
    const run = runExample(gcmaScenario(1, [512, 8192]));
    const rows = bySize(run).filter((r) => r.n > 0);
    expect(rows.map((r) => [r.pages, r.failed])).to.deep.equal([[512, 0], [8192, 0]]);
    expect(rows[1].p50).to.be.above(rows[0].p50);
    // The page cache had filled the area: the allocations had pages to move out.
    for (const r of requests(run.state, (q) => q.requester === 'cma_test')) {
      expect(r.attempts.reduce((n, a) => n + a.migrated + a.dropped, 0)).to.be.above(0);
      const d = decompose(r);
      expect(DECOMPOSITION_PARTS.reduce((a, k) => a + d[k], 0)).to.equal(r.finishedAt! - r.submittedAt);
    }
  });
});
