import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { cli } from '../../../lib/cli/cli.ts';
import { memoryIo } from '../../../lib/cli/io.ts';
import { loadRunLog } from '../../../lib/cli/loadLog.ts';
import { liveRunData } from '../../../lib/cli/render.ts';
import { collectRunData } from '../../../lib/report/collectRunData.ts';
import { meminfo } from '../../../lib/report/kernelFiles.ts';
import { runScenario } from '../../../lib/scenario/runScenario.ts';
import { checkScenario } from '../../../lib/scenario/scenario.ts';
import { bootScenario } from '../../../lib/scenario/toSimConfig.ts';
import { smallScenario } from '../scenario/fixtures.ts';
import { runCli, tempScenario } from './runCli.ts';

describe('cli/render: kernel files as report formats', function () {
  this.timeout(30_000);
  let dir: string;
  let file: string;
  tempScenario('cma-sim-kf-', '30ms', (d, f) => { dir = d; file = f; });
  async function cma(...argv: string[]) {
    const io = memoryIo();
    return { code: await cli(argv, io), out: io.stdout, err: io.stderr };
  }

  it('run --format meminfo --at 0 prints the booted machine (no event at time 0 here)', async () => {
    const quiet = { ...smallScenario(), until: '30ms', workload: smallScenario().workload!.slice(0, 1) };
    const f = path.join(dir, 'quiet.json');
    writeFileSync(f, JSON.stringify(quiet));
    const r = await cma('run', f, '--format', 'meminfo', '--at', '0');
    expect(r.code, r.err).to.equal(0);
    expect(r.out).to.equal(meminfo(bootScenario(checkScenario(quiet))));
    expect((await cma('run', f, '--format', 'meminfo')).out).not.to.equal(r.out);
  });

  it('report reads the same files from a saved log at any time, and --out writes one file per format', async () => {
    const out = path.join(dir, 'o');
    expect((await cma('run', file, '--out', out, '-q', '-f', 'buddyinfo,pagetypeinfo,sysfs', '--at', '10ms')).code).to.equal(0);
    const live = readFileSync(path.join(out, 'pagetypeinfo.txt'), 'utf8');
    const fromLog = await cma('report', path.join(out, 'log.jsonl'), '-f', 'pagetypeinfo', '--at', '10ms');
    expect(fromLog.out).to.equal(live);
    expect(readFileSync(path.join(out, 'buddyinfo.txt'), 'utf8')).to.match(/^Node 0, zone {3}Normal( +\d+ ){11}\n$/);
    expect(readFileSync(path.join(out, 'sysfs.txt'), 'utf8')).to.include('==> /sys/kernel/debug/cma/r/maxchunk <==\n');
  });

  it('--format ftrace follows the scenario\'s kernel profile (include/trace/events/cma.h at 5.10, 6.1, 6.12, 6.18) unless --trace-format names one', async () => {
    const finish = (kernel: string, ...extra: string[]) => {
      const f = path.join(dir, `k${kernel}.json`);
      writeFileSync(f, JSON.stringify({ ...smallScenario(), until: '30ms', kernel }));
      return cma('run', f, '-f', 'ftrace', ...extra).then((r) => {
        expect(r.code, r.err).to.equal(0);
        return r.out.split('\n').find((l) => /: cma_alloc(_finish)?: /.test(l)) ?? '';
      });
    };
    // 5.10: one cma_alloc line without name; 6.1: finish without errorno; 6.12: with errorno (6.6-6.14); 6.18: the same finish.
    expect(await finish('5.10')).to.match(/: cma_alloc: pfn=[0-9a-f]+ page=\w+ count=\d+ align=\d+$/);
    expect(await finish('6.1')).to.match(/: cma_alloc_finish: name=\w+ pfn=0x[0-9a-f]+ page=\w+ count=\d+ align=\d+$/);
    expect(await finish('6.12')).to.match(/: cma_alloc_finish: name=\w+ pfn=0x[0-9a-f]+ page=\w+ count=\d+ align=\d+ errorno=0$/);
    expect(await finish('6.18')).to.match(/: cma_alloc_finish: name=\w+ pfn=0x[0-9a-f]+ page=\w+ count=\d+ align=\d+ errorno=0$/);
    // The series had no tracepoints: its runs export the oldest format that has them.
    expect(await finish('series')).to.match(/: cma_alloc: pfn=/);
    expect(await finish('6.1', '--trace-format', 'errorno')).to.match(/ errorno=0$/);
    const start = async (kernel: string) => {
      const f = path.join(dir, `k${kernel}.json`);
      return (await cma('run', f, '-f', 'ftrace')).out.split('\n').find((l) => l.includes('cma_alloc_start:')) ?? '';
    };
    expect(await start('6.12')).to.match(/cma_alloc_start: name=\w+ count=\d+ align=\d+$/);
    expect(await start('6.18')).to.match(/cma_alloc_start: name=\w+ request_count=\d+ available_count=\d+ total_count=\d+ align=\d+$/);
  });

  it('--at needs a kernel format and a time within the run', async () => {
    expect((await cma('run', file, '--at', '1ms')).err).to.match(/--at applies to --format sysfs\|meminfo\|buddyinfo\|pagetypeinfo/);
    const late = await cma('run', file, '-f', 'sysfs', '--at', '1s');
    expect(late.code).to.equal(2);
    expect(late.err).to.equal('cma-sim: --at 1s: after the end of the run (30ms)\n');
  });

  it('reports are fed by the engine stream, live and while a log is folded, and equal a replay of the history', async () => {
    const sc = checkScenario({ ...smallScenario(), until: '30ms' });
    const live: { c?: ReturnType<typeof liveRunData> } = {};
    const o = runScenario(sc, { observe: (e) => { live.c = liveRunData(e, sc.until); } });
    const fromStream = live.c!.finish(o.summary);
    const id = { scenario: sc.name, seed: o.seed };
    expect(fromStream).to.deep.equal(collectRunData(o.history, id));
    const out = path.join(dir, 'fold');
    expect((await cma('run', file, '--out', out, '-q', '-f', 'json')).code).to.equal(0);
    const folded = loadRunLog(path.join(out, 'log.jsonl'), { collect: true });
    expect(folded.data).to.deep.equal(collectRunData(folded.replayed.history, id));
    expect((await cma('report', path.join(out, 'log.jsonl'), '-f', 'json')).out).to.equal(readFileSync(path.join(out, 'report.json'), 'utf8'));
  });

  it('a run cut short is reported on the grid of where it stopped, by run and by report alike', async () => {
    const out = path.join(dir, 'short');
    expect((await cma('run', file, '--out', out, '-q', '-f', 'json', '--max-events', '40')).code).to.equal(0);
    const report = JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8'));
    expect(report.meta.durationNs).to.be.below(30_000_000);
    expect((await cma('report', path.join(out, 'log.jsonl'), '-f', 'json')).out).to.equal(readFileSync(path.join(out, 'report.json'), 'utf8'));
  });
});

describe('cli/render: tables fit the terminal', function () {
  this.timeout(30_000);
  let file: string;
  tempScenario('cma-sim-cols-', '20ms', (_d, f) => { file = f; });
  const tableLines = (out: string) => out.split('\n').filter((l) => /^( *\d+ |id |-- )/.test(l));

  it('run: a 60-column terminal gets the request table in column groups, every cell kept; files and pipes get one wide table', async () => {
    const narrow = await runCli(['run', file], undefined, 60);
    const wide = await runCli(['run', file]);
    expect(narrow.code).to.equal(0);
    expect(Math.max(...tableLines(wide.out).map((l) => l.length))).to.be.above(60);
    expect(Math.max(...tableLines(narrow.out).map((l) => l.length))).to.be.at.most(60);
    for (const cell of ['0xf000', 'writeback wait', 'migration CPU', 'isolation']) expect(narrow.out).to.include(cell);
  });

  it('sweep: an 80-column terminal splits the per-seed table; the numbers are the same', async () => {
    const narrow = await runCli(['sweep', file, '--seeds', '1..2', '--workers', '0'], undefined, 80);
    const wide = await runCli(['sweep', file, '--seeds', '1..2', '--workers', '0']);
    expect(Math.max(...narrow.out.split('\n').map((l) => l.length))).to.be.at.most(80);
    expect(Math.max(...wide.out.split('\n').map((l) => l.length))).to.be.above(80);
    const hashes = (o: string) => o.match(/\b[0-9a-f]{12}\b/g);
    expect(hashes(narrow.out)).to.deep.equal(hashes(wide.out));
  });
});
