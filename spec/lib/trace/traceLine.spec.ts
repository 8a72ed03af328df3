import { expect } from 'chai';
import { parseTimestamp, parseTraceLine } from '../../../lib/trace/traceLine.ts';

describe('parseTraceLine', () => {
  it('reads the kernel prefix: right-aligned comm, pid, cpu, 5 flag columns, µs timestamp', () => {
    expect(parseTraceLine('            init-1       [001] .N...     1.822480: cma_alloc_finish: name=reserved pfn=0xac800')).to.deep.equal({
      comm: 'init', pid: 1, cpu: 1, flags: '.N...', time: 1_822_480_000, event: 'cma_alloc_finish', body: 'name=reserved pfn=0xac800',
    });
  });

  it('takes the last -<digits> before the CPU column as the pid (comm may hold dashes and spaces)', () => {
    const l = parseTraceLine('  kworker/0:1-events-12 x-345  [000] d..1 5.000001: sched_switch: a=b')!;
    expect([l.comm, l.pid, l.flags]).to.deep.equal(['kworker/0:1-events-12 x', 345, 'd..1']);
  });

  it('accepts no flags (trace-cmd), a tgid column, an empty body and ns timestamps', () => {
    expect(parseTraceLine('  a-1 [002] 3.5: ev:')).to.include({ cpu: 2, flags: '', time: 3_500_000_000, body: '' });
    expect(parseTraceLine('  a-1 (    1) [002] ..... 3.000000007: ev: x=1')).to.include({ pid: 1, time: 3_000_000_007 });
  });

  it('returns null for headers, comments and text that is no event line', () => {
    for (const l of ['# tracer: nop', '', 'cpus=2', 'CPU:1 [LOST 3 EVENTS]', '  init-1 [001] .....']) expect(parseTraceLine(l), l).to.equal(null);
  });

  it('parseTimestamp pads the fraction to ns', () => {
    expect(parseTimestamp('12', '5')).to.equal(12_500_000_000);
    expect(parseTimestamp('0', '000001')).to.equal(1_000);
  });
});
