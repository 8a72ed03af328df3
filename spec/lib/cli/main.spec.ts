import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildOnce } from '../../build.ts';
import { smallScenario } from '../scenario/fixtures.ts';

// The real process boundary (bin/cma-sim.js -> dist/lib/cli/main.js, built first): exit codes and streams.
function cmaSim(...args: string[]) {
  const r = spawnSync(process.execPath, [path.resolve('bin/cma-sim.js'), ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('bin/cma-sim.js', function () {
  this.timeout(60_000);
  before(buildOnce);

  it('--version exits 0 with the package version', () => {
    const r = cmaSim('--version');
    expect(r.code).to.equal(0);
    expect(r.out).to.match(/^cma-sim \d+\.\d+\.\d+\n$/);
  });

  it('a .ts scenario loads through tsx, registered on demand (the build itself is plain JavaScript)', () => {
    const r = cmaSim('run', 'examples/basic.ts', '--until', '20ms', '-q');
    expect(r.err).to.equal('');
    expect(r.code).to.equal(0);
    expect(r.out).to.match(/^cma-sim report: basic: /);
  });

  it('bad usage exits 2 with one line on stderr and no stack trace', () => {
    const r = cmaSim('run', '--until', 'later');
    expect(r.code).to.equal(2);
    expect(r.out).to.equal('');
    expect(r.err.trim().split('\n')).to.have.length(1);
    expect(r.err).to.not.match(/\bat \S+ \(/);
  });

  it('a fatal scenario failure exits 1; the report goes to stdout only', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cma-sim-bin-'));
    try {
      const f = path.join(dir, 'fatal.json');
      writeFileSync(f, JSON.stringify({ ...smallScenario(), until: '5ms', assertions: [{ metric: 'events', op: '<', value: 0 }] }));
      const r = cmaSim('run', f);
      expect(r.code).to.equal(1);
      expect(r.out).to.contain('FAIL');
      expect(r.err).to.equal('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
