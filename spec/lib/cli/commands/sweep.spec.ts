import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseVary, variantGrid } from '../../../../lib/cli/commands/sweep.ts';
import { sweepParallel, sweepSequential, sweepTasks, type SweepJob, type SweepResult } from '../../../../lib/cli/sweepRun.ts';
import type { RunSummary } from '../../../../lib/scenario/runScenario.ts';
import { aggregateSweep } from '../../../../lib/cli/sweepTable.ts';
import { setPath } from '../../../../lib/scenario/setPath.ts';
import { smallScenario } from '../../scenario/fixtures.ts';
import { runCli } from '../runCli.ts';

const short = setPath(smallScenario(), 'until', '60ms');
/** These runs all finish: their results are summaries. */
const done = (rs: SweepResult[]) => rs as RunSummary[];

describe('sweep', () => {
  it('2 workers give the same per-seed results as a sequential sweep', async function () {
    this.timeout(20_000);
    const job: SweepJob = {
      variants: [{ label: 'cma.lockMode=global', source: setPath(short, 'cma.lockMode', 'global') }, { label: 'cma.lockMode=per-area', source: setPath(short, 'cma.lockMode', 'per-area') }],
      checkInvariants: false,
    };
    const tasks = sweepTasks(job, [1, 2, 3]);
    expect(tasks.map((t) => `${t.variant}:${t.seed}`)).to.deep.equal(['0:1', '0:2', '0:3', '1:1', '1:2', '1:3']);
    const seq = done(sweepSequential(job, tasks));
    const par = await sweepParallel(job, tasks, 2);
    expect(par).to.deep.equal(seq);
    expect(new Set(seq.slice(0, 3).map((r) => r.finalHash)).size).to.equal(3);
    const agg = aggregateSweep(seq.slice(0, 3));
    expect(agg.runs).to.equal(3);
    expect(agg.metrics.events.min).to.equal(Math.min(...seq.slice(0, 3).map((r) => r.events)));
  });

  it('edits reach every run', () => {
    const busy: SweepJob = { variants: [{ label: '', source: setPath(setPath(short, 'until', '20ms'), 'workload[1].rate', 5000) }], checkInvariants: false };
    const base: SweepJob = { variants: [{ label: '', source: setPath(short, 'until', '20ms') }], checkInvariants: false };
    const [a] = done(sweepSequential(busy, [{ variant: 0, seed: 1 }]));
    const [b] = done(sweepSequential(base, [{ variant: 0, seed: 1 }]));
    expect(a.events).to.be.greaterThan(b.events * 3);
  });

  it('--vary values split on top-level commas and combine into a grid', () => {
    expect(parseVary('cma.lockMode=global,per-area')).to.deep.equal(['cma.lockMode', ['global', 'per-area']]);
    expect(parseVary('workload[0].alloc.size=["1M","2M"],64K')).to.deep.equal(['workload[0].alloc.size', [['1M', '2M'], '64K']]);
    expect(variantGrid([['a', [1, 2]], ['b', ['x', 'y']]])).to.deep.equal([
      [['a', 1], ['b', 'x']], [['a', 1], ['b', 'y']], [['a', 2], ['b', 'x']], [['a', 2], ['b', 'y']],
    ]);
    expect(variantGrid([])).to.deep.equal([[]]);
  });
});

describe('sweep: failures, spread, shards', () => {
  let dir: string;
  before(() => { dir = mkdtempSync(path.join(tmpdir(), 'cma-sim-sweep-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const run = (...argv: string[]) => runCli(argv);

  /** Runs to 5 ms finish; runs to 20 ms hit an event the model refuses at 10 ms and throw. */
  function halfBroken(): string {
    const f = path.join(dir, 'half-broken.json');
    writeFileSync(f, JSON.stringify({
      ...setPath(smallScenario(), 'until', '20ms'),
      workload: [...smallScenario().workload as object[], { generator: 'replay', name: 'bad', events: [{ at: '10ms', event: { type: 'device.open', device: 'nope' } }] }],
    }));
    return f;
  }

  it('a run that throws is its own row (seed, variant, one-line reason); the others are reported; exit 1', async function () {
    this.timeout(60_000);
    const f = halfBroken();
    for (const workers of ['0', '2']) {
      const r = await run('sweep', f, '--seeds', '1..2', '--vary', 'until=5ms,20ms', '--workers', workers);
      expect(r.code, `--workers ${workers}`).to.equal(1);
      expect(r.err).to.equal('');
      const lines = r.out.split('\n');
      expect(lines.filter((l) => /^until=5ms +\d +\d+ .* no +[0-9a-f]{12}$/.test(l))).to.have.length(2);
      expect(lines.filter((l) => /^until=20ms +\d +- .* FAILED +-$/.test(l))).to.have.length(2);
      expect(r.out).to.match(/\n2 runs failed:\n {2}seed 1 \(until=20ms\): reducer cma-sim\.reducers\['device\.open'\] failed at seq \d+ \(t=10000000ns[^\n]*no device named 'nope'[^\n]*\n {2}seed 2 \(until=20ms\): /);
    }
    const csv = (await run('sweep', f, '--seeds', '1..2', '--vary', 'until=5ms,20ms', '--workers', '0', '--format', 'csv')).out.trim().split('\r\n');
    expect(csv[0]).to.match(/^variant,seed,.*,fatal,hash,error$/);
    expect(csv.slice(1).map((l) => l.split(',').at(-1) === '' ? 'ok' : 'failed')).to.deep.equal(['ok', 'ok', 'failed', 'failed']);
  });

  it('a worker that runs out of memory fails its one run; a new worker finishes the rest', async function () {
    this.timeout(120_000);
    const small = setPath(smallScenario(), 'until', '20ms');
    const huge = setPath(setPath(setPath(small, 'machine.ram', '8G'), 'workload[1].rate', 1_000_000), 'until', '200ms');
    const job: SweepJob = { variants: [{ label: 'huge', source: huge }, { label: 'small', source: small }], checkInvariants: false };
    const tasks = [{ variant: 0, seed: 1 }, { variant: 1, seed: 1 }, { variant: 1, seed: 2 }];
    const r = await sweepParallel(job, tasks, 1, undefined, { workerHeapMb: 24 });
    expect(r[0]).to.deep.equal({ seed: 1, error: 'worker ran out of memory' });
    expect(r.slice(1)).to.deep.equal(sweepSequential(job, tasks.slice(1)));
  });

  it('--per-request: one CSV row per request of every finished run, matching that run\'s requests.csv', async function () {
    this.timeout(60_000);
    const f = halfBroken();
    const r = await run('sweep', f, '--seeds', '1..2', '--vary', 'until=5ms,20ms', '--workers', '0', '--per-request');
    expect(r.code).to.equal(1);
    const [head, ...rows] = r.out.trim().split(/\r?\n/);
    expect(head).to.match(/^variant,seed,id,device,kind,area,lock_mode,pages,.*,result,pfn$/);
    // Only the runs that finished (until=5ms) have rows; each equals its own run's requests.csv row.
    expect(new Set(rows.map((l) => l.split(',').slice(0, 2).join(',')))).to.deep.equal(new Set(['until=5ms,1', 'until=5ms,2']));
    const out = path.join(dir, 'pr-run');
    expect((await run('run', f, '--seed', '2', '--set', 'until=5ms', '--out', out, '-f', 'csv', '-q')).code).to.equal(0);
    const own = readFileSync(path.join(out, 'requests.csv'), 'utf8').trim().split(/\r?\n/).slice(1);
    expect(rows.filter((l) => l.startsWith('until=5ms,2,')).map((l) => l.slice('until=5ms,2,'.length))).to.deep.equal(own);
    expect(own.length).to.be.greaterThan(0);
  });

  it('aggregates give the spread by nearest rank: p10, p50, p90 besides min, max, mean', () => {
    const rows = [5, 1, 4, 2, 3, 9, 8, 7, 6, 10].map((events, i) => ({ seed: i, metrics: { events }, violations: [], assertions: [] }) as unknown as RunSummary);
    expect(aggregateSweep([...rows, { seed: 99, error: 'boom' }])).to.deep.equal({
      runs: 10, fatal: 0, failed: 1, metrics: { events: { min: 1, p10: 1, p50: 5, p90: 9, max: 10, mean: 5.5 } },
    });
  });

  it('--shard K/N: three shards merged give the unsharded report byte for byte (text, json, csv)', async function () {
    this.timeout(120_000);
    const f = halfBroken();
    const common = ['sweep', f, '--seeds', '1..3', '--vary', 'until=5ms,20ms', '--workers', '0'];
    const shards: string[] = [];
    for (const k of [1, 2, 3]) {
      const r = await run(...common, '--shard', `${k}/3`);
      expect(r.code).to.equal(1);
      shards.push(path.join(dir, `shard-${k}.json`));
      writeFileSync(shards[k - 1], r.out);
    }
    for (const format of ['text', 'json', 'csv']) {
      const whole = await run(...common, '--format', format);
      const merged = await run('merge', shards[2], shards[0], shards[1], '--format', format);
      expect(merged.code).to.equal(whole.code);
      expect(merged.out, format).to.equal(whole.out);
    }
    // Per-request rows survive sharding too.
    const perRequest = ['sweep', f, '--seeds', '1..3', '--vary', 'until=5ms,20ms', '--workers', '0', '--per-request'];
    const prShards: string[] = [];
    for (const k of [1, 2, 3]) {
      prShards.push(path.join(dir, `pr-${k}.json`));
      writeFileSync(prShards[k - 1], (await run(...perRequest, '--shard', `${k}/3`)).out);
    }
    const prWhole = await run(...perRequest);
    expect((await run('merge', ...prShards)).out).to.equal(prWhole.out);
    // As sweep refuses --per-request with --format, merge refuses a --format it would ignore.
    expect((await run('merge', ...prShards, '--format', 'json')).code).to.equal(2);
    const missing = await run('merge', shards[0], shards[2]);
    expect(missing).to.deep.equal({ code: 2, out: '', err: 'cma-sim: merge: missing shard 2/3\n' });
    // A shard file that lost a result names the seed (and variant) it lacks, not an internal index.
    const cut = JSON.parse(readFileSync(shards[1], 'utf8')) as { results: { index: number }[] };
    cut.results.shift(); // task 1 of shard 2/3: the first variant's second seed
    const truncated = path.join(dir, 'truncated.json');
    writeFileSync(truncated, JSON.stringify(cut));
    const incomplete = await run('merge', shards[0], truncated, shards[2]);
    expect(incomplete.code).to.equal(2);
    expect(incomplete.err).to.equal('cma-sim: merge: no result for seed 2 of variant until=5ms; a shard file is missing or incomplete\n');
    const other = path.join(dir, 'other.json');
    writeFileSync(other, (await run('sweep', f, '--seeds', '1..4', '--vary', 'until=5ms,20ms', '--workers', '0', '--shard', '2/3')).out);
    expect((await run('merge', shards[0], other, shards[2])).err).to.equal(`cma-sim: ${other}: a shard of a different sweep than ${shards[0]} (scenario, seeds, --set, --vary or bounds differ)\n`);
  });
});
