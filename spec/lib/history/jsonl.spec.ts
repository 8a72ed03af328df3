import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { exportLog, importLog, logLines, parseLog, stateHash, LogFormatError } from '../../../lib/history/index.ts';
import { counterInitial, counterModel } from '../../fixtures/counterModel.ts';
import { counterRun } from '../../fixtures/counterRun.ts';
import { rechain } from '../../fixtures/rechain.ts';

const text = (seed: number) => [...logLines(counterRun(seed), seed)].join('');

/** Parse `t` and return the LogFormatError message (or fail the test). */
function errorOf(t: string): string {
  try {
    parseLog(t, 'run.jsonl', counterModel);
  } catch (e) {
    expect(e).to.be.instanceOf(LogFormatError);
    return (e as Error).message;
  }
  throw new Error('expected a LogFormatError');
}

describe('JSONL log', () => {
  it('is byte-identical for the same seed, twice in one process and across two processes', () => {
    const a = text(11);
    expect(text(11)).to.equal(a);
    const require = createRequire(import.meta.url);
    const out = execFileSync(process.execPath, [require.resolve('tsx/cli'), 'spec/fixtures/counterRun.ts', '11'], { encoding: 'utf8' });
    expect(out).to.equal(a);
    expect(text(12)).to.not.equal(a);
  });

  it('starts with a header naming format, version, seed, model and the initial state hash', () => {
    const header = JSON.parse(text(3).split('\n')[0]);
    expect(header).to.include({ format: 'cma-sim-log', version: 1, seed: 3 });
    expect(header.model).to.deep.equal({ name: 'counter', version: '1' });
    expect(header.initialHash).to.equal(stateHash(counterRun(3).stateAt(0)));
  });

  it('re-imports and replays to the same final state hash, atomically written', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cma-sim-log-'));
    const file = path.join(dir, 'run.jsonl');
    const h = counterRun(21);
    exportLog(file, h, 21);
    expect(readdirSync(dir)).to.deep.equal(['run.jsonl']); // no temporary left behind
    const back = importLog(file, counterModel, counterInitial);
    expect(back.finalHash).to.equal(stateHash(h.engine.state));
    expect(back.history.lastSeq).to.equal(h.lastSeq);
    expect(back.history.stateAt(77)).to.deep.equal(h.stateAt(77));
    // The queue at the end was restored, so the imported run can go on or be forked identically.
    expect(back.history.pendingAt(50).map((p) => p.seq)).to.deep.equal(h.pendingAt(50).map((p) => p.seq));
  });

  describe('bad input: one line naming file and line', () => {
    const good = text(4);
    const lines = good.split('\n');

    it('malformed JSON', () => {
      const t = [...lines]; t[5] = '{"seq": 5,';
      expect(errorOf(t.join('\n'))).to.match(/^run\.jsonl:6: malformed JSON/);
    });
    it('unknown event type', () => {
      const t = [...lines]; t[3] = t[3].replace('"type":"tick"', '"type":"tock"');
      expect(errorOf(t.join('\n'))).to.match(/^run\.jsonl:4: hash chain broken/);
      // With a re-chained file the type itself is reported.
      expect(errorOf(rechain(t))).to.equal("run.jsonl:4: unknown event type 'tock'");
    });
    it('wrong field type', () => {
      const t = [...lines]; t[2] = t[2].replace(/"left":\d+/, '"left":"many"');
      expect(errorOf(rechain(t))).to.match(/^run\.jsonl:3: tick: field 'left' must be an integer, got "many"$/);
    });
    it('broken hash chain (reordered lines)', () => {
      const t = [...lines]; [t[7], t[8]] = [t[8], t[7]];
      expect(errorOf(t.join('\n'))).to.match(/^run\.jsonl:8: (hash chain broken|expected seq)/);
    });
    it('truncated file', () => {
      expect(errorOf(lines.slice(0, 20).join('\n'))).to.equal('run.jsonl:20: truncated: the end-of-log footer is missing');
    });
    it('unsupported version', () => {
      const t = [...lines]; t[0] = t[0].replace('"version":1', '"version":9');
      expect(errorOf(t.join('\n'))).to.equal('run.jsonl:1: unsupported log version 9 (this cma-sim reads version 1)');
    });
    it('a file that cannot be read', () => {
      expect(() => importLog('/nonexistent/x.jsonl', counterModel, counterInitial)).to.throw('/nonexistent/x.jsonl:0: cannot read: ENOENT');
    });
    it('nothing is replayed past an error: a tampered last event fails before any replay', () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'cma-sim-log-'));
      const file = path.join(dir, 'bad.jsonl');
      const t = [...lines]; t[t.length - 3] = t[t.length - 3].replace(/"time":(\d+)/, (_, x) => `"time":${Number(x) + 1}`);
      writeFileSync(file, t.join('\n'));
      expect(() => importLog(file, counterModel, counterInitial)).to.throw(LogFormatError, /hash chain broken/);
      expect(readFileSync(file, 'utf8')).to.equal(t.join('\n'));
    });
  });

  describe('keyed chain (--key)', () => {
    const key = new TextEncoder().encode('a secret of 16+ bytes');
    const keyed = [...logLines(counterRun(5), 5, undefined, { key })].join('');

    it('verifies under its key and under no other, and a keyed reader refuses an unkeyed log', () => {
      expect(JSON.parse(keyed.split('\n')[0]).mac).to.equal('hmac-sha256');
      expect(parseLog(keyed, 'k.jsonl', counterModel, { key }).lines.length).to.equal(counterRun(5).lastSeq);
      expect(() => parseLog(keyed, 'k.jsonl', counterModel, { key: new TextEncoder().encode('another secret, 16+ b') })).to.throw(LogFormatError, /^k\.jsonl:2: hash chain broken: the line does not verify under this key/);
      expect(() => parseLog(keyed, 'k.jsonl', counterModel)).to.throw(LogFormatError, /^k\.jsonl:1: the log is keyed/);
      expect(() => parseLog(text(5), 'u.jsonl', counterModel, { key })).to.throw(LogFormatError, /^u\.jsonl:1: the log is not keyed/);
      expect(() => [...logLines(counterRun(5), 5, undefined, { key: new Uint8Array(8) })]).to.throw(RangeError, /at least 16 bytes/);
    });
  });
});

