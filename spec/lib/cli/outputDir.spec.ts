import { expect } from 'chai';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MANIFEST } from '../../../lib/cli/outputDir.ts';
import { buildOnce } from '../../build.ts';
import { smallScenario } from '../scenario/fixtures.ts';
import { runCli, tempScenario } from './runCli.ts';

const run = (...argv: string[]) => runCli(argv);

/** A pid no process has: one that has just exited. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A --out directory is either absent or complete: every file its manifest lists is there. */
function completeOrAbsent(dir: string): 'absent' | 'complete' {
  if (!existsSync(dir)) return 'absent';
  const { files } = JSON.parse(readFileSync(path.join(dir, MANIFEST), 'utf8')) as { files: string[] };
  expect(readdirSync(dir).sort()).to.deep.equal([...files, MANIFEST].sort());
  return 'complete';
}

describe('--out: output sets written as a unit (crash consistency)', () => {
  let dir: string;
  let scenario: string;
  tempScenario('cma-sim-out-', '20ms', (d, f) => { dir = d; scenario = f; });

  it('an --out that cannot be created is one line, exit 2, at once (no endless mkdir under /proc)', async function () {
    this.timeout(20_000);
    for (const [out, why] of [['/proc/cma-sim-out/x', 'ENOENT'], ['/sys/cma-sim-out', 'EPERM'], [`${scenario}/sub`, 'ENOTDIR']] as const) {
      const t0 = performance.now();
      const r = await run('run', scenario, '--out', out, '-q');
      expect(performance.now() - t0, out).to.be.below(5_000);
      expect(r).to.deep.equal({ code: 2, out: '', err: `cma-sim: --out ${out}: cannot create: ${why}\n` });
    }
    expect((await run('run', scenario, '--out', scenario)).err).to.equal(`cma-sim: --out ${scenario}: exists and is not a directory\n`);
  });

  it("what a killed run left (its staging directory, half-written files) is not the output, and the next run removes it", async () => {
    const out = path.join(dir, 'left');
    const pid = deadPid();
    const staging = path.join(dir, `.left.cma-sim-${pid}.tmp`);
    mkdirSync(staging);
    writeFileSync(path.join(staging, 'scenario.json'), '{"half":');
    expect(existsSync(out)).to.equal(false);
    const r = await run('run', scenario, '--out', out, '-q');
    expect(r.code).to.equal(0);
    expect(existsSync(staging)).to.equal(false);
    expect(completeOrAbsent(out)).to.equal('complete');
    // With --force, stale half-written files inside the directory go too; nothing else is touched.
    writeFileSync(path.join(out, `.log.jsonl.${deadPid()}.tmp`), 'partial');
    writeFileSync(path.join(out, 'notes.txt'), 'mine');
    expect((await run('run', scenario, '--out', out, '--force', '--seed', '4', '-q')).code).to.equal(0);
    expect(readdirSync(out).filter((f) => f.endsWith('.tmp'))).to.deep.equal([]);
    expect(readFileSync(path.join(out, 'notes.txt'), 'utf8')).to.equal('mine');
    expect(JSON.parse(readFileSync(path.join(out, 'scenario.json'), 'utf8'))).to.include({ seed: 4 });
  });

  it('kill -9 while the set is being written leaves no partial set; the next run completes it', async function () {
    this.timeout(120_000);
    buildOnce();
    const big = path.join(dir, 'big.json');
    writeFileSync(big, JSON.stringify({ ...smallScenario(), until: '500ms' }));
    const out = path.join(dir, 'killed');
    const child = spawn(process.execPath, [path.resolve('bin/cma-sim.js'), 'run', big, '--out', out, '-f', 'json,csv,md,html,perfetto,ftrace', '-q'], { stdio: 'ignore' });
    const staging = path.join(dir, `.killed.cma-sim-${child.pid}.tmp`);
    // Kill as soon as the first output file is in the staging directory: the writes are under way.
    const t0 = performance.now();
    while (!existsSync(path.join(staging, 'scenario.json')) && performance.now() - t0 < 90_000) await sleep(2);
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    expect(existsSync(staging), 'the kill came before any write').to.equal(true);
    expect(completeOrAbsent(out)).to.equal('absent');
    const again = await run('run', big, '--out', out, '-q');
    expect(again.code).to.equal(0);
    expect(completeOrAbsent(out)).to.equal('complete');
    expect(readdirSync(dir).filter((f) => f.startsWith('.killed.'))).to.deep.equal([]);
  });
});
