import { expect } from 'chai';
import { csvField, csvText } from '../../../lib/text/csv.ts';
import { sweepCsv } from '../../../lib/cli/sweepTable.ts';
import type { RunSummary } from '../../../lib/scenario/runScenario.ts';

describe('text/csv', () => {
  it('guards cells a spreadsheet would run as a formula (OWASP CSV injection)', () => {
    expect(csvField('=HYPERLINK("http://x","y")')).to.equal(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvField('+1+cmd|\' /C calc\'!A0')).to.equal(`"'+1+cmd|' /C calc'!A0"`);
    expect(csvField('-2+3')).to.equal(`"'-2+3"`);
    expect(csvField('@SUM(A1)')).to.equal(`"'@SUM(A1)"`);
    expect(csvField('\t=1')).to.equal(`"'\t=1"`);
    expect(csvField('\r=1')).to.equal(`"'\r=1"`);
  });

  it('leaves numbers and kernel errno names as they are: a spreadsheet cannot run them', () => {
    expect([csvField(-16), csvField('-16'), csvField('+1.5'), csvField('-EBUSY'), csvField('a=b')]).to.deep.equal(['-16', '-16', '+1.5', '-EBUSY', 'a=b']);
  });

  it('writes CRLF after every line, the header included', () => {
    expect(csvText(['a', 'b'], [['x,y', null], [1, 'q"']])).to.equal('a,b\r\n"x,y",\r\n1,"q"""\r\n');
  });

  it('the sweep CSV uses the same writer: CRLF, and a hostile --vary label is guarded', () => {
    const row = { seed: 1, metrics: { events: 5 }, finalHash: 'abc', assertions: [], violations: [] } as unknown as RunSummary;
    const text = sweepCsv([{ label: '=cmd()', rows: [row] }]);
    expect(text).to.equal(`variant,seed,events,fatal,hash,error\r\n"'=cmd()",1,5,0,abc,\r\n`);
  });
});
