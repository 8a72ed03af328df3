import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { cli } from '../../../lib/cli/cli.ts';
import { memoryIo } from '../../../lib/cli/io.ts';
import { rechain } from '../../fixtures/rechain.ts';
import { smallScenario } from '../scenario/fixtures.ts';

describe('cli/loadLog: logs edited and re-chained', function () {
  this.timeout(60_000);
  let dir: string;
  let lines: string[];
  const scenario = { ...smallScenario(), until: '30ms', assertions: [{ name: 'some allocations', metric: 'alloc.requests', op: '>=', value: 1 }] };

  async function cma(...argv: string[]) {
    const io = memoryIo();
    const code = await cli(argv, io);
    return { code, out: io.stdout, err: io.stderr };
  }

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'cma-sim-loadlog-'));
    writeFileSync(path.join(dir, 's.json'), JSON.stringify(scenario));
    expect((await cma('run', path.join(dir, 's.json'), '--out', path.join(dir, 'out'), '-q')).code).to.equal(0);
    lines = readFileSync(path.join(dir, 'out', 'log.jsonl'), 'utf8').split('\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  /** Write the edited log re-chained and replay it. */
  async function replayEdited(edit: (lines: string[]) => void, ...flags: string[]) {
    const t = [...lines];
    edit(t);
    const f = path.join(dir, 'edited.jsonl');
    writeFileSync(f, rechain(t));
    return cma('replay', f, '-q', ...flags);
  }
  const header = (t: string[], f: (h: Record<string, any>) => void) => { const h = JSON.parse(t[0]); f(h); t[0] = JSON.stringify(h); };
  const footerIndex = (t: string[]) => t.findIndex((l) => l.startsWith('{"end":true'));
  const footer = (t: string[], f: (h: Record<string, any>) => void) => {
    const i = footerIndex(t);
    const o = JSON.parse(t[i]); delete o.h; f(o); t[i] = JSON.stringify(o) + ',"h":"0000000000000000"}'.slice(0, 0);
    t[i] = `${JSON.stringify(o).slice(0, -1)},"h":"0000000000000000"}`;
  };
  const oneLine = (r: { code: number; err: string }, re: RegExp) => {
    expect(r.code, r.err).to.equal(2);
    expect(r.err).to.match(re);
    expect(r.err.split('\n')).to.have.length(2);
    expect(r.err).not.to.match(/\n\s+at /);
  };

  it('the untouched log replays', async () => {
    const r = await replayEdited(() => {});
    expect(r.code, r.err + r.out).to.equal(0);
  });

  it('snapshotEvery 0, or out of range', async () => {
    oneLine(await replayEdited((t) => header(t, (h) => { h.snapshotEvery = 0; })), /:1: header\.snapshotEvery: expected an integer in \[1, 2147483647\], got 0\n$/);
    oneLine(await replayEdited((t) => header(t, (h) => { h.snapshotEvery = 1.5; })), /header\.snapshotEvery/);
  });

  it('a pending event that is null, or with an impossible origin', async () => {
    oneLine(await replayEdited((t) => footer(t, (o) => { o.pending = [null]; })), /footer\.pending\[0\]: expected an object, got null\n$/);
    oneLine(await replayEdited((t) => footer(t, (o) => { o.pending[0].origin = -1; })), /footer\.pending\[0\]\.origin: expected a seq in/);
    oneLine(await replayEdited((t) => footer(t, (o) => { o.pending[0].time = 0; })), /footer\.pending\[0\]\.time: expected an integer in/);
  });

  it('overlapping banks in meta.scenario', async () => {
    oneLine(await replayEdited((t) => header(t, (h) => { h.meta.scenario.machine = { banks: [{ name: 'a', base: 0, size: '128M' }, { name: 'b', base: '64M', size: '128M' }] }; })), /:1: header\.meta\.scenario: machine\.banks/);
  });

  it('meta.now 1e20 gives one line at once, not a hang', async () => {
    const t0 = Date.now();
    oneLine(await replayEdited((t) => header(t, (h) => { h.meta.now = 1e20; })), /header\.meta\.now: expected a non-negative integer of ns, got 100000000000000000000\n$/);
    oneLine(await replayEdited((t) => header(t, (h) => { h.meta.now = 2 ** 53 - 1; h.meta.until = 2 ** 53 - 1; })), /header\.meta\.now: \d+: events were still due/);
    expect(Date.now() - t0).to.be.below(20_000);
  });

  it('unknown fields and out-of-range priorities are refused, naming them', async () => {
    oneLine(await replayEdited((t) => header(t, (h) => { h.extra = 1; })), /header\.extra: unknown field/);
    oneLine(await replayEdited((t) => header(t, (h) => { h.meta.evil = 1; })), /header\.meta\.evil: unknown field/);
    oneLine(await replayEdited((t) => { t[2] = t[2].replace('"priority":', '"note":"x","priority":'); }), /:3: note: unknown field/);
    oneLine(await replayEdited((t) => { t[2] = t[2].replace(/"priority":(-?\d+)/, (_m, p) => `"priority":${Number(p) + 2 ** 32}`); }), /:3: field 'priority' must be an integer in \[-2147483648, 2147483647\]/);
  });

  it('replay compares what it reads with what the scenario regenerates: pending events, end, assertions', async () => {
    const pending = await replayEdited((t) => footer(t, (o) => { o.pending[0].priority += 1; }));
    expect(pending.code).to.equal(1);
    expect(pending.out).to.match(/pending event 0 at the end differs: the log has \{"time"/);
    const end = await replayEdited((t) => header(t, (h) => { h.meta.stopReason = 'idle'; }));
    expect(end.code).to.equal(1);
    expect(end.out).to.match(/the re-run stopped by 'until', the log \(meta\.stopReason\) says 'idle'/);
    // The assertion changed in the stored scenario (the re-run uses it), not in the recorded results.
    const assertion = await replayEdited((t) => header(t, (h) => { h.meta.scenario.assertions[0].value = 1e9; }));
    expect(assertion.code).to.equal(1);
    expect(assertion.out).to.match(/assertion 0 differs: the log \(meta\.assertions\) has \{"name":"some allocations","fatal":true,"ok":true/);
  });

  it('--key: an HMAC chain that an edit re-chained without the key does not pass', async () => {
    const env = 'CMA_SIM_TEST_LOG_KEY';
    process.env[env] = 'correct horse battery staple';
    try {
      const out = path.join(dir, 'keyed');
      expect((await cma('run', path.join(dir, 's.json'), '--out', out, '-q', '--key', `env:${env}`)).code).to.equal(0);
      const log = path.join(out, 'log.jsonl');
      const text = readFileSync(log, 'utf8');
      expect(JSON.parse(text.split('\n')[0]).mac).to.equal('hmac-sha256');
      expect(text.split('\n')[1]).to.match(/,"h":"[0-9a-f]{64}"\}$/);
      expect((await cma('replay', log, '-q', '--key', `env:${env}`)).code).to.equal(0);
      oneLine(await cma('replay', log, '-q'), /:1: the log is keyed \(header\.mac\): give the key it was written with \(--key\)/);
      // An attacker edits a line, drops the mac and re-chains with plain SHA-256: a keyed reader refuses it.
      const t = text.split('\n');
      header(t, (h) => { delete h.mac; });
      writeFileSync(log, rechain(t.map((l, i) => (i === 0 ? l : l.replace(/,"h":"[0-9a-f]{64}"\}$/, ',"h":"0000000000000000"}')))));
      oneLine(await cma('replay', log, '-q', '--key', `env:${env}`), /the log is not keyed: anyone could have re-chained it/);
      process.env[env] = 'another secret, long enough';
      writeFileSync(log, text);
      oneLine(await cma('replay', log, '-q', '--key', `env:${env}`), /:2: hash chain broken: the line does not verify under this key/);
      oneLine(await cma('replay', log, '--key', 'hunter2hunter2hunter2'), /--key: expected env:NAME or file:PATH/);
    } finally {
      delete process.env[env];
    }
  });
});
