import { expect } from 'chai';
import { csvReport } from '../../../lib/report/csvReport.ts';
import { csvField } from '../../../lib/text/csv.ts';
import { EVIL, smallRun } from '../../fixtures/report/smallRun.ts';

/** Minimal RFC 4180 reader, to check the writer by round trip. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [], f = '', i = 0, quoted = false;
  while (i < text.length) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { f += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i++; continue; }
      f += c; i++; continue;
    }
    if (c === '"') { quoted = true; i++; continue; }
    if (c === ',') { row.push(f); f = ''; i++; continue; }
    if (c === '\r' && text[i + 1] === '\n') { row.push(f); rows.push(row); row = []; f = ''; i += 2; continue; }
    f += c; i++;
  }
  return rows;
}

describe('report/csvReport (RFC 4180)', () => {
  it('quotes fields with comma, quote, CR or LF, doubling inner quotes', () => {
    expect(csvField('plain')).to.equal('plain');
    expect(csvField('a,b')).to.equal('"a,b"');
    expect(csvField('say "hi"')).to.equal('"say ""hi"""');
    expect(csvField('two\nlines')).to.equal('"two\nlines"');
    expect(csvField('cr\r')).to.equal('"cr\r"');
    expect(csvField(null)).to.equal('');
    expect(csvField(-16)).to.equal('-16');
  });

  it('one CRLF-terminated row per request that reads back to the same values', () => {
    const text = csvReport(smallRun);
    expect(text.endsWith('\r\n')).to.equal(true);
    const rows = parseCsv(text);
    expect(rows).to.have.length(1 + smallRun.requests.length);
    const head = rows[0];
    expect(rows.every((r) => r.length === head.length)).to.equal(true);
    const evil = rows.find((r) => r[head.indexOf('id')] === '3')!;
    expect(evil[head.indexOf('device')]).to.equal(EVIL);
    expect(evil[head.indexOf('result')]).to.equal('-ENOMEM');
    expect(evil[head.indexOf('latency_ns')]).to.equal('2090000');
    const inFlight = rows.find((r) => r[head.indexOf('id')] === '5')!;
    expect(inFlight[head.indexOf('finished_ns')]).to.equal('');
  });
});
