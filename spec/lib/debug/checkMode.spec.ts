import { expect } from 'chai';
import { join } from 'node:path';
import { runCli } from '../cli/runCli.ts';
import { invariantTest } from '../../../lib/debug/session.ts';

const RACE1 = join(import.meta.dirname, '..', '..', '..', 'examples', 'races', 'race1.ts');

async function debug(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const { code, out, err } = await runCli(['debug', RACE1, ...args]);
  return { code, out: out, err: err };
}

describe('debug --check incremental|full (break invariant)', () => {
  it("hands the plugin the last state that passed, and full: true with --check full", () => {
    for (const full of [false, true]) {
      const calls: { state: number; prev?: number; full?: boolean }[] = [];
      const t = invariantTest<number, never>({ invariants: (s, o) => { calls.push({ state: s, prev: o?.prev, full: o?.full }); return s === 3 ? ['broken'] : []; } }, full);
      const env = {} as never;
      expect([1, 2, 3, 4].map((s) => t.check(env, () => s))).to.deep.equal([null, null, 'invariant violated: broken', null]);
      // A failed state is never the base of the next check.
      expect(calls).to.deep.equal([{ state: 1, prev: undefined, full }, { state: 2, prev: 1, full }, { state: 3, prev: 2, full }, { state: 4, prev: 2, full }]);
    }
  });

  it('runs a session with either mode, and refuses a mode it does not know', async () => {
    for (const mode of ['incremental', 'full']) {
      const r = await debug(['--check', mode, '--eval', 'break invariant; continue']);
      expect(r.code, r.err).to.equal(0);
      // No violation in the whole run: the search reaches the last event.
      expect(r.out).to.match(/> continue\nno match after #\d+\n$/);
    }
    const bad = await debug(['--check', 'fast']);
    expect(bad.code).to.equal(2);
    expect(bad.err).to.equal("cma-sim: --check: expected one of incremental|full, got 'fast' (see cma-sim debug --help)\n");
  });
});
