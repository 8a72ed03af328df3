import { expect } from 'chai';
import { join } from 'node:path';
import { runCli } from '../cli/runCli.ts';
import { runToHistory } from '../../../lib/run/runToHistory.ts';
import { pageState } from '../../../models/memory/queries.ts';
import { race } from '../../../examples/races/race1.ts';

const RACE1 = join(import.meta.dirname, '..', '..', '..', 'examples', 'races', 'race1.ts');
const COUNTER = join(import.meta.dirname, 'fixtures', 'counterTarget.ts');

async function run(cmds: string, target = RACE1): Promise<{ code: number; blocks: string[]; err: string }> {
  const { code, out, err } = await runCli(['debug', target, '--eval', cmds]);
  return { code, err, blocks: out.split(/^> .*\n/m).slice(1).map((b) => b.replace(/\n$/, '')) };
}

describe('debugger commands in kernel terms (page, pageblock, area, request)', () => {
  const h = runToHistory(race);
  const base = race.initial.cma.areas.cam.basePfn;
  const hex = (n: number) => `0x${n.toString(16)}`;
  const isolated = [...h.envelopes(1, h.lastSeq)].find((e) => e.event.type === 'cma.isolated')!.seq;

  it('page <pfn>: the page now, and every event that changed it, newest first', async () => {
    const pfn = base + 1;
    const r = await run(`goto end; page ${hex(pfn)}`);
    expect(r.code, r.err).to.equal(0);
    const lines = r.blocks[1].split('\n');
    expect(lines[0]).to.equal(`page ${hex(pfn)}: taken (cma:cam), pageblock CMA`);
    expect(lines).to.include('  in chunk 1 of camera (pins 0)');
    const key = (seq: number) => { const p = pageState(h.stateAt(seq).model, pfn); return JSON.stringify([p.kind, p.owner, p.pins, p.migratetype, p.dirty]); };
    const truth: number[] = [];
    for (let s = h.lastSeq; s >= 1; s--) if (key(s) !== key(s - 1)) truth.push(s);
    const listed = lines.filter((l) => /^ {4}#\d+ /.test(l)).map((l) => Number(/#(\d+)/.exec(l)![1]));
    expect(listed).to.deep.equal(truth.slice(0, 8));
    expect(r.blocks[1]).to.match(/-> taken \(cma:cam\); pageblock ISOLATE -> CMA/);
  });

  it('pageblock: range, migratetype under isolation, what its pages hold', async () => {
    const r = await run(`goto ${isolated}; pageblock ${hex(base)}; pageblock ${base / 512}`);
    expect(r.code, r.err).to.equal(0);
    expect(r.blocks[1]).to.match(new RegExp(`^pageblock ${base / 512}: ${hex(base)}-${hex(base + 511)}, migratetype ISOLATE \\(isolated from CMA\\), reserved for CMA, \\d+ free page\\(s\\), 1 pinned\\n`));
    const counts = r.blocks[1].split('\n').slice(1).map((l) => Number(/: (\d+) \(/.exec(l)![1]));
    expect(counts.reduce((a, b) => a + b, 0)).to.equal(512);
    expect(r.blocks[2]).to.equal(r.blocks[1]);
  });

  it('area: used and available pages, maxchunk, bitmap runs, who holds them', async () => {
    const r = await run(`goto ${isolated}; area cam; goto end; area`);
    expect(r.code, r.err).to.equal(0);
    expect(r.blocks[1]).to.contain(`used 256, available 768, maxchunk 768 pages; bitmap runs: ${hex(base)}-${hex(base + 255)}`);
    expect(r.blocks[1]).to.contain(`request 1 (camera, 256 pages): migrating on ${hex(base)}-${hex(base + 255)}`);
    expect(r.blocks[3]).to.contain(`used 256, available 768, maxchunk 767 pages; bitmap runs: ${hex(base + 1)}-${hex(base + 256)}`);
    expect(r.blocks[3]).to.contain(`chunk 1: ${hex(base + 1)}-${hex(base + 256)} held by camera (pid 101)`);
  });

  it('request: outcome in words and the phases over time with the locks held', async () => {
    const r = await run('goto end; request 1');
    expect(r.code, r.err).to.equal(0);
    const req = h.stateAt(h.lastSeq).model.cma.requests[1];
    expect(r.blocks[1]).to.contain(`  outcome: got ${hex(base + 1)}-${hex(base + 256)} in cam after 1 busy retry`);
    const spans = r.blocks[1].split('\n').filter((l) => / holding /.test(l));
    expect(spans).to.have.length(req.spans!.length);
    expect(spans[0]).to.match(/ 1ms \+20ns +search holding cam\.lock$/);
    expect(spans.filter((l) => /migration holding cam\.alloc_mutex/.test(l))).to.have.length(2);
  });

  it('request and diff: every lock wait reads waiting-lock, lock owners read a<id>', async () => {
    const searched = [...h.envelopes(1, h.lastSeq)].find((e) => e.event.type === 'cma.search.done')!.seq;
    expect(h.stateAt(searched).model.cma.requests[1].status).to.equal('waiting-contig-lock');
    const r = await run(`goto ${searched}; request 1; diff ${searched - 1} ${searched}`);
    expect(r.code, r.err).to.equal(0);
    expect(r.blocks[1]).to.contain('  status waiting-lock, candidate').and.contain(`  outcome: waiting-lock on ${hex(base)}-${hex(base + 255)}`);
    expect(r.blocks[2]).to.contain('  locks held: cam.lock by a1 -> cam.alloc_mutex by a1');
  });

  it('watch page <pfn>: continue stops where the page changes, back-to-write finds the last change', async () => {
    const pfn = base + 1;
    const state = (seq: number) => { const p = pageState(h.stateAt(seq).model, pfn); return JSON.stringify([p.kind, p.owner, p.pins, p.migratetype, p.dirty]); };
    const changes: number[] = [];
    for (let s = 1; s <= h.lastSeq; s++) if (state(s) !== state(s - 1)) changes.push(s);
    const r = await run(`watch page ${hex(pfn)}; back-to-write; goto 0; continue; continue`);
    expect(r.code, r.err).to.equal(0);
    expect(r.blocks[0]).to.equal(`watch page ${hex(pfn)} = "taken (cma:cam), pageblock CMA"`);
    expect(r.blocks[1]).to.match(new RegExp(`^\\[main\\] #${changes[changes.length - 1]} [^]*\\n {2}page ${hex(pfn)}: "free, pageblock ISOLATE" -> "taken \\(cma:cam\\), pageblock CMA"$`));
    expect(r.blocks[3]).to.match(new RegExp(`^\\[main\\] #${changes[0]} [^]*stopped: watch page ${hex(pfn)}: "page cache #0, pageblock CMA" -> "page cache #0, pageblock ISOLATE"`));
    expect(r.blocks[4]).to.match(new RegExp(`^\\[main\\] #${changes[1]} `));
  });

  it('watch bitmap <area> [bits]: continue stops where those bits change, back-to-write and why find the last change', async () => {
    // The truth from the allocator state itself: which of bits 0..255 are set after each event.
    const bits = (seq: number) => { const u = h.stateAt(seq).model.cma.areas.cam.alloc as unknown as { used: number[] }; return JSON.stringify(u.used.map((b) => Math.min(b, 256))); };
    const changes: number[] = [];
    for (let s = 1; s <= h.lastSeq; s++) if (bits(s) !== bits(s - 1)) changes.push(s);
    expect(changes).to.have.length(3); // reserve the first candidate, clear it after -EBUSY, reserve the retry's
    const r = await run('goto 0; watch bitmap cam 0-255; continue; continue; continue; continue; goto end; back-to-write; why bitmap cam 256; watch bitmap cam 1024');
    expect(r.blocks[1]).to.equal('watch bitmap cam 0-255 = "clear"');
    expect(r.blocks[2]).to.match(new RegExp(`^\\[main\\] #${changes[0]} [^]*stopped: watch bitmap cam 0-255: "clear" -> "set: bits 0-255 \\(${hex(base)}-${hex(base + 255)}\\)"$`));
    expect(r.blocks[3]).to.match(new RegExp(`^\\[main\\] #${changes[1]} [^]*-> "clear"$`));
    expect(r.blocks[4]).to.match(new RegExp(`^\\[main\\] #${changes[2]} [^]*-> "set: bits 1-255 \\(${hex(base + 1)}-${hex(base + 255)}\\)"$`));
    expect(r.blocks[5]).to.equal(`no match after #${changes[2]}`);
    expect(r.blocks[7]).to.match(new RegExp(`^\\[main\\] #${changes[2]} [^]*\\n  bitmap cam bits 0-255: "clear" -> "set: bits 1-255`));
    expect(r.blocks[8]).to.match(new RegExp(`^bitmap cam bits 256-256: "clear" -> "set: bits 256-256 \\(${hex(base + 256)}-${hex(base + 256)}\\)" at #${changes[2]}, because:\\n#1 `));
    expect(r.code).to.equal(2);
    expect(r.err).to.equal("cma-sim debug: command 10 'watch bitmap cam 1024': bits 1024-1024: area cam's bitmap has bits 0-1023\n");
  });

  it('on a run of another model they are one-line errors', async () => {
    const r = await run('page 1', COUNTER);
    expect(r.code).to.equal(2);
    expect(r.err).to.equal("cma-sim debug: command 1 'page 1': this command reads CMA state; this run's model is 'counter'\n");
  });
});
