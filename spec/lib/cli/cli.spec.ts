import { expect } from 'chai';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { loadRunLog } from '../../../lib/cli/loadLog.ts';
import { rerunDivergence } from '../../../lib/cli/rerunCheck.ts';
import { checkScenario } from '../../../lib/scenario/scenario.ts';
import { setPath } from '../../../lib/scenario/setPath.ts';
import { smallScenario } from '../scenario/fixtures.ts';
import { runCli, tempScenario } from './runCli.ts';

describe('cma-sim commands (in process)', () => {
  let dir: string;
  let scenario: string;
  tempScenario('cma-sim-cli-', '50ms', (d, f) => { dir = d; scenario = f; });

  const run = (...argv: string[]) => runCli(argv);

  it('run prints a summary and exits 0', async () => {
    const r = await run('run', scenario, '--seed', '5');
    expect(r.code).to.equal(0);
    expect(r.out).to.match(/^cma-sim report: small\nseed 5, /);
    expect(r.out).to.match(/\nsimulated  50ms of 50ms \(stopped: until\)\n/);
    expect(r.err).to.equal('');
  });

  it('bad usage and bad input exit 2 with one line naming the problem', async () => {
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, '{\n  "machine": { "ram": "1G" },\n  "until": "forever"\n}\n');
    const notLog = path.join(dir, 'compact.json');
    writeFileSync(notLog, JSON.stringify(smallScenario()));
    const cases = [
      [['run', '--until', 'x'], "cma-sim: --until: expected a duration like 10s, 250ms or 5000000 (ns), got 'x' (see cma-sim run --help)\n"],
      [['run', bad], `cma-sim: ${bad}:3:12: until: expected a duration (integer ns, or "12.5ms" / "10s" / "2us"), got "forever"\n`],
      [['run', path.join(dir, 'missing.json')], `cma-sim: ${path.join(dir, 'missing.json')}: cannot read: ENOENT\n`],
      [['replay', notLog], `cma-sim: ${notLog}:1: expected a header with format 'cma-sim-log', got undefined\n`],
    ] as const;
    for (const [argv, msg] of cases) {
      const r = await run(...argv);
      expect(r.code, argv.join(' ')).to.equal(2);
      expect(r.err).to.equal(msg);
      expect(r.out).to.equal('');
    }
  });

  it('a fatal assertion failure exits 1', async () => {
    const f = path.join(dir, 'fatal.json');
    writeFileSync(f, JSON.stringify({ ...smallScenario(), until: '10ms', assertions: [{ metric: 'events', op: '==', value: 0 }] }));
    const r = await run('run', f, '-q');
    expect(r.code).to.equal(1);
    expect(r.out).to.match(/assert {5}FAIL events == 0/);
  });

  it('a run whose model refuses an event exits 1 naming the seq, event and reducer', async () => {
    const f = path.join(dir, 'refused.json');
    writeFileSync(f, JSON.stringify({ machine: { ram: '64M' }, until: '10ms', workload: [{ generator: 'replay', events: [{ at: '1ms', event: { type: 'device.open', device: 'nope' } }] }] }));
    const r = await run('run', f);
    expect(r.code).to.equal(1);
    expect(r.err).to.match(/^cma-sim: simulation failed: reducer cma-sim\.reducers\['device\.open'\] failed at seq 3 \(t=1000000ns, event {"type":"device.open","device":"nope"}\): [^\n]+\n$/);
  });

  it('--out writes a log that replay and report reproduce; an existing --out needs --force', async () => {
    const out = path.join(dir, 'out');
    const first = await run('run', scenario, '--out', out, '--format', 'text,json', '-q');
    expect(first.code).to.equal(0);
    expect(readdirSync(out).sort()).to.deep.equal(['log.jsonl', 'manifest.json', 'report.json', 'report.txt', 'scenario.json', 'summary.json']);
    const before = readFileSync(path.join(out, 'log.jsonl'), 'utf8');

    const again = await run('run', scenario, '--seed', '9', '--out', out);
    expect(again.code).to.equal(2);
    expect(again.err).to.contain('directory exists and is not empty; pass --force');
    expect(readFileSync(path.join(out, 'log.jsonl'), 'utf8')).to.equal(before);

    const replay = await run('replay', path.join(out, 'log.jsonl'), '-q');
    expect(replay.code).to.equal(0);
    expect(replay.out).to.match(/^replayed (\d+) events of 'small' \(seed 3\): final state hash [0-9a-f]{16} matches the log\nre-ran the scenario with seed 3: the same \1 events\n$/);

    const report = await run('report', path.join(out, 'log.jsonl'), '--format', 'json');
    expect(JSON.parse(report.out)).to.deep.equal(JSON.parse(readFileSync(path.join(out, 'report.json'), 'utf8')));

    const forced = await run('run', scenario, '--seed', '9', '--out', out, '--force', '-q');
    expect(forced.code).to.equal(0);
    expect(readFileSync(path.join(out, 'log.jsonl'), 'utf8')).to.not.equal(before);
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).to.deep.equal([]);
  });

  it('the same scenario and seed write byte-identical outputs', async () => {
    const [a, b] = [path.join(dir, 'same-a'), path.join(dir, 'same-b')];
    for (const d of [a, b]) expect((await run('run', scenario, '--seed', '11', '--out', d, '-f', 'json,csv,ftrace,md', '-q')).code).to.equal(0);
    const files = readdirSync(a).sort();
    expect(files).to.deep.equal(readdirSync(b).sort());
    for (const f of files) expect(readFileSync(path.join(a, f), 'utf8'), f).to.equal(readFileSync(path.join(b, f), 'utf8'));
  });

  it('the scenario.json written by --out reproduces the run', async () => {
    const out = path.join(dir, 'repro');
    expect((await run('run', scenario, '--seed', '21', '--until', '30ms', '--out', out, '-f', 'json', '-q')).code).to.equal(0);
    const again = await run('run', path.join(out, 'scenario.json'), '-f', 'json');
    expect(again.out).to.equal(readFileSync(path.join(out, 'report.json'), 'utf8'));
  });

  it('re-running finds where a scenario no longer gives the logged run', async () => {
    const out = path.join(dir, 'drift');
    expect((await run('run', scenario, '--until', '20ms', '--out', out, '-q')).code).to.equal(0);
    const loaded = loadRunLog(path.join(out, 'log.jsonl'));
    expect(rerunDivergence(loaded)).to.equal(null);
    const changed = checkScenario(setPath(loaded.scenario.source, 'workload[1].rate', 501));
    expect(rerunDivergence({ ...loaded, scenario: changed })).to.match(/^the re-run diverges at seq \d+: the log has \{"seq":/);
  });

  it('a tampered log is refused (exit 2) naming the line', async () => {
    const out = path.join(dir, 'tamper');
    expect((await run('run', scenario, '--out', out, '-q')).code).to.equal(0);
    const log = path.join(out, 'log.jsonl');
    const lines = readFileSync(log, 'utf8').split('\n');
    lines[3] = lines[3].replace(/"time":(\d+)/, (_m, t) => `"time":${Number(t) + 1}`);
    writeFileSync(log, lines.join('\n'));
    const r = await run('replay', log);
    expect(r.code).to.equal(2);
    expect(r.err).to.match(/log\.jsonl:4: hash chain broken/);
  });

  it('--out refuses a path that is a file', async () => {
    const f = path.join(dir, 'afile');
    writeFileSync(f, 'x');
    const r = await run('run', scenario, '--out', f);
    expect(r.code).to.equal(2);
    expect(r.err).to.contain('exists and is not a directory');
    mkdirSync(path.join(dir, 'empty'));
    expect((await run('run', scenario, '--out', path.join(dir, 'empty'), '-q')).code).to.equal(0);
    expect(existsSync(path.join(dir, 'empty', 'log.jsonl'))).to.equal(true);
  });

  it('import writes a scenario that run accepts, and refuses to overwrite it without --force', async () => {
    const trace = 'spec/fixtures/kernel-traces/smoke-3g-misaligned.trace.txt';
    const dmesg = 'spec/fixtures/kernel-traces/smoke-3g-misaligned.dmesg.txt';
    const out = path.join(dir, 'imported.json');
    const r = await run('import', trace, '--dmesg', dmesg, '--out', out);
    expect(r.code, r.err).to.equal(0);
    expect(r.out).to.contain(`scenario written to ${out}`);
    expect((await run('import', trace, '--dmesg', dmesg, '--out', out)).err).to.contain('file exists; pass --force');
    const missing = await run('import', path.join(dir, 'none.txt'));
    expect(missing.code).to.equal(2);
    expect(missing.err).to.equal(`cma-sim: ${path.join(dir, 'none.txt')}: cannot read: ENOENT\n`);
  });

  it('--help and per-command help list examples', async () => {
    const main = await run('--help');
    expect(main.code).to.equal(0);
    for (const c of ['run', 'replay', 'report', 'sweep', 'import', 'replay-trace', 'debug', 'explore']) expect(main.out).to.match(new RegExp(`^  ${c} `, 'm'));
    const sweep = await run('sweep', '--help');
    expect(sweep.out).to.contain('Examples:\n  cma-sim sweep');
    // Commands that parse their own argv print their help in the same layout.
    const debug = await run('debug', '--help');
    expect(debug.code).to.equal(0);
    expect(debug.out).to.match(/^Usage: cma-sim debug [^]*\nExamples:\n  cma-sim debug /);
  });
});
