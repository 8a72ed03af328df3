import { expect } from 'chai';
import { FieldError, intField, isNullPointer, parseFieldList, pfnField, uintField } from '../../../lib/trace/fieldList.ts';

const fieldError = (f: () => unknown): FieldError => {
  try { f(); } catch (e) { expect(e).to.be.instanceOf(FieldError); return e as FieldError; }
  throw new Error('expected a FieldError');
};

describe('fieldList', () => {
  it('splits key=value tokens, keeping their order', () => {
    expect(parseFieldList('name=r  count=2 align=1')).to.deep.equal({ fields: { name: 'r', count: '2', align: '1' }, keys: ['name', 'count', 'align'] });
    expect(fieldError(() => parseFieldList('name=r oops')).message).to.equal("expected key=value, got 'oops'");
  });

  it("reads pfns in every printed form; all-ones is the kernel's failure value", () => {
    const f = { a: '0xac800', b: 'ac800', c: '0xffffffffffffffff', d: 'ffffffff', e: '706560', g: '18446744073709551615' };
    expect([pfnField(f, 'a'), pfnField(f, 'b'), pfnField(f, 'c'), pfnField(f, 'd')]).to.deep.equal([0xac800, 0xac800, -1, -1]);
    expect([pfnField(f, 'e', 10), pfnField(f, 'g', 10)]).to.deep.equal([706560, -1]);
    expect(fieldError(() => pfnField({ p: '0xg1' }, 'p'))).to.include({ field: 'p', message: "expected a hexadecimal pfn, got '0xg1'" });
    expect(fieldError(() => pfnField({ p: '0x7fffffffffffffff' }, 'p')).message).to.match(/out of range/);
  });

  it('checks integers and names the missing field', () => {
    expect(uintField({ n: '42' }, 'n')).to.equal(42);
    expect(intField({ n: '-16' }, 'n')).to.equal(-16);
    expect(fieldError(() => uintField({ n: '-1' }, 'n')).message).to.equal("expected an unsigned decimal integer, got '-1'");
    expect(fieldError(() => uintField({}, 'count'))).to.include({ field: 'count', message: 'missing' });
  });

  it('knows the NULL page of every kernel era', () => {
    expect(['(null)', '0000000000000000', '00000000', '0x0'].every(isNullPointer)).to.equal(true);
    expect(isNullPointer('00000000d3a49505')).to.equal(false);
  });
});
