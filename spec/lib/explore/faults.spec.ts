import { expect } from 'chai';
import { cli } from '../../../lib/cli/cli.ts';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runToHistory } from '../../../lib/run/runToHistory.ts';
import { explore } from '../../../lib/explore/explore.ts';
import { faultCombinations, shrinkFaults } from '../../../lib/explore/faults.ts';
import { withChoices } from '../../../lib/explore/regression.ts';
import { readTrace, replayTrace } from '../../../lib/explore/trace.ts';
import { faulty } from './fixtures/faultyRace.ts';

describe('explore with named faults', () => {
  it('explores every combination of faults; a failure names the faults it needed', () => {
    expect(faultCombinations(faulty).map((c) => c.map((p) => `${p.name}@${p.time}`).join('+'))).to.deep.equal(['', 'noise@30', 'late-c@10', 'late-c@10+noise@30', 'late-c@20', 'late-c@20+noise@30']);
    const r = explore(faulty, {});
    expect(r.failures).to.have.length(1);
    const t = r.failures[0].trace;
    expect(t.faults).to.deep.equal([{ name: 'late-c', time: 10 }]);
    expect(t.failure!.check).to.equal('c-not-first');
    expect(r.failures[0].runs).to.equal(2); // with and without noise
    expect(r.outcomes.map((o) => o.outcome)).to.include.members(['ab', 'ba', 'abz [faults: noise@30ns]', 'c [faults: late-c@10ns]', 'abc [faults: late-c@20ns]']);
    // The trace replays (faults injected again), and a plain run of the regression scenario fails the same way.
    expect(replayTrace(faulty, t, 'x').failure).to.deep.equal(t.failure);
    const h = runToHistory(withChoices(faulty, t));
    expect(h.stateAt(t.failure!.seq).model.seen[0]).to.equal('c');
  });

  it('shrinking drops the faults a failure does not need', async () => {
    const r = explore(faulty, {});
    const t = { ...r.failures[0].trace, faults: [{ name: 'late-c', time: 10 }, { name: 'noise', time: 30 }] };
    expect(shrinkFaults(faulty, t, t.choices, 0, 'c-not-first').faults).to.deep.equal([{ name: 'late-c', time: 10 }]);
    const dir = mkdtempSync(join(tmpdir(), 'faults-'));
    const file = join(dir, 't.json');
    writeFileSync(file, JSON.stringify(t));
    writeFileSync(join(dir, 'faulty.ts'), `export { faulty as race } from ${JSON.stringify(join(import.meta.dirname, 'fixtures', 'faultyRace.ts'))};\n`);
    const out: string[] = [];
    expect(await cli(['replay', join(dir, 'faulty.ts'), '--choices', file, '--shrink'], { out: (s) => { out.push(s); }, err: () => {}, errIsTTY: false, clock: () => 0 })).to.equal(1);
    expect(out.join('')).to.contain('faults: late-c@10ns, noise@30ns -> late-c@10ns');
    expect(readTrace(join(dir, 't.shrunk.json')).faults).to.deep.equal([{ name: 'late-c', time: 10 }]);
    expect(JSON.parse(readFileSync(join(dir, 't.shrunk.json'), 'utf8')).scenarioHash).to.equal(t.scenarioHash);
  });
});
