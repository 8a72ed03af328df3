import { expect } from 'chai';
import { join } from 'node:path';
import { runCli } from '../cli/runCli.ts';
import { race } from '../../../examples/races/race1.ts';

const RACE1 = join(import.meta.dirname, '..', '..', '..', 'examples', 'races', 'race1.ts');

async function run(cmds: string): Promise<{ code: number; blocks: string[]; err: string }> {
  const { code, out, err } = await runCli(['debug', RACE1, '--eval', cmds]);
  return { code, err, blocks: out.split(/^> .*\n/m).slice(1).map((b) => b.replace(/\n$/, '')) };
}

describe('debugger CMA plugin (print page, print request, map)', () => {
  const base = race.initial.cma.areas.cam.basePfn;

  it('print request shows the request as a process: status, attempts, retries', async () => {
    const r = await run('print request 1; goto 0; next type == \'cma.isolated\'; print request 1');
    expect(r.code, r.err).to.equal(0);
    // The default order is the pin first: -EBUSY, then the retry one page further (reference §2 step 5).
    expect(r.blocks[0]).to.match(/^request 1 from camera \(pid 101\): 256 pages, align 0, areas cam, lock mode per-area\n {2}status done, errno 0, pfn 0x[0-9a-f]+, retries 1/);
    expect(r.blocks[0]).to.match(/attempt 1: cam 0x[0-9a-f]+\+256: .* -> -EBUSY\n {2}attempt 2: cam 0x[0-9a-f]+\+256: .* -> ok$/);
    expect(r.blocks[3]).to.match(/status migrating, candidate 0x[0-9a-f]+, retries 0/);
  });

  it('print page names the page, its pageblock, pins and the request whose candidate covers it', async () => {
    const r = await run(`goto start; next type == 'cma.isolated'; print page 0x${base.toString(16)}; print page ${base + 1}`);
    expect(r.code, r.err).to.equal(0);
    expect(r.blocks[2]).to.match(new RegExp(`^page 0x${base.toString(16)}: page cache data\\[\\d+\\], pageblock ISOLATE, pinned x1\\n {2}in area cam \\(\\+0\\)\\n {2}in candidate of request 1 \\(migrating\\)$`));
    expect(r.blocks[3]).to.match(/pageblock ISOLATE\n/);
  });

  it('map draws the area: page cache before, the taken chunk after', async () => {
    const r = await run('goto 0; map cam; goto end; map');
    expect(r.code, r.err).to.equal(0);
    const rows = (b: string) => b.split('\n').filter((l) => /^ +0x/.test(l));
    expect(rows(r.blocks[1])).to.have.length(2); // 4 MiB = two 2 MiB pageblocks
    expect(rows(r.blocks[1]).every((l) => /CMA +p{64}$/.test(l))).to.equal(true);
    expect(rows(r.blocks[3])[0]).to.match(/CMA +#{32}/); // 256 pages at 8 pages a glyph
  });

  it('bad plugin arguments are one-line errors', async () => {
    const r = await run('print request 99');
    expect(r.code).to.equal(2);
    expect(r.err).to.contain('no request 99 (have: 1)');
    const p = await run('print page banana');
    expect(p.err).to.contain("expected a pfn (decimal or 0x hex), got 'banana'");
  });
});
