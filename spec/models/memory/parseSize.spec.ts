import { expect } from 'chai';
import { parseSize } from '../../../models/memory/parseSize.ts';

describe('models/memory/parseSize', () => {
  it('reads bytes, K/M/G/T suffixes (binary, like memparse) and hex', () => {
    expect(parseSize(4096, 'x')).to.equal(4096);
    expect(parseSize('512M', 'x')).to.equal(512 * 2 ** 20);
    expect(parseSize('2g', 'x')).to.equal(2 * 2 ** 30);
    expect(parseSize('0x40000000', 'x')).to.equal(2 ** 30);
    expect(parseSize('16K', 'x')).to.equal(16384);
  });
  it('names the field on bad input', () => {
    expect(() => parseSize('1.1K', 'cfg.size')).to.throw(/^cfg\.size: expected a size like/);
    expect(() => parseSize(-1, 'cfg.base')).to.throw(/^cfg\.base: expected a non-negative integer/);
    expect(() => parseSize(null, 'cfg.base')).to.throw(/^cfg\.base: expected a size/);
  });
});
