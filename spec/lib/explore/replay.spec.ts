import { expect } from 'chai';
import { capture } from '../cli/runCli.ts';
import { cli } from '../../../lib/cli/cli.ts';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { explore } from '../../../lib/explore/explore.ts';
import { shrink } from '../../../lib/explore/shrink.ts';
import { readTrace, replayTrace, runChoices } from '../../../lib/explore/trace.ts';
import type { ChoiceTrace } from '../../../lib/explore/types.ts';
import { cFirst } from './fixtures/counterRace.ts';

const MODULE = join(import.meta.dirname, 'fixtures', 'cFirstRace.ts');

describe('explore / replay --choices / --shrink', () => {
  it('explore writes a trace per failure; replay reproduces it and fails the same way', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'explore-'));
    const c = capture();
    expect(await cli(['explore', MODULE, '--out', dir, '--force'], c.io)).to.equal(1);
    const text = c.out.join('');
    expect(text).to.match(/c-first: 12 runs \(exhaustive, reduction on, preemption bound 3, complete\)/);
    expect(text).to.contain("FAIL always 'c-not-first' failed at seq 5");
    const file = join(dir, 'failure-1-c-not-first.json');
    const trace = readTrace(file);
    expect(trace.choices).to.deep.equal([{ seq: 1, pick: 2, of: 3, type: 'mark' }]);
    const r = capture();
    expect(await cli(['replay', MODULE, '--choices', file], r.io)).to.equal(1);
    expect(r.out.join('')).to.contain('(reproduced exactly)');
  });

  it('replay refuses a trace from another scenario or one that no longer lines up', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'replay-'));
    const t: ChoiceTrace = { format: 'cma-sim-choices', version: 1, scenario: 'c-first', scenarioHash: 'ffff', seed: 3, window: 0, choices: [], failure: null, outcome: '' };
    writeFileSync(join(dir, 'a.json'), JSON.stringify(t));
    const c = capture();
    expect(await cli(['replay', MODULE, '--choices', join(dir, 'a.json')], c.io)).to.equal(2);
    expect(c.err.join('')).to.match(/scenarioHash ffff is not this scenario's/);
    expect(() => runChoices(cFirst, [{ seq: 2, pick: 1, of: 5, type: 'mark' }], 0)).to.throw(/trace diverged at seq 2: expected 5 candidates/);
    const bad = capture();
    expect(await cli(['replay', MODULE, '--choices='], bad.io)).to.equal(2);
    expect(bad.err.join('')).to.equal('cma-sim: --choices <trace.json> is required (see cma-sim replay --help)\n');
    const none = capture();
    expect(await cli(['replay', MODULE, '--choices'], none.io)).to.equal(2);
    expect(none.err.join('')).to.equal("cma-sim: option '--choices': needs a value (see cma-sim replay --help)\n");
  });

  it('shrinking a random failure keeps it failing with fewer choices, and the result replays strictly', async () => {
    const r = explore(cFirst, { strategy: 'random', seed: 4, maxRuns: 200 });
    const long = r.failures.map((f) => f.trace).sort((a, b) => b.choices.length - a.choices.length)[0];
    expect(long.choices.length).to.be.greaterThan(1); // the random walk deviated more than needed
    const failing = runChoices(cFirst, long.choices, 0);
    expect(failing.failure!.check).to.equal('c-not-first');
    const s = shrink(cFirst, failing, 0);
    expect(s.run.failure!.check).to.equal('c-not-first');
    expect(s.run.choices).to.deep.equal([{ seq: 1, pick: 2, of: 3, type: 'mark' }]);
    expect(runChoices(cFirst, s.run.choices, 0).failure).to.deep.equal(s.run.failure);
    // Through the command: --shrink writes a trace that still fails.
    const dir = mkdtempSync(join(tmpdir(), 'shrink-'));
    const file = join(dir, 'long.json');
    writeFileSync(file, JSON.stringify(long));
    const c = capture();
    expect(await cli(['replay', MODULE, '--choices', file, '--shrink'], c.io)).to.equal(1);
    expect(c.out.join('')).to.match(new RegExp(`${long.choices.length} -> 1 choice`));
    const shrunk = JSON.parse(readFileSync(join(dir, 'long.shrunk.json'), 'utf8')) as ChoiceTrace;
    expect(replayTrace(cFirst, shrunk, 'x').failure!.check).to.equal('c-not-first');
  });

  it('explores a JSON scenario and checks its fatal assertions on every final state', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'json-'));
    const file = join(dir, 'tiny.json');
    writeFileSync(file, JSON.stringify({
      name: 'tiny', machine: { ram: '16M' }, cma: { areas: [{ name: 'a', size: '4M' }] },
      assertions: [{ metric: 'alloc.requests', op: '>=', value: 1 }, { metric: 'alloc.failed', op: '>', value: 5, fatal: false }],
    }));
    const c = capture();
    expect(await cli(['explore', file, '--out', join(dir, 'out')], c.io)).to.equal(1);
    expect(c.out.join('')).to.contain("FAIL final 'alloc.requests >= 1' failed at seq 1: alloc.requests = 0, expected >= 1");
    expect(c.out.join('')).to.not.contain('alloc.failed'); // not fatal: not a failure
  });

  it('bad usage is one line and exit 2', async () => {
    const c = capture();
    expect(await cli(['explore', MODULE, '--strategy', 'bfs'], c.io)).to.equal(2);
    expect(c.err.join('')).to.equal("cma-sim: --strategy: expected one of exhaustive|random|pct|swarm, got 'bfs' (see cma-sim explore --help)\n");
    const d = capture();
    expect(await cli(['explore', 'no-such-race'], d.io)).to.equal(2);
    expect(d.err.join('')).to.match(/no-such-race: no such scenario file or built-in race/);
  });
});
