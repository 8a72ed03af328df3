import { expect } from 'chai';
import { JsonSyntaxError, parseJsonWithPositions } from '../../../lib/scenario/parseJson.ts';
import { parseDuration, parseSize } from '../../../lib/scenario/units.ts';

describe('parseJsonWithPositions', () => {
  it('parses like JSON.parse and records where each value starts', () => {
    const text = '{\n  "a": [1, {"b": "x"}],\n  "c d": null\n}';
    const p = parseJsonWithPositions(text);
    expect(p.value).to.deep.equal(JSON.parse(text));
    expect(p.positions.get('a[1].b')).to.deep.equal({ line: 2, column: 18 });
    expect(p.positions.get('["c d"]')).to.deep.equal({ line: 3, column: 10 });
  });

  const bad: [string, string][] = [
    ['{"a": 1,\n "b": }', '2:7: expected a JSON value, got "}"'],
    ['{"a": 1 "b": 2}', "1:9: expected ',' or '}', got \"\\\"\""],
    ['[1, 2', "1:6: expected ',' or ']', got end of input"],
    ['{"a": 1, "a": 2}', '1:10: duplicate key "a"'],
    ['{"a": "x\\q"}', '1:10: expected an escape'],
  ];
  for (const [text, msg] of bad) {
    it(`reports line:column for ${JSON.stringify(text)}`, () => {
      expect(() => parseJsonWithPositions(text)).to.throw(JsonSyntaxError, msg);
    });
  }
});

describe('sizes and durations', () => {
  it('reads sizes with binary suffixes and durations with units', () => {
    expect(parseSize('64M')).to.equal(64 * 2 ** 20);
    expect(parseSize('1.5K')).to.equal(1536);
    expect(parseSize('0x1000')).to.equal(4096);
    expect(parseSize('12 bananas')).to.equal(null);
    expect(parseDuration('12.5ms')).to.equal(12_500_000);
    expect(parseDuration('10s')).to.equal(10e9);
    expect(parseDuration('2us')).to.equal(2000);
    expect(parseDuration(1.5)).to.equal(null);
    expect(parseDuration('5 fortnights')).to.equal(null);
  });
});
