import { expect } from 'chai';
import { isReportFormat, renderReport, REPORT_FILE, REPORT_FORMATS } from '../../../lib/report/renderReport.ts';
import { smallRun } from '../../fixtures/report/smallRun.ts';

describe('report/renderReport', () => {
  it('renders every format, byte-identically for equal input, each to its own file name', () => {
    for (const f of REPORT_FORMATS) {
      const out = renderReport(smallRun, f);
      expect(out.length, f).to.be.greaterThan(100);
      expect(renderReport(structuredClone(smallRun), f), f).to.equal(out);
    }
    expect(new Set(Object.values(REPORT_FILE)).size).to.equal(REPORT_FORMATS.length);
  });

  it('knows its format names', () => {
    expect(isReportFormat('html')).to.equal(true);
    expect(isReportFormat('ftrace')).to.equal(false); // lib/trace's business
    expect(isReportFormat('__proto__')).to.equal(false);
  });
});
