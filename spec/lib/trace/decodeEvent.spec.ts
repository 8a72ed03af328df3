import { expect } from 'chai';
import { decodeEvent, isKnownEvent, UnknownFormatError } from '../../../lib/trace/decodeEvent.ts';
import { FieldError } from '../../../lib/trace/fieldList.ts';

const task = { comm: 'a', pid: 1, cpu: 0 };

describe('decodeEvent', () => {
  it('tells the cma generations apart by their field sets (include/trace/events/cma.h history)', () => {
    expect(decodeEvent('cma_alloc_start', task, 'name=r count=2 align=1').generation).to.equal('6.1');
    expect(decodeEvent('cma_alloc_start', task, 'name=r request_count=2 available_count=9 total_count=16 align=1').generation).to.equal('latest');
    expect(decodeEvent('cma_alloc_finish', task, 'name=r pfn=0x1 page=0 count=2 align=1').generation).to.equal('6.1');
    expect(decodeEvent('cma_alloc_finish', task, 'name=r pfn=0x1 page=0 count=2 align=1 errorno=0').generation).to.equal('latest');
    expect(decodeEvent('cma_alloc', task, 'pfn=31 page=0 count=2').generation).to.equal('single');
    expect(() => decodeEvent('cma_alloc', task, 'pfn=1f page=0 count=2')).to.throw(FieldError, "expected a decimal pfn, got '1f'");
    expect(decodeEvent('cma_alloc_busy_retry', task, 'name=r pfn=0x1 page=0 count=2 align=1').generation).to.equal(null);
  });

  it('a latest-generation failure prints pfn=0x0: errorno decides', () => {
    const d = decodeEvent('cma_alloc_finish', task, 'name=r pfn=0x0 page=0000000000000000 count=2 align=1 errorno=-12');
    expect(d.event).to.include({ pfn: -1, errorno: -12 });
  });

  it('the oldest cma_alloc printed a decimal pfn and no align', () => {
    expect(decodeEvent('cma_alloc', task, 'pfn=100 page=ffff count=2').event).to.include({ pfn: 100, align: -1 });
    expect(decodeEvent('cma_alloc', task, 'pfn=100 page=ffff count=2 align=1').event).to.include({ pfn: 0x100, align: 1 });
  });

  it('mm_migrate_pages with and without thp counters and nr_split; missing ones are listed', () => {
    const old = decodeEvent('mm_migrate_pages', task, 'nr_succeeded=3 nr_failed=1 mode=MIGRATE_SYNC reason=cma');
    expect(old.event).to.include({ nrSucceeded: 3, nrFailed: 1, nrSplit: 0, reason: 'cma' });
    expect(old.missing).to.include('nr_split');
    const latest = decodeEvent('mm_migrate_pages', task,
      'nr_succeeded=3 nr_failed=1 nr_thp_succeeded=0 nr_thp_failed=0 nr_thp_split=0 nr_split=2 mode=MIGRATE_ASYNC reason=compaction');
    expect(latest.event).to.include({ nrSplit: 2, mode: 'MIGRATE_ASYNC' });
    expect(latest.missing).to.deep.equal([]);
  });

  it('names the missing field, the bad value, or the unknown field set', () => {
    expect(() => decodeEvent('test_pages_isolated', task, 'start_pfn=0x1 end_pfn=0x2 ret=success')).to.throw(FieldError, 'missing');
    expect(() => decodeEvent('test_pages_isolated', task, 'start_pfn=0x1 end_pfn=0x2 fin_pfn=0x2 ret=maybe'))
      .to.throw(FieldError, "expected one of success, fail, got 'maybe'");
    expect(() => decodeEvent('mm_migrate_pages_start', task, 'mode=MIGRATE_FAST reason=cma')).to.throw(FieldError, 'MIGRATE_SYNC');
    expect(() => decodeEvent('cma_release', task, 'name=r pfn=0x1 page=0 count=2 flags=3')).to.throw(UnknownFormatError, "unexpected field 'flags'");
  });

  it('knows exactly the events it decodes', () => {
    expect(['cma_alloc', 'cma_alloc_start', 'cma_release', 'test_pages_isolated', 'mm_migrate_pages_start'].every(isKnownEvent)).to.equal(true);
    expect(isKnownEvent('mm_compaction_isolate_migratepages')).to.equal(false);
    expect(isKnownEvent('toString')).to.equal(false);
  });
});
