import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import { JSON_SCHEMA_VERSION, jsonReport } from '../../../lib/report/jsonReport.ts';
import { smallRun } from '../../fixtures/report/smallRun.ts';

const GOLDEN = new URL('../../fixtures/report/smallRun.report.json', import.meta.url);

describe('report/jsonReport', () => {
  it('matches the golden report of the small fixture byte for byte (UPDATE_GOLDEN=1 rewrites it)', () => {
    const out = jsonReport(smallRun);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(GOLDEN, out);
    expect(out).to.equal(readFileSync(GOLDEN, 'utf8'));
  });

  it('is versioned, and deterministic for equal input', () => {
    const r = JSON.parse(jsonReport(smallRun));
    expect(r.schemaVersion).to.equal(JSON_SCHEMA_VERSION);
    expect(r.percentiles).to.equal('nearest-rank');
    expect(jsonReport(structuredClone(smallRun))).to.equal(jsonReport(smallRun));
  });

  it('derives series: utilisation, fragmentation and migration rate', () => {
    const s = JSON.parse(jsonReport(smallRun)).series;
    expect(s.t).to.deep.equal([0, 1e6, 3e6, 5e6]);
    expect(s.areas[0].utilisation[1]).to.equal(256 / 2048);
    expect(s.areas[0].fragmentation[1]).to.equal(1 - 1024 / 1536);
    // 112 pages over the first simulated millisecond = 112 000 pages/s
    expect(s.migrationsPerSec).to.deep.equal([0, 112_000, 50_000, 3_500]);
  });
});
