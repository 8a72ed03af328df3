import { expect } from 'chai';
import type { TraceEvent, TraceTask } from '../../../events/trace.ts';
import { exportTrace } from '../../../lib/trace/exportTrace.ts';
import { EXPORT_FORMATS, type TraceFlavour } from '../../../lib/trace/formatTraceEvent.ts';
import { importTrace } from '../../../lib/trace/importTrace.ts';
import { kernelsForFormats, pickKernel } from '../../../lib/trace/traceKernel.ts';
import { formatImportSummary, runImport, runReplayTrace } from '../../../lib/trace/traceCommands.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRACE_DIR } from './fixtures.ts';

/**
 * The TP_printk format strings of include/trace/events/cma.h in each kernel format (5.10; 6.1;
 * 6.6 and 6.12, where only cma_alloc_finish gained errorno; 6.15+ with the request/available/total
 * counts). Lines are built from them with the kernel's own conversions, so the importer and the
 * exporter are checked against the kernel's text, not against each other.
 */
const TP_PRINTK: Readonly<Record<TraceFlavour, Readonly<Record<string, string>>>> = {
  single: {
    cma_alloc: 'pfn=%lx page=%p count=%u align=%u',
    cma_release: 'pfn=%lx page=%p count=%u',
  },
  '6.1': {
    cma_alloc_start: 'name=%s count=%lu align=%u',
    cma_alloc_finish: 'name=%s pfn=0x%lx page=%p count=%lu align=%u',
    cma_alloc_busy_retry: 'name=%s pfn=0x%lx page=%p count=%lu align=%u',
    cma_release: 'name=%s pfn=0x%lx page=%p count=%lu',
  },
  errorno: {
    cma_alloc_start: 'name=%s count=%lu align=%u',
    cma_alloc_finish: 'name=%s pfn=0x%lx page=%p count=%lu align=%u errorno=%d',
    cma_alloc_busy_retry: 'name=%s pfn=0x%lx page=%p count=%lu align=%u',
    cma_release: 'name=%s pfn=0x%lx page=%p count=%lu',
  },
  latest: {
    cma_alloc_start: 'name=%s request_count=%lu available_count=%lu total_count=%lu align=%u',
    cma_alloc_finish: 'name=%s pfn=0x%lx page=%p count=%lu align=%u errorno=%d',
    cma_alloc_busy_retry: 'name=%s pfn=0x%lx page=%p count=%lu align=%u',
    cma_release: 'name=%s pfn=0x%lx page=%p count=%lu',
  },
};

/** printf with the conversions TP_printk uses here: %s %lu %u %d as given, %lx in hex, %p a hashed pointer. */
function printk(fmt: string, ...args: (string | number)[]): string {
  let i = 0;
  return fmt.replace(/%(s|lu|u|d|lx|p)/g, (_, c: string) => {
    const a = args[i++];
    if (c === 'lx') return typeof a === 'string' ? a : a.toString(16); // strings: values past 2^53 (an unsigned -1)
    if (c === 'p') return typeof a === 'string' ? a : (a as number).toString(16).padStart(16, '0');
    return String(a);
  });
}

const line = (t: number, event: string, body: string): string => `          cam-42      [001] .....  ${t}.000000: ${event}: ${body}`;

/** One successful request with a busy retry, one failure, one release, in the format's own lines. */
function kernelTrace(f: TraceFlavour): string {
  const p = TP_PRINTK[f];
  const lines = ['# tracer: nop'];
  if (f === 'single') {
    lines.push(line(1, 'cma_alloc', printk(p.cma_alloc, 0x40010, 0xfffffc0001000400, 16, 4)));
    lines.push(line(2, 'cma_alloc', printk(p.cma_alloc, 'ffffffffffffffff', '0000000000000000', 16, 4)));
    lines.push(line(3, 'cma_release', printk(p.cma_release, 0x40010, 0xfffffc0001000400, 16)));
    return `${lines.join('\n')}\n`;
  }
  const start = (t: number, avail: number) => line(t, 'cma_alloc_start', f === 'latest' ? printk(p.cma_alloc_start, 'cam', 16, avail, 4096, 4) : printk(p.cma_alloc_start, 'cam', 16, 4));
  const fin = (t: number, pfn: number | string, errno: number) => {
    const page = errno === 0 ? 0xfffffc0001000400 : '0000000000000000';
    return line(t, 'cma_alloc_finish', f === '6.1' ? printk(p.cma_alloc_finish, 'cam', pfn, page, 16, 4) : printk(p.cma_alloc_finish, 'cam', pfn, page, 16, 4, errno));
  };
  const failPfn = f === 'latest' ? 0 : 'ffffffffffffffff';
  lines.push(start(1, 500), line(1, 'cma_alloc_busy_retry', printk(p.cma_alloc_busy_retry, 'cam', 0x40000, 0xfffffc0001000000, 16, 4)), fin(2, 0x40010, 0));
  lines.push(start(3, 484), fin(4, failPfn, -16));
  lines.push(line(5, 'cma_release', printk(p.cma_release, 'cam', 0x40010, 0xfffffc0001000400, 16)));
  return `${lines.join('\n')}\n`;
}

describe('lib/trace: the CMA trace format of each kernel profile (include/trace/events/cma.h)', () => {
  for (const f of EXPORT_FORMATS) {
    it(`${f}: the kernel's lines import, are recognised as ${f} and name their kernels`, () => {
      const t = importTrace(kernelTrace(f), { file: f });
      expect(t.generation).to.equal(f);
      expect(t.requests.map((r) => [r.ok, r.pfn])).to.deep.equal([[true, 0x40010], [false, -1]]);
      if (f !== 'single') expect(t.requests[0].busyRetries).to.equal(1);
      if (f === 'errorno' || f === 'latest') expect(t.requests[1].errno).to.equal(-16);
      expect(kernelsForFormats(t.formats)).to.deep.equal({ single: ['4.9', '5.10'], '6.1': ['6.1'], errorno: ['6.6', '6.12'], latest: ['6.18'] }[f]);
    });

    it(`${f}: the exporter prints each event with the kernel's field list`, () => {
      const task: TraceTask = { comm: 'cam', pid: 42, cpu: 1 };
      const base = { task, name: 'cam', count: 16, align: 4, request: 1 };
      const events: TraceEvent[] = [
        { type: 'trace.cma_alloc_start', ...base, availableCount: 500, totalCount: 4096 },
        { type: 'trace.cma_alloc_busy_retry', ...base, pfn: 0x40000 },
        { type: 'trace.cma_alloc_finish', ...base, pfn: 0x40010, errorno: 0 },
        { type: 'trace.cma_alloc_start', ...base, availableCount: 484, totalCount: 4096 },
        { type: 'trace.cma_alloc_finish', ...base, pfn: -1, errorno: -16 },
        { type: 'trace.cma_release', task, name: 'cam', pfn: 0x40010, count: 16 },
      ];
      const text = exportTrace(events.map((event, i) => ({ time: (i + 1) * 1e9, event })), { flavour: f });
      const bodies = (s: string) => s.split('\n').filter((l) => l !== '' && !l.startsWith('#'))
        .map((l) => l.replace(/^.*?: (\w+): /, '$1: ').replace(/page=[0-9a-f(null)]+/, 'page=P'));
      expect(bodies(text)).to.deep.equal(bodies(kernelTrace(f)));
    });
  }

  it('a 6.12 trace (old start, finish with errorno) imports; the summary names the layout and the kernel profile from the boot log', () => {
    const t = importTrace(kernelTrace('errorno'));
    expect(t.formats).to.deep.equal(['errorno']);
    expect(pickKernel(t.formats, '[    0.000000] Linux version 6.12.9-amd64 (x@y) #1 SMP\n')).to.deep.equal({ version: '6.12', reason: 'boot log: Linux version 6.12.9-amd64' });
    expect(pickKernel(t.formats, null)?.version).to.equal('6.12');
    const dir = mkdtempSync(join(tmpdir(), 'cma-fmt-'));
    let summary: string;
    try {
      summary = runImport({ file: 'k.txt', text: kernelTrace('errorno'), area: ['cam=16M@0x40000000'], dmesg: join(TRACE_DIR, 'smoke-3g-misaligned.dmesg.txt'), out: join(dir, 's.json') });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    expect(summary).to.include('layout detected: ftrace text (tracefs trace file layout)');
    expect(summary).to.include("kernel profile: 6.1 (boot log: Linux version 6.1.0-56-arm64, though the trace's cma lines are in the errorno format)");
  });

  it('replay-trace of a real 6.1 trace names the profile from its boot log; trace-cmd report text is detected as such', () => {
    const file = join(TRACE_DIR, 'smoke-3g-misaligned.trace.txt');
    let kernel: unknown = null;
    const text = runReplayTrace({ file, dmesg: join(TRACE_DIR, 'smoke-3g-misaligned.dmesg.txt'), simulate: (sc) => { kernel = sc.kernel; return []; } });
    expect(kernel).to.equal('6.1');
    expect(text).to.include('kernel profile: 6.1 (boot log: Linux version 6.1.0-56-arm64)\n');
    expect(text).to.include('(printed by kernels 6.1)');
    const cmd = ['version = 6', 'cpus=2', '          insmod-108   [000]    11.094464: cma_alloc_start:      name=reserved count=2 align=1',
      '          insmod-108   [001]    11.120954: cma_alloc_finish:     name=reserved pfn=0xac980 page=0xffff8000 count=2 align=1 errorno=0', ''].join('\n');
    const summary = formatImportSummary(importTrace(cmd, { file: 'r.txt' }));
    expect(summary).to.include('r.txt: trace-cmd text');
    expect(summary).to.include('layout detected: trace-cmd report text');
    expect(summary).to.include('printed by kernels 6.6, 6.12');
  });
});
