import { expect } from 'chai';
import { htmlReport, latencyBins } from '../../../lib/report/htmlReport.ts';
import { smallRun } from '../../fixtures/report/smallRun.ts';

describe('report/htmlReport (static checks; the browser test is htmlReport.browser.spec.ts)', () => {
  const html = htmlReport(smallRun);

  it('escapes every scenario string: the hostile device name never becomes markup', () => {
    expect(html).not.to.include('<script>alert');
    expect(html).to.include('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;|*a,b*');
    expect(html).to.include('<title>cma-sim report: small &lt;fixture&gt; &amp; co</title>');
    expect(html.match(/<script/g)).to.have.length(2); // our data block and our script, nothing else
  });

  it('is self-contained: no URL, no external resource, a CSP that forbids fetching', () => {
    expect(html).not.to.match(/https?:|\/\/[a-z]|\bsrc=|\bhref=/i);
    expect(html).to.include("default-src 'none'");
  });

  it('has the charts and one map cell per pageblock', () => {
    for (const id of ['chart-cdf', 'chart-histogram', 'chart-utilisation', 'chart-fragmentation', 'chart-free', 'chart-pagecache', 'chart-migrations']) {
      expect(html).to.include(`id="${id}"`);
    }
    expect(html.match(/<rect class="pb /g)).to.have.length(8); // 2 areas x 4 pageblocks
    expect(html).to.include('max="3"'); // 4 map frames
  });

  it('bins latencies by powers of two', () => {
    expect(latencyBins([1, 3, 4, 7, 8])).to.deep.equal([
      { label: '≥1ns', value: 1 }, { label: '≥2ns', value: 1 }, { label: '≥4ns', value: 2 }, { label: '≥8ns', value: 1 }]);
    expect(latencyBins([])).to.deep.equal([]);
  });
});
