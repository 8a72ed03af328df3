import { expect } from 'chai';
import { capture } from '../cli/runCli.ts';
import { cli } from '../../../lib/cli/cli.ts';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runToHistory } from '../../../lib/run/runToHistory.ts';
import { explore, type Progress } from '../../../lib/explore/explore.ts';
import { loadExploreScenario } from '../../../lib/cli/loadExploreScenario.ts';
import { fmtProgress } from '../../../lib/explore/summary.ts';
import { cFirst, threeMarks } from './fixtures/counterRace.ts';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const RACE3 = join(ROOT, 'examples', 'races', 'race3-reserve-after.ts');

describe('explorer: from a found bug to the debugger and a regression scenario', () => {
  it('--first stops at the first failing run and says which run it was', () => {
    const all = explore(cFirst, {});
    const first = explore(cFirst, { first: true });
    expect(all.runs).to.equal(12);
    const f = first.failures[0];
    expect(first.runs).to.equal(f.firstRun);
    expect(first.runs).to.be.lessThan(all.runs);
    expect(all.failures[0].firstRun).to.equal(f.firstRun);
    expect(f.firstMs).to.be.greaterThan(0);
  });

  it('progress: inside a run (events, clock) and between runs (runs, outcomes, share done and ETA when exhaustive)', () => {
    const seen: Progress[] = [];
    explore(threeMarks, { onProgress: (p) => seen.push(p), progressEvery: 1 });
    expect(seen.map((p) => p.runs)).to.deep.equal([1, 2, 3, 4, 5, 6, 6]);
    const done = seen.map((p) => p.done!);
    expect(done[done.length - 1]).to.equal(1);
    expect(done.slice(0, 5).every((d, i) => d > 0 ? d <= done[i + 1] : true)).to.equal(true);
    expect(fmtProgress({ runs: 10, elapsedMs: 2000, outcomes: 3, failures: 1, done: 0.25 })).to.equal('runs 10 (5.0/s), distinct outcomes 3, failures 1, 2.0s, ~25% of the orderings, ETA 6.0s');
    expect(fmtProgress({ runs: 10, elapsedMs: 2000, outcomes: 3, failures: 0, inRun: { seq: 52_000, now: 1_500_000 } })).to.contain('run 11 at event 52000, t=1.5ms');
  });

  it('progress inside a run is reported every 1,000 events', () => {
    const long = { ...threeMarks, name: 'long', inject: [{ event: { type: 'tick', left: 5000, jitter: false } as any, time: 0 }] };
    const inRun: number[] = [];
    explore(long, { onProgress: (p) => { if (p.inRun) inRun.push(p.inRun.seq); } });
    expect(inRun).to.deep.equal([1000, 2000, 3000, 4000, 5000]);
  });

  it('CMA outcomes are described in words, and a second outcome says how it differs from the first', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'words-'));
    const file = join(dir, 'race.ts');
    // A race without its own outcome key: the words come from the CMA plugin.
    writeFileSync(file, `import { race as r } from ${JSON.stringify(pathToFileURL(join(ROOT, 'examples/races/race1.ts')).href)};\nexport const race = { ...r, outcome: undefined };\n`);
    const c = capture();
    expect(await cli(['explore', file, '--out', join(dir, 'out'), '--quiet'], c.io)).to.equal(0);
    const v = capture();
    await cli(['explore', file, '--out', join(dir, 'out2')], v.io);
    const text = v.out.join('');
    expect(text).to.match(/1\. request 1 got 0xc01-0xd00 in cam after 1 busy retry/);
    expect(text).to.match(/2\. request 1 got 0xc00-0xcff in cam/);
    expect(text).to.match(/differs from 1: area cam: available 768 -> 768 pages; reserved 1 \(0xc00\); freed 1 \(0xd00\)/);
  });

  it('a failure is written as a regression scenario that reproduces it without the explorer, and opens in the debugger at the failing event', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'regress-'));
    const out = join(dir, 'found');
    const c = capture();
    expect(await cli(['explore', RACE3, '--out', out, '--first'], c.io)).to.equal(1);
    const text = c.out.join('');
    expect(text).to.match(/FAIL always 'no-overlapping-claims' failed at seq (\d+): .*first in run 1, after/);
    const trace = JSON.parse(readFileSync(join(out, 'failure-1-no-overlapping-claims.json'), 'utf8'));
    const regression = join(out, 'failure-1-no-overlapping-claims.regression.ts');
    expect(existsSync(regression)).to.equal(true);
    // Replay without the explorer: a plain run of the regression scenario, then the check on its states.
    const mod = await import(pathToFileURL(regression).href) as { race: any; expected: { check: string; seq: number; message: string } };
    const h = runToHistory(mod.race);
    const check = mod.race.checks.find((x: { name: string }) => x.name === mod.expected.check);
    expect(check.test(h.stateAt(mod.expected.seq).model, h.stateAt(mod.expected.seq - 1).model)).to.equal(mod.expected.message);
    expect(check.test(h.stateAt(mod.expected.seq - 1).model, h.stateAt(mod.expected.seq - 2).model)).to.equal(null);
    expect(mod.expected).to.deep.equal(trace.failure);
    // The debugger opens the explored run at the failing event, listing where it left the default order.
    const d = capture();
    expect(await cli(['debug', 'race3-reserve-after', '--choices', join(out, 'failure-1-no-overlapping-claims.json'), '--eval', 'where'], d.io)).to.equal(0);
    const shown = d.out.join('');
    expect(shown).to.contain(`failure: always 'no-overlapping-claims' failed at seq ${trace.failure.seq}`);
    expect(shown).to.match(new RegExp(`^\\[main\\] #${trace.failure.seq} `, 'm'));
    // And so does the regression file itself.
    const e = capture();
    expect(await cli(['debug', regression, '--eval', `goto ${trace.failure.seq}; area video`], e.io)).to.equal(0);
    expect(e.out.join('')).to.match(/request 1 \(decoder, 256 pages\): isolating on 0xc00-0xcff\n {2}request 2 \(camera, 256 pages\): searching on 0xc00-0xcff/);
  });

  it('debug --choices lists each place a run left the default order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'choices-'));
    const mod = join(ROOT, 'spec', 'lib', 'explore', 'fixtures', 'cFirstRace.ts');
    const c = capture();
    expect(await cli(['explore', mod, '--out', dir, '--force'], c.io)).to.equal(1);
    const d = capture();
    expect(await cli(['debug', mod, '--choices', join(dir, 'failure-1-c-not-first.json'), '--eval', 'print seen'], d.io)).to.equal(0);
    const text = d.out.join('');
    expect(text).to.contain('left the default order at 1 place(s):\n  #1: ran candidate 3 of 3 first: #1 t=10ns mark {"label":"c"}');
    expect(text).to.match(/^\[main\] #5 /m);
    const bad = capture();
    writeFileSync(join(dir, 'stale.json'), JSON.stringify({ ...JSON.parse(readFileSync(join(dir, 'failure-1-c-not-first.json'), 'utf8')), scenarioHash: 'ffff' }));
    expect(await cli(['debug', mod, '--choices', join(dir, 'stale.json')], bad.io)).to.equal(2);
    expect(bad.err.join('')).to.match(/scenarioHash ffff is not this scenario's/);
  });

  it('races load from .ts files anywhere as ES modules (top-level await, import.meta), not CommonJS', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'esm-race-'));
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'sub', 'helper.ts'), 'export const label = await Promise.resolve("from-helper");\n');
    writeFileSync(join(dir, 'mine.ts'), [
      `import { threeMarks } from ${JSON.stringify(pathToFileURL(join(ROOT, 'spec/lib/explore/fixtures/counterRace.ts')).href)};`,
      "import { label } from './sub/helper.ts';",
      'const here: string = import.meta.url;',
      'export const race = { ...threeMarks, name: `${label}:${here.endsWith("mine.ts")}` };',
    ].join('\n'));
    const scn = await loadExploreScenario(join(dir, 'mine.ts'));
    expect(scn.name).to.equal('from-helper:true');
  });
});
