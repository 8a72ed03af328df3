import { expect } from 'chai';
import { cli } from '../../../../lib/cli/cli.ts';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { explore } from '../../../../lib/explore/explore.ts';
import { loadExploreScenario } from '../../../../lib/cli/loadExploreScenario.ts';
import { capture, tempScenario } from '../runCli.ts';

describe('explore --check incremental|full', () => {
  let dir = '', file = '';
  tempScenario('explore-check-', '30ms', (d, f) => { dir = d; file = f; });

  it('the full walk after every event finds what the incremental check finds, run for run', async () => {
    const inc = await loadExploreScenario(file);
    const full = await loadExploreScenario(file, { full: true });
    expect(inc.checks.map((c) => c.name)).to.include('invariants');
    const a = explore(inc, { maxRuns: 12 });
    const b = explore(full, { maxRuns: 12 });
    expect(a.runs).to.equal(12);
    expect(b.runs).to.equal(a.runs);
    expect(b.dispatched).to.equal(a.dispatched);
    expect(b.outcomes.map((o) => [o.outcome, o.runs])).to.deep.equal(a.outcomes.map((o) => [o.outcome, o.runs]));
    expect(b.failures.map((f) => f.trace.failure)).to.deep.equal(a.failures.map((f) => f.trace.failure));
  });

  it('refuses a mode it does not know, --check with --no-invariants, and --check on a race that brings its own checks', async () => {
    for (const [args, msg] of [
      [['--check', 'fast'], "--check: expected one of incremental|full, got 'fast'"],
      [['--check', 'full', '--no-invariants'], '--check chooses how invariants are checked: it cannot go with --no-invariants'],
    ] as const) {
      const c = capture();
      expect(await cli(['explore', file, ...args, '--out', join(dir, 'o')], c.io)).to.equal(2);
      expect(c.err.join('')).to.equal(`cma-sim: ${msg} (see cma-sim explore --help)\n`);
    }
    const c = capture();
    expect(await cli(['explore', 'race1', '--check', 'full', '--out', join(dir, 'o')], c.io)).to.equal(2);
    expect(c.err.join('')).to.match(/^cma-sim: --check: .*race1.* brings its own checks \(cma-invariants, isolate-never-allocates, .*\); --check applies to the model invariants the explorer adds to a scenario \(see cma-sim explore --help\)\n$/);
  });
});

describe('explore --out: the failure files are an output set like run --out', () => {
  const MODULE = join(import.meta.dirname, '..', '..', 'explore', 'fixtures', 'cFirstRace.ts');
  let dir = '';
  before(() => { dir = mkdtempSync(join(tmpdir(), 'explore-out-')); });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the traces and regression scenarios with a manifest, refuses a non-empty directory without --force, and writes nothing without a failure', async () => {
    const out = join(dir, 'found');
    const c = capture();
    expect(await cli(['explore', MODULE, '--out', out, '-q'], c.io)).to.equal(1);
    const files = ['failure-1-c-not-first.json', 'failure-1-c-not-first.regression.ts'];
    expect(JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'))).to.deep.equal({ files });
    expect(readdirSync(out).sort()).to.deep.equal([...files, 'manifest.json'].sort());
    expect(readdirSync(dir)).to.deep.equal(['found']); // no staging directory left beside it
    const again = capture();
    expect(await cli(['explore', MODULE, '--out', out], again.io)).to.equal(2);
    expect(again.err.join('')).to.equal(`cma-sim: --out ${out}: directory exists and is not empty; pass --force to overwrite its files\n`);
    expect(await cli(['explore', MODULE, '--out', out, '--force', '-q'], capture().io)).to.equal(1);
    const none = join(dir, 'none');
    expect(await cli(['explore', 'race1', '--max-runs', '2', '--out', none, '-q'], capture().io)).to.equal(0);
    expect(existsSync(none)).to.equal(false);
  });
});
