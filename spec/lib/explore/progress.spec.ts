import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from '../../../lib/cli/cli.ts';
import { explore } from '../../../lib/explore/explore.ts';
import type { Io } from '../../../lib/cli/io.ts';
import { race } from './fixtures/longRuns.ts';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'longRuns.ts');

/** `cma-sim explore longRuns.ts ...args` with a clock that moves `stepMs` per reading: stderr's writes, one string each. */
async function exploreCli(args: readonly string[], stepMs: number, errIsTTY = false): Promise<{ code: number; err: string[]; out: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'explore-progress-'));
  let t = 0, out = '';
  const err: string[] = [];
  const io: Io = { out: (s) => { out += s; }, err: (s) => { err.push(s); }, errIsTTY, clock: () => (t += stepMs) };
  try {
    return { code: await cli(['explore', FIXTURE, '--out', join(dir, 'out'), ...args], io), err, out };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('explorer progress', () => {
  it('inside a run, every `progressEvents` events when asked', () => {
    const inRun: number[] = [];
    const r = explore(race, { progressEvents: 100, onProgress: (p) => { if (p.inRun) inRun.push(p.inRun.seq); } });
    expect(r.runs).to.equal(6);
    // The first run from seq 0; the later ones resume from the snapshot at their choice point (seq 1 or 2) and count 100 events from there.
    const resumed = (at: number) => [at + 100, at + 200, at + 300, at + 400];
    expect(inRun).to.deep.equal([100, 200, 300, 400, ...resumed(2), ...resumed(1), ...resumed(2), ...resumed(1), ...resumed(2)]);
  });

  it('--progress: a line every 100 events inside a run and after every run, as often as the clock allows', async () => {
    // Every clock reading 600 ms later: every progress call is drawn.
    const r = await exploreCli(['--progress'], 600);
    expect(r.code).to.equal(0);
    const lines = r.err.join('').split('\n').filter(Boolean);
    expect(lines.some((l) => l.includes('run 1 at event 100,'))).to.equal(true);
    expect(lines.some((l) => l.includes('run 1 at event 300,'))).to.equal(true);
    for (let n = 1; n <= 6; n++) expect(lines.some((l) => l.startsWith(`runs ${n} (`)), `a line after run ${n}`).to.equal(true);
    expect(r.err.join('').endsWith('\n')).to.equal(true);
  });

  it('--progress through a pipe writes plain newline-ended lines; on a terminal it redraws one line in place', async () => {
    const piped = (await exploreCli(['--progress'], 600)).err;
    expect(piped.length).to.be.greaterThan(6);
    for (const w of piped) expect(w, JSON.stringify(w)).to.match(/^[^\r\x1b\n]+\n$/);
    const tty = (await exploreCli(['--progress'], 600, true)).err;
    for (const w of tty) expect(w, JSON.stringify(w)).to.match(/^\r[^\n]*\x1b\[K\n?$/);
    expect(tty.at(-1)!.endsWith('\n')).to.equal(true);
  });

  it('--progress draws at most one line per 500 ms of the clock', async () => {
    // 100 ms per reading: a fifth of the progress calls are drawn.
    const every = (await exploreCli(['--progress'], 600)).err.length;
    const fifth = (await exploreCli(['--progress'], 100)).err.length;
    expect(fifth).to.be.lessThan(every / 3);
    expect(fifth).to.be.greaterThan(1);
  });

  it('nothing on stderr through a pipe without --progress, nor with --quiet on a terminal', async () => {
    expect((await exploreCli([], 600)).err).to.deep.equal([]);
    expect((await exploreCli(['--quiet'], 600, true)).err).to.deep.equal([]);
    expect((await exploreCli([], 600, true)).err.length).to.be.greaterThan(6);
  });
});
