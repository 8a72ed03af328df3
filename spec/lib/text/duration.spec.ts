import { expect } from 'chai';
import { formatDuration, parseDuration } from '../../../lib/text/duration.ts';

describe('text/duration', () => {
  it('writes one format: a number directly followed by ns, us, ms or s', () => {
    expect([500, 1_000, 12_500_000, 2_000_000_000, 0].map((ns) => formatDuration(ns))).to.deep.equal(['500ns', '1us', '12.5ms', '2s', '0ns']);
    expect(formatDuration(-345_000)).to.equal('-345us');
  });

  it('is exact to the ns by default, so a printed time can be pasted back', () => {
    for (const ns of [1, 999, 1_001, 1_866_123, 12_345_678_901, 3_600_000_000_007]) {
      expect(parseDuration(formatDuration(ns)), String(ns)).to.equal(ns);
    }
  });

  it('rounds to significant digits for tables, keeping every integer digit', () => {
    expect(formatDuration(1_866_123, 3)).to.equal('1.87ms');
    expect(formatDuration(345_000, 3)).to.equal('345us');
    expect(formatDuration(100_640, 3)).to.equal('101us');
    expect(formatDuration(1_234_567_890_123, 3)).to.equal('1235s');
    expect(formatDuration(1_200_000, 3)).to.equal('1.2ms');
    expect(parseDuration(formatDuration(1_866_123, 3))).to.equal(1_870_000);
  });
});
