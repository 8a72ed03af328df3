import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkScenario } from '../../../lib/scenario/scenario.ts';
import { runImport, runReplayTrace } from '../../../lib/trace/traceCommands.ts';
import { TRACE_DIR, realTrace, simRecordOf } from './fixtures.ts';

const name = 'smoke-3g-misaligned';
const file = `${TRACE_DIR}${name}.trace.txt`;
const dmesg = `${TRACE_DIR}${name}.dmesg.txt`;

describe('trace commands', () => {
  it('import prints a scenario lib/scenario accepts; --area overrides dmesg', () => {
    const json = runImport({ file, dmesg, area: ['reserved=512M@0xa0000000'] });
    const s = checkScenario(JSON.parse(json));
    expect(s.cma.areas.find((a) => a.name === 'reserved')).to.include({ size: 512 * 2 ** 20, base: 0xa0000000 });
    expect(s.cma.areas.find((a) => a.name === 'hugetlb0')).to.include({ base: 0xbf800000 });
  });

  it('import --out writes the scenario and returns a summary', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cma-trace-'));
    try {
      const out = path.join(dir, 'scenario.json');
      const text = runImport({ file, dmesg, out });
      expect(text).to.include(`${file}: ftrace text, ${realTrace(name).lines} lines, cma events of the 6.1 generation`);
      expect(text).to.include('requests: 12 (11 succeeded, 1 failed), busy retries 0, releases 4');
      expect(text).to.include('skipped 181 other event lines: mm_compaction_isolate_migratepages 41');
      expect(text).to.include('areas: reserved=256M@0xac800000 hugetlb0=1G@0xbf800000');
      expect(JSON.parse(readFileSync(out, 'utf8')).workload[0].generator).to.equal('replay');
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('import without areas names the missing one; a bad --area names the token', () => {
    expect(() => runImport({ file })).to.throw("area 'reserved' has no size and base");
    expect(() => runImport({ file, area: ['reserved=256M'] })).to.throw("--area 'reserved=256M': not of the form name=size@base");
  });

  it('replay-trace hands the scenario to the simulation and reports divergence and calibration', () => {
    const t = realTrace(name);
    let seen: unknown = null;
    const text = runReplayTrace({
      file, dmesg, calibrate: true,
      simulate: (scenario) => {
        seen = scenario;
        return t.requests.map((r) => simRecordOf(r, r.seq === 3 ? { pfn: r.pfn + 2 } : {}));
      },
    });
    expect((seen as { workload: { events: unknown[] }[] }).workload[0].events).to.have.length(16);
    expect(text).to.include('first divergence at request #3 (placement): trace placed it at +0x180, simulation at +0x182');
    expect(text).to.include('placement agrees: 10/11');
    expect(text).to.include('isolation phase: isolate ns = fixed + perPageblock × pageblocks (n=11)');
  });
});
