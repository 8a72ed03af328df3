import { expect } from 'chai';
import { calibrate, checkCalibration, formatCalibration, formatCheck } from '../../../lib/trace/calibrate.ts';
import { importTrace } from '../../../lib/trace/importTrace.ts';
import { realTrace } from './fixtures.ts';

/** A synthetic 6.1 trace whose timings follow known costs exactly. */
function syntheticTrace(failedEvery = 0): string {
  const lines = ['# tracer: nop'];
  let t = 1_000_000; // µs
  const at = (us: number): string => `${Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, '0')}`;
  const line = (us: number, body: string): void => { lines.push(`  t-7 [000] ..... ${at(us)}: ${body}`); };
  const sizes = [[512, 0], [1024, 64], [2048, 200], [4096, 32], [8192, 500], [1536, 96]];
  let pfn = 0x100000;
  for (const [count, migrated] of sizes) {
    const blocks = count / 512;
    line(t, `cma_alloc_start: name=r count=${count} align=9`);
    t += 300 + 40 * blocks; // isolation: 300 µs fixed + 40 µs per pageblock
    for (let left = migrated, batch = 0; left > 0 || batch === 0; batch++) {
      const n = Math.min(32, left);
      const failed = failedEvery > 0 ? batch % failedEvery : 0; // pages that failed (pinned) beside the migrated ones
      line(t, 'mm_migrate_pages_start: mode=MIGRATE_SYNC reason=contig_range');
      t += 20 + 5 * n + 2 * failed; // 20 µs per call + 5 µs per page migrated + 2 µs per page failed
      line(t, `mm_migrate_pages: nr_succeeded=${n} nr_failed=${failed} nr_thp_succeeded=0 nr_thp_failed=0 nr_thp_split=0 mode=MIGRATE_SYNC reason=contig_range`);
      left -= n;
      if (left <= 0) break;
    }
    line(t, `test_pages_isolated: start_pfn=0x${pfn.toString(16)} end_pfn=0x${(pfn + count).toString(16)} fin_pfn=0x${(pfn + count).toString(16)} ret=success`);
    t += 100 + 10 * blocks; // finishing: 100 µs + 10 µs per pageblock
    line(t, `cma_alloc_finish: name=r pfn=0x${pfn.toString(16)} page=0 count=${count} align=9`);
    pfn += count;
    t += 1000;
  }
  return `${lines.join('\n')}\n`;
}

describe('calibrate', () => {
  it('recovers the per-page migration, per-pageblock isolation and finishing costs of synthetic timings', () => {
    const c = calibrate(importTrace(syntheticTrace()));
    const param = (fit: string, i: number): number => c.fits.find((f) => f.name === fit)!.params[i].value;
    expect(param('migration batches', 0)).to.be.closeTo(20_000, 1);
    expect(param('migration batches', 1)).to.be.closeTo(5_000, 1);
    expect(param('isolation phase', 0)).to.be.closeTo(300_000, 1);
    expect(param('isolation phase', 1)).to.be.closeTo(40_000, 1);
    // The finishing phase starts at the last check, so it is exactly 100 µs + 10 µs per pageblock.
    expect(param('finishing phase', 1)).to.be.closeTo(10_000, 1);
    expect(c.fits.find((f) => f.name === 'isolation phase')!.r2).to.be.closeTo(1, 1e-9);
    expect(c.costs).to.include({ migratePagecacheClean: 5_000, isolatePerPageblock: 40_000, drain: 300_000, takePerPageblock: 10_000 });
  });

  it('fits the real boot-and-hugetlb-1 trace: ~0.16 ms per migrated page under emulation (its README: ≈ 0.19 ms/page overall)', () => {
    const c = calibrate(realTrace('boot-and-hugetlb-1'));
    const batches = c.fits.find((f) => f.name === 'migration batches')!;
    expect(batches.n).to.equal(6948);
    expect(batches.params[1].value).to.be.within(100_000, 250_000);
    expect(batches.params[1].stderr).to.be.below(batches.params[1].value / 5);
    const whole = c.fits.find((f) => f.name === 'whole request')!;
    expect(whole.params[2].value).to.be.within(150_000, 200_000);
    expect(whole.r2).to.be.above(0.99);
  });

  it('says when a cost cannot be identified (smoke: no page was ever migrated)', () => {
    const c = calibrate(realTrace('smoke-3g-misaligned'));
    expect(c.fits.find((f) => f.name === 'migration batches')!.error).to.match(/never varies/);
    const text = formatCalibration(c);
    expect(text).to.include('migration batches: batch ns = overhead + perPage × pages (n=11)\n  not identifiable');
    expect(text).to.match(/suggested: .*--set costs\.takePerPageblock=\d+/);
  });

  it('fits the cost of a page that fails to migrate (busyPerPage) when nr_failed varies, and says it cannot otherwise', () => {
    const c = calibrate(importTrace(syntheticTrace(3)));
    const f = c.fits.find((x) => x.name === 'failed pages')!;
    expect(f.params[2].value).to.be.closeTo(2_000, 1);
    expect(f.params[1].value).to.be.closeTo(5_000, 1);
    expect(c.costs.busyPerPage).to.equal(2_000);
    expect(calibrate(importTrace(syntheticTrace())).fits.map((x) => x.name)).to.not.include('failed pages');
    expect(formatCalibration(calibrate(realTrace('smoke-3g-misaligned')))).to.include('reclaimScanPerPage, reclaimFreePerPage: no mm_vmscan_* lines');
  });

  it('a fit on one real trace is checked on the other: both errors, per fit', () => {
    const big = realTrace('boot-and-hugetlb-1'), smoke = realTrace('smoke-3g-misaligned');
    const check = checkCalibration(calibrate(big), big, smoke);
    expect(check.own.map((x) => x.name)).to.deep.equal(['migration batches', 'isolation phase', 'finishing phase', 'whole request']);
    expect(check.other.map((x) => x.n)).to.deep.equal([11, 11, 11, 11]);
    expect(check.own[0].n).to.equal(6948);
    for (const x of [...check.own, ...check.other]) expect(Number.isFinite(x.rmse)).to.equal(true);
    // The fit's own error is what least squares minimised: never above the error on the other trace's samples scaled alike.
    const iso = check.own.find((x) => x.name === 'isolation phase')!;
    expect(iso.rmse).to.be.closeTo(calibrate(big).fits.find((f) => f.name === 'isolation phase')!.rse * Math.sqrt(44 / 46), 1);
    const text = formatCheck(check, 'big', 'smoke');
    expect(text).to.include('checked: fitted on big, predicting smoke\nmigration batches:\n  on big (fit)');
    expect(text).to.match(/on smoke \(check\) +11 samples, RMSE/);
  });
});
