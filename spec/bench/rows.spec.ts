import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OWN_ROOT } from './basic.bench.ts';
import { parseRowsArgs, ROWS } from './rows.ts';

describe('bench rows: the arguments of `npm run bench -- rows`', () => {
  it('defaults: this tree, every row of the table in order, the short history and a 300 s budget per realistic scenario', () => {
    const a = parseRowsArgs([]);
    expect(a.root).to.equal(OWN_ROOT);
    expect(a.rows).to.deep.equal(['memory', 'cma', 'history', 'board', 'server', 'phone', 'explore', 'engine', 'basic']);
    expect(a.size).to.deep.equal({ full: false, exploreRuns: 1000, realisticBudgetSec: 300 });
    expect(Object.keys(ROWS)).to.deep.equal(a.rows);
  });

  it('--root, --full, sizes and a choice of rows', () => {
    const a = parseRowsArgs(['--root', join(OWN_ROOT, 'lib', '..'), '--full', '--explore-runs', '50', '--budget', '60', 'basic', 'explore']);
    expect(a.root).to.equal(join(OWN_ROOT, 'lib', '..'));
    expect(a.rows).to.deep.equal(['basic', 'explore']);
    expect(a.size).to.deep.equal({ full: true, exploreRuns: 50, realisticBudgetSec: 60 });
  });

  it('refuses an unknown row, a bad count and a root that is not a cma-sim checkout, naming what it got', () => {
    expect(() => parseRowsArgs(['memroy'])).to.throw(/unknown row or option memroy; usage: rows .*rows: memory, cma/);
    expect(() => parseRowsArgs(['toString'])).to.throw(/^unknown row or option toString; usage: rows /); // inherited, not a row
    expect(() => parseRowsArgs(['--child', 'toString'])).to.throw(/^unknown --child row toString; usage: rows /);
    expect(() => parseRowsArgs(['--child', 'memroy'])).to.throw(/^unknown --child row memroy; /);
    expect(parseRowsArgs(['--child', 'basic']).child).to.equal('basic');
    expect(() => parseRowsArgs(['--explore-runs', '0'])).to.throw('--explore-runs wants a positive integer, got 0');
    expect(() => parseRowsArgs(['--budget'])).to.throw(/--budget wants a value/);
    const dir = mkdtempSync(join(tmpdir(), 'rows-root-'));
    try {
      expect(() => parseRowsArgs(['--root', dir])).to.throw(`--root ${dir}: not a cma-sim checkout (no lib/scenario/index.ts)`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
