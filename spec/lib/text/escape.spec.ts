import { expect } from 'chai';
import { escapeHtml, escapeMarkdown, jsonForScript, printable } from '../../../lib/text/escape.ts';
import { markdownReport } from '../../../lib/report/markdownReport.ts';
import { textReport } from '../../../lib/report/textReport.ts';
import { EVIL, smallRun } from '../../fixtures/report/smallRun.ts';

describe('text/escape', () => {
  it('HTML: markup characters become entities', () => {
    expect(escapeHtml(`<script>a&"b'</script>`)).to.equal('&lt;script&gt;a&amp;&quot;b&#39;&lt;/script&gt;');
  });

  it('script JSON cannot close its element', () => {
    const s = jsonForScript({ n: '</script><!--' });
    expect(s).not.to.match(/<|>/);
    expect(JSON.parse(s)).to.deep.equal({ n: '</script><!--' });
  });

  it('Markdown: no raw HTML, no table-breaking pipe, no emphasis, no line break', () => {
    const m = escapeMarkdown('<b>x</b>|*y*_z_`c`[l](u)\nnext');
    expect(m).not.to.match(/<|(?<!\\)\||(?<!\\)\*|\n/);
    expect(m).to.equal('&lt;b&gt;x&lt;/b&gt;\\|\\*y\\*\\_z\\_\\`c\\`\\[l\\](u)\\\\x0anext'); // printable shows the newline as \x0a; its backslash is escaped too
  });

  it('terminal: control sequences are shown, not sent', () => {
    expect(printable('a\x1b[31mred\n')).to.equal('a\\x1b[31mred\\x0a');
  });

  it('a hostile device name stays text in the Markdown report', () => {
    const md = markdownReport(smallRun);
    expect(md).not.to.include('<script>');
    expect(md).to.include('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;\\|\\*a,b\\*');
    // every table row keeps the header's column count (an unescaped | would add one)
    for (const block of md.split('\n\n').filter((b) => b.startsWith('|'))) {
      const cols = block.trimEnd().split('\n').map((l) => l.split(/(?<!\\)\|/).length);
      expect(new Set(cols).size, block).to.equal(1);
    }
  });

  it('the terminal report lists every device once per device table and keeps columns aligned', () => {
    const txt = textReport(smallRun);
    expect(txt).to.include(EVIL);
    const devTable = txt.split('\n\n').find((b) => b.startsWith('Latency by device'))!.split('\n');
    const col = devTable[1].indexOf('count');
    expect(devTable.slice(3).every((l) => /\d/.test(l.slice(col, col + 5)))).to.equal(true);
  });
});

describe('text/escape: printable', () => {
  it('shows C0, C1, DEL and the Unicode line separators as escapes', () => {
    expect(printable('a\x07b\x7fc\x9bd\u2028e\r\tf')).to.equal('a\\x07b\\x7fc\\x9bd\\u2028e\\x0d\\x09f');
  });

  it('doubles a backslash that would read as an escape, so the text reads back unambiguously', () => {
    expect(printable('dev\\x0a')).to.equal('dev\\\\x0a');
    expect(printable('dev\n')).to.equal('dev\\x0a');
    expect(printable('C:\\dir')).to.equal('C:\\dir');
  });
});
