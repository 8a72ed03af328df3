import { expect } from 'chai';
import { ConfigError } from '../../../lib/config/ConfigError.ts';
import { formatAddress, formatBytes, memparse } from '../../../lib/config/memparse.ts';
import { scanner } from '../../../lib/config/scanner.ts';

const read = (text: string): [number, number] => {
  const s = scanner('cma', text);
  return [memparse(s, 'size'), s.pos];
};

describe('memparse (kernel lib/cmdline.c semantics)', () => {
  it('reads decimal, 0x hex and leading-0 octal, and stops at the first non-digit', () => {
    expect(read('4096')).to.deep.equal([4096, 4]);
    expect(read('0x1F@')).to.deep.equal([31, 4]);
    expect(read('017')).to.deep.equal([15, 3]);
    expect(read('09')).to.deep.equal([0, 1]); // octal: '9' is not a digit
    expect(read('0x')).to.deep.equal([0, 1]); // "0x" without a hex digit is octal 0 followed by 'x'
  });

  it('applies K/M/G/T/P/E in either case, each a further << 10', () => {
    expect(read('2k')[0]).to.equal(2048);
    expect(read('3M')[0]).to.equal(3 * 2 ** 20);
    expect(read('1T')[0]).to.equal(2 ** 40);
    expect(read('4p')[0]).to.equal(2 ** 52);
    expect(read('0x10G')[0]).to.equal(16 * 2 ** 30);
  });

  it('refuses no digits and values above 2^53 - 1 with a ConfigError', () => {
    expect(() => read('K')).to.throw(ConfigError, "cma: column 1: expected a number for size, got 'K'");
    expect(() => read('8E')).to.throw(ConfigError, "cma: column 1: size '8E' is larger than 2^53 - 1 bytes");
  });

  it('formats values so that memparse reads them back', () => {
    for (const n of [0, 1, 4095, 4096, 3 * 2 ** 20, 2 ** 40 + 2 ** 30, 2 ** 52, Number.MAX_SAFE_INTEGER]) {
      expect(read(formatBytes(n))[0]).to.equal(n);
      expect(read(formatAddress(n))[0]).to.equal(n);
    }
    expect(formatBytes(3 * 2 ** 20)).to.equal('3M');
    expect(formatAddress(0x30000000)).to.equal('0x30000000');
  });
});
