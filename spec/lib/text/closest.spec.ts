import { expect } from 'chai';
import { closest } from '../../../lib/text/closest.ts';

describe('text/closest: the one "did you mean" policy', () => {
  it('takes the nearest candidate within a third of the letters (a transposition is one edit), case aside', () => {
    expect(closest('perod', ['period', 'count'])).to.equal('period');
    expect(closest('rnu', ['run', 'replay'])).to.equal('run');
    expect(closest('LOCKMODE', ['lockMode'])).to.equal('lockMode');
    expect(closest('ab', ['xy'])).to.equal(null);
  });

  it('never suggests a candidate more than two edits away, however long the word', () => {
    expect(closest('check-invariantzzz', ['check-invariants'])).to.equal(null); // 3 edits
    expect(closest('check-invariantz', ['check-invariants'])).to.equal('check-invariants');
  });

  it('falls back to the only candidate the word starts, from two letters on', () => {
    expect(closest('repl', ['replay', 'run'])).to.equal('replay');
    expect(closest('re', ['replay', 'report'])).to.equal(null); // two candidates: no guess
    expect(closest('r', ['replay'])).to.equal(null);
  });

  it('does not search a long word or a long list (hostile input stays cheap)', () => {
    expect(closest('a'.repeat(65), ['a'.repeat(65)])).to.equal(null);
    expect(closest('x1', Array.from({ length: 201 }, (_, i) => `x${i}`))).to.equal(null);
  });
});
