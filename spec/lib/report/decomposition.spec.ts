import { expect } from 'chai';
import { decompose, DECOMPOSITION_PARTS, type Decomposition } from '../../../lib/report/decomposition.ts';
import { reportSections } from '../../../lib/report/sections.ts';
import { htmlReport } from '../../../lib/report/htmlReport.ts';
import { perfettoTrace, type TraceEventJson } from '../../../lib/report/perfettoTrace.ts';
import type { RequestRecord } from '../../../models/cma/request.ts';
import { boot, fillPageCache, firstPagecache, pageRef, pinEvent, req, world } from '../../models/cma/world.ts';
import { smallRun } from '../../fixtures/report/smallRun.ts';

const total = (d: Decomposition) => DECOMPOSITION_PARTS.reduce((s, p) => s + d[p], 0);

/** Run one 512-page request in a 4 MiB area after `setup` events; the request record. */
function runOne(discardClean: boolean, pages: number, setup: (s: ReturnType<typeof boot>) => object[] = () => []): RequestRecord {
  const s = fillPageCache(boot({ discardClean, areas: [{ name: 'v', size: '4M' }] }), pages, 'f', true);
  const { engine, violations } = world(s);
  for (const ev of setup(s)) engine.inject(ev as never, 0);
  engine.inject(req({ area: 'v', count: 512, align: 9 }), 0);
  engine.run();
  expect(violations).to.deep.equal([]);
  const r = engine.state.model.cma.requests[1] as RequestRecord;
  expect(r.status).to.equal('done');
  return r;
}

describe('report/decomposition: where each request\'s latency went', () => {
  it('a busy retry: the failed attempt is retries, the last attempt is split by phase, and the parts sum to the latency', () => {
    const r = runOne(true, 3_300, (s) => [pinEvent(s, firstPagecache(s, s.cma.areas.v.basePfn + 5, s.cma.areas.v.basePfn + 512), 'gup')]);
    expect(r.retries).to.equal(1);
    const d = decompose(r);
    expect(total(d)).to.equal(r.finishedAt! - r.submittedAt);
    // no lock waits here: retries is exactly the stretch from the first attempt's start to the second's
    expect(d.lockWait).to.equal(0);
    expect(d.retries).to.equal(r.attempts[1].startedAt - r.attempts[0].startedAt);
    expect(d.isolation + d.migrationCpu + d.finishing).to.equal(r.finishedAt! - r.attempts[1].startedAt);
  });

  it('reclaim run to find target pages is its own part', () => {
    const r = runOne(false, 4096);
    const d = decompose(r);
    expect(d.reclaim).to.be.above(0);
    expect(d.reclaim).to.equal(r.attempts[0].reclaimNs);
    expect(d.migrationCpu).to.be.above(0);
    expect(total(d)).to.equal(r.finishedAt! - r.submittedAt);
  });

  it('waiting for writeback is its own part', () => {
    const r = runOne(true, 3_300, (s) => {
      const ref = pageRef(s, firstPagecache(s, s.cma.areas.v.basePfn, s.cma.areas.v.basePfn + 512));
      return [{ type: 'pagecache.dirty', ...ref, count: 8 }, { type: 'pagecache.writeback.start', ...ref, count: 8 }];
    });
    const d = decompose(r);
    expect(d.writebackWait).to.be.above(0);
    expect(d.writebackWait).to.equal(r.attempts[0].writebackWaitNs);
    expect(total(d)).to.equal(r.finishedAt! - r.submittedAt);
  });

  it('records without spans (older runs) give their phase sums and no retries', () => {
    const r = smallRun.requests[0];
    const d = decompose(r);
    expect(d).to.deep.include({ lockWait: r.phases.lockWait, search: r.phases.search, isolation: r.phases.isolation, finishing: r.phases.finishing, retries: 0 });
    expect(d.migrationCpu).to.equal(r.phases.migration);
  });

  it('the text report has a decomposition table, slowest first', () => {
    const t = reportSections(smallRun).tables.find((x) => x.title.startsWith('Where the latency went'))!;
    expect(t.headers).to.deep.equal(['id', 'latency', 'lock wait', 'search', 'isolation', 'migration CPU', 'reclaim', 'reclaim throttle', 'writeback wait', 'page lock wait', 'zone/LRU lock wait', 'run-queue wait', 'finishing', 'retries']);
    expect(t.rows.length).to.be.above(0);
  });
});

describe('report/decomposition in the HTML report and as nested Perfetto slices', () => {
  const waited = () => runOne(true, 3_300, (s) => {
    const ref = pageRef(s, firstPagecache(s, s.cma.areas.v.basePfn, s.cma.areas.v.basePfn + 512));
    return [{ type: 'pagecache.dirty', ...ref, count: 8 }, { type: 'pagecache.writeback.start', ...ref, count: 8 }];
  });

  it('Perfetto: the last attempt\'s migration slice holds one child per migration part, end to end, filling it', () => {
    const r = waited();
    const evs = (JSON.parse(perfettoTrace({ ...smallRun, requests: [r] })).traceEvents as TraceEventJson[]).filter((e) => e.ph === 'X' && (e.args as { request?: number } | undefined)?.request === r.id);
    const mig = evs.filter((e) => e.cat === 'phase' && e.name === 'migration');
    expect(mig).to.have.length(1);
    const parts = evs.filter((e) => e.cat === 'decomposition');
    const d = decompose(r);
    expect(parts.map((e) => e.name)).to.deep.equal(['migration CPU', 'writeback wait']);
    expect(parts[0].ts).to.equal(mig[0].ts);
    expect(parts[1].ts).to.be.closeTo(parts[0].ts + parts[0].dur!, 1e-9);
    expect(parts[1].dur! * 1000).to.be.closeTo(d.writebackWait, 1e-6);
    expect(parts[1].ts + parts[1].dur!).to.be.closeTo(mig[0].ts + mig[0].dur!, 1e-9); // nested: never past the parent
  });

  it('HTML: the decomposition table with every part', () => {
    const html = htmlReport({ ...smallRun, requests: [waited()] });
    expect(html).to.contain('Where the latency went');
    for (const h of ['writeback wait', 'page lock wait', 'zone/LRU lock wait', 'migration CPU']) expect(html).to.contain(`<th>${h}</th>`);
  });
});
