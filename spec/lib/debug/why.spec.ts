import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../cli/runCli.ts';
import { explore } from '../../../lib/explore/explore.ts';
import { race as race6 } from '../../../examples/races/race6-release-vs-retry.ts';

const RACES = join(import.meta.dirname, '..', '..', '..', 'examples', 'races');
const COUNTER = join(import.meta.dirname, 'fixtures', 'counterTarget.ts');

async function debug(args: string[]): Promise<{ code: number; err: string; blocks: string[] }> {
  const { code, out, err } = await runCli(['debug', ...args]);
  return { code, err, blocks: out.split(/^> .*\n/m).slice(1).map((b) => b.replace(/\n$/, '')) };
}

/** A why answer split into its causal chain and its dataflow sections. */
function sections(block: string): { chain: string; writers: string; ties: string } {
  const w = block.indexOf('written in between'), t = block.indexOf('due at the same instant');
  return { chain: block.slice(0, w), writers: block.slice(w, t < 0 ? undefined : t), ties: t < 0 ? '' : block.slice(t) };
}

describe('why: dataflow beyond the causal chain', () => {
  it('on the release-versus-retry race, names the release whose timing made the retry fail (race 6)', async () => {
    const r = explore(race6);
    expect(r.failures.map((f) => f.trace.failure!.check)).to.deep.equal(['request-succeeds']);
    const file = join(mkdtempSync(join(tmpdir(), 'why-')), 'failure.json');
    writeFileSync(file, JSON.stringify(r.failures[0].trace));
    const d = await debug([join(RACES, 'race6-release-vs-retry.ts'), '--choices', file, '--eval', 'prev cma.alloc.done; why']);
    expect(d.code, d.err).to.equal(0);
    expect(d.blocks[0]).to.match(/cma\.alloc\.done \{"request":5,.*"errno":-16\}/);
    const { chain, writers, ties } = sections(d.blocks[1]);
    // The chain alone is the request's own steps: the release is not in it.
    expect(chain).to.contain('cma.migration');
    expect(chain).not.to.contain('cma.release');
    // The dataflow names the release: its freeing step wrote the area the retry's search read,
    // started by the injected cma.release of chunk 4, and it was due at the same instant.
    const release = /#(\d+) t=\S+ cma\.release\.freed \{"chunk":4\} \(cause #(\d+)\), started by #\2 cma\.release \{"chunk":4\} \(injected\)\n {4}wrote area buf[^\n]*; read by #(\d+)/.exec(writers);
    expect(release, writers).to.not.equal(null);
    expect(ties).to.match(new RegExp(`#${release![1]} cma\\.release\\.freed \\{"chunk":4\\} \\(cause #${release![2]}\\) ran after #\\d+.* at t=\\S+: both touch area buf`));
    // ... and says the explored order, not the engine's, ran the request's steps first there.
    const picked = r.failures[0].trace.choices.map((c) => c.seq);
    expect(ties).to.contain(`this run left the default order there: the engine alone runs ${picked.map((q) => `#${release![1]} before #${q}`).join(', ')}`);
  });

  it('on race 1, names the pin that made the first attempt fail -EBUSY', async () => {
    const d = await debug(['race1', '--eval', 'goto 0; next cma.attempt.failed; why']);
    expect(d.code, d.err).to.equal(0);
    const { chain, writers, ties } = sections(d.blocks[2]);
    expect(chain).not.to.contain('page.pin');
    expect(writers).to.match(/#6 t=\S+ page\.pin \{"id":"gup","file":"data","index":0\} \(injected\)\n {4}wrote page pins/);
    expect(ties).to.match(/#6 page\.pin .* ran before #7 /);
    expect(ties).not.to.contain('left the default order'); // race 1 opened plainly runs the default order
  });

  it('why <path | page pfn> starts from the last change of the value; a model without footprints gets the chain only', async () => {
    const d = await debug([COUNTER, '--eval', 'goto end; why cells.x; why 3']);
    expect(d.code, d.err).to.equal(0);
    const [head, ...chain] = d.blocks[1].split('\n');
    expect(head).to.match(/^cells\.x: \d+ -> \d+ at #(\d+), because:$/);
    expect(chain[chain.length - 1]).to.match(new RegExp(`^ *#${/at #(\d+)/.exec(head)![1]} `));
    expect(d.blocks[1]).not.to.contain('written in between');
    const p = await debug(['race1', '--eval', 'why page 0xc00']);
    expect(p.blocks[0]).to.match(/^page 0xc00: "page cache #0, pinned x1, pageblock CMA" -> "page cache #0, pageblock CMA" at #59, because:\n#59 t=\S+ page\.unpin/);
  });
});
