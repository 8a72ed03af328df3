import { expect } from 'chai';
import type { TraceEvent } from '../../../events/trace.ts';
import { exportTrace } from '../../../lib/trace/exportTrace.ts';

describe('trace/exportTrace: hostile names', () => {
  it('a newline or ESC in a device or area name does not split or colour an ftrace line', () => {
    const task = { comm: 'cam\nera\x1b[31m', pid: 7, cpu: 0 };
    const events: TraceEvent[] = [
      { type: 'trace.cma_alloc_start', task, name: 'vid\neo', count: 4, align: 0, availableCount: 8, totalCount: 8, request: 1 },
      { type: 'trace.cma_alloc_finish', task, name: 'vid\neo', pfn: 0x100, count: 4, align: 0, errorno: 0, request: 1 },
    ];
    const text = exportTrace(events.map((event, i) => ({ time: i * 1000, event })), { flavour: 'latest', areas: [{ name: 'vid\neo', size: 1 << 22, base: 0 }] });
    expect(text).not.to.include('\x1b');
    const body = text.split('\n').filter((l) => l !== '' && !l.startsWith('#'));
    expect(body).to.have.length(2);
    expect(body[0]).to.match(/cma_alloc_start: name=vid\\x0aeo request_count=4 /);
    expect(text.split('\n').filter((l) => l.startsWith('# area '))).to.have.length(1);
  });
});
