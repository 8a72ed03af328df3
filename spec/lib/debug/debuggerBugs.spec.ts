import { expect } from 'chai';
import { join } from 'node:path';
import { runCli } from '../cli/runCli.ts';
import { complete, interruptHandler } from '../../../lib/debug/repl.ts';
import { scanBackward, scanForward, type StepTest } from '../../../lib/debug/scan.ts';
import { DebugSession } from '../../../lib/debug/session.ts';
import { runToHistory } from '../../../lib/run/runToHistory.ts';
import { pluginFor } from '../../../lib/debug/cmaPlugin.ts';
import { runnable as counter } from './fixtures/counterTarget.ts';
import { BASE, runnable as video } from './fixtures/videoArea.ts';

const VIDEO = join(import.meta.dirname, 'fixtures', 'videoArea.ts');
const COUNTER = join(import.meta.dirname, 'fixtures', 'counterTarget.ts');

async function debug(args: string[]): Promise<{ code: number; err: string; blocks: string[] }> {
  const { code, out, err } = await runCli(['debug', ...args]);
  return { code, err, blocks: out.split(/^> .*\n/m).slice(1).map((b) => b.replace(/\n$/, '')) };
}

/** The seqs at which `read` of the state changed, newest first, by brute force over every state. */
function changesOf(h: { lastSeq: number; stateAt(seq: number): { model: any } }, read: (m: any) => unknown, upTo = h.lastSeq): number[] {
  const out: number[] = [];
  for (let s = upTo; s >= 1; s--) if (JSON.stringify(read(h.stateAt(s).model)) !== JSON.stringify(read(h.stateAt(s - 1).model))) out.push(s);
  return out;
}

describe('debugger bugs of issue 17', () => {
  const vh = runToHistory(video);

  it("paths take the names tab completion offers: print cma.areas.video-a ('-' is not minus)", async () => {
    const s = new DebugSession(vh, pluginFor(video));
    const [offered] = complete(s, 'print cma.areas.vid');
    expect(offered).to.deep.equal(['cma.areas.video-a']);
    const r = await debug([VIDEO, '--eval', `goto 10; print ${offered[0]}.available; print cma.areas["video-a"].count; goto 0; next cma.areas.video-a.available < 1024`]);
    expect(r.code, r.err).to.equal(0);
    expect(r.blocks[1]).to.equal(String(vh.stateAt(10).model.cma.areas['video-a'].available));
    expect(r.blocks[2]).to.equal('1024');
    const first = changesOf(vh, (m) => m.cma.areas['video-a'].available < 1024).pop();
    expect(r.blocks[4]).to.match(new RegExp(`^\\[main\\] #${first} `));
  });

  it('back-to-write on a page path finds the event that changed that page (dot and bracket paths), not any pageblock write', async () => {
    const page = (m: any) => m.memory.pageblocks[6].pages[1];
    expect(vh.stateAt(0).model.memory.pageblocks[6] !== undefined && BASE === 6 * 512).to.equal(true);
    const writes = changesOf(vh, page);
    expect(writes.length).to.be.greaterThan(2);
    // From just before the release, the previous change of this page is far back: events between
    // rewrote memory.pageblocks (other pages, pins) without touching it.
    const from = writes[0] - 1;
    const r = await debug([VIDEO, '--eval', `goto ${from}; back-to-write memory.pageblocks[6].pages[1]; back-to-write memory.pageblocks.6.pages.1; goto ${from}; watch memory.pageblocks[6].pages[1]; back-to-write`]);
    expect(r.code, r.err).to.equal(0);
    expect(r.blocks[1]).to.match(new RegExp(`^\\[main\\] #${writes[1]} `));
    expect(r.blocks[2]).to.match(new RegExp(`^\\[main\\] #${writes[2]} `));
    expect(r.blocks[5]).to.match(new RegExp(`^\\[main\\] #${writes[1]} `));
    expect(writes[1]).to.be.lessThan(from - 1); // the bug answered from - 1 or so
  });

  it('break invariant names the invariant it stopped on', async () => {
    const r = await debug([COUNTER, '--eval', 'break invariant; goto 0; continue']);
    expect(r.code, r.err).to.equal(0);
    expect(r.blocks[2]).to.match(/stopped: breakpoint 1: invariant violated: sum \d+ exceeds 50000$/);
  });

  it('help <command> describes that command only', async () => {
    const r = await debug([COUNTER, '--eval', 'help why; help back-to-write; help']);
    expect(r.code, r.err).to.equal(0);
    expect(r.blocks[0]).to.match(/^why \[seq[^\n]*\]\n {2}the chain of events/);
    expect(r.blocks[0]).to.not.contain('step');
    expect(r.blocks[1]).to.match(/^back-to-write \[path \| page <pfn>[^\n]*\]\n/);
    expect(r.blocks[2].split('\n').length).to.be.greaterThan(20);
    const bad = await debug([COUNTER, '--eval', 'help frobnicate']);
    expect(bad.err).to.contain("no command 'frobnicate'");
  });

  it('diff summarises a CMA run by area, page state and request; the raw paths are behind --raw', async () => {
    const done = changesOf(vh, (m) => m.cma.requests[1]?.status).reverse().find((q) => vh.stateAt(q).model.cma.requests[1].status === 'done')!;
    const r = await debug([VIDEO, '--eval', `diff 0 ${done}; diff 0 ${done} --raw`]);
    expect(r.code, r.err).to.equal(0);
    const lines = r.blocks[0].split('\n');
    const hex = (n: number) => `0x${n.toString(16)}`;
    expect(lines[0]).to.equal(`from #0 to #${done}:`);
    expect(lines).to.include(`  area video-a: available 1024 -> 768 pages; reserved 256 (${hex(BASE)}-${hex(BASE + 255)})`);
    expect(lines).to.include(`  request 1 (camera, 256 pages): not submitted -> got ${hex(BASE)}-${hex(BASE + 255)} in video-a`);
    expect(lines.some((l) => /^ {2}pages page cache -> taken \(cma:video-a\): 256 \(|^ {2}pages pagecache -> taken/.test(l)), r.blocks[0]).to.equal(true);
    expect(lines.length).to.be.lessThan(15);
    expect(r.blocks[1]).to.match(/change\(s\) from #0 to #\d+\n~ /);
  });

  it('diff compares two timelines: diff main@end alt@end', async () => {
    const release = [...vh.envelopes(1, vh.lastSeq)].find((e) => e.event.type === 'cma.release')!.seq;
    const r = await debug([VIDEO, '--eval', `goto ${release - 1}; fork keep; drop ${release}; diff main@end keep@end; diff main@${release - 1} keep@end`]);
    expect(r.code, r.err).to.equal(0);
    expect(r.blocks[3]).to.match(/^from main@#\d+ to keep@#\d+:/);
    expect(r.blocks[3]).to.contain('area video-a: available 1024 -> 768 pages');
    expect(r.blocks[3]).to.contain('chunk 1 handed out');
    expect(r.blocks[4]).to.contain('no change');
  });

  it('goto takes the points diff takes: a seq, a time, start, end, or timeline@point, switching timeline', async () => {
    const release = [...vh.envelopes(1, vh.lastSeq)].find((e) => e.event.type === 'cma.release')!.seq;
    const r = await debug([VIDEO, '--eval', `goto ${release - 1}; fork keep; drop ${release}; goto main@end; where; goto keep@${release - 2}; goto start; goto 99999`]);
    expect(r.blocks[3]).to.equal(`[main] #${vh.lastSeq} ${r.blocks[3].slice(`[main] #${vh.lastSeq} `.length)}`);
    expect(r.blocks[4]).to.equal(r.blocks[3]);
    expect(r.blocks[5]).to.match(new RegExp(`^\\[keep\\] #${release - 2} `));
    expect(r.blocks[6]).to.equal('[keep] #0 (initial state, before any event)');
    expect(r.err).to.match(/command 8 'goto 99999': seq 99999 is past the end of this timeline \(\d+\)\n$/);
  });

  it('state-predicate searches run to their answer whatever it takes, reporting progress (no 800 ms budget)', function () {
    this.timeout(20_000);
    const h = runToHistory(counter, 16);
    const slow = (pred: (m: any) => boolean): StepTest<any, any> => ({
      needsState: true,
      check: (_env, st) => { const t = performance.now(); while (performance.now() - t < 15); return pred(st()) ? 'hit' : null; },
    });
    const ticks: number[] = [];
    const target = [...h.envelopes(1, h.lastSeq)].find((e) => h.stateAt(e.seq).model.sum > 40000)!.seq;
    expect(target).to.be.greaterThan(80); // > 1.2 s of checks at 15 ms each
    const f = scanForward(h, 0, h.lastSeq, [slow((m) => m.sum > 40000)], { onProgress: (at) => ticks.push(at), progressEveryMs: 100 });
    expect(f.seq).to.equal(target);
    expect(ticks.length).to.be.greaterThan(3);
    expect(ticks).to.deep.equal([...ticks].sort((a, b) => a - b));
    const b = scanBackward(h, h.lastSeq, [{ needsState: true, check: (_e, st) => (st().ticks < 10 ? 'hit' : null) }]);
    expect(b.seq).to.equal([...h.envelopes(1, h.lastSeq)].filter((e) => h.stateAt(e.seq).model.ticks < 10).pop()!.seq);
  });

  it('Ctrl-C does not leave at once: it names unsaved forks and leaves on a second Ctrl-C', () => {
    const s = new DebugSession(runToHistory(counter, 16), counter.plugin);
    let left = 0;
    const said: string[] = [];
    const onCtrlC = interruptHandler(s, (t) => said.push(t), () => { left++; });
    s.h.seek(60);
    s.fork('alt');
    onCtrlC('');
    expect(left).to.equal(0);
    expect(said.join('')).to.contain("1 fork(s) not saved: alt. 'save <file>' keeps them");
    onCtrlC('goto 5'); // a half-typed line: cleared, and the warning disarmed
    onCtrlC('');
    expect(left).to.equal(0);
    onCtrlC('');
    expect(left).to.equal(1);
    s.markSaved();
    expect(s.unsavedForks()).to.deep.equal([]);
  });
});
