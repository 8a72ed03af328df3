import { expect } from 'chai';
import { checkScenario } from '../../../lib/scenario/scenario.ts';
import { bootScenario } from '../../../lib/scenario/toSimConfig.ts';

const base = { machine: { ram: '64M' }, cma: { areas: [{ name: 'v', size: '4M' }] } };

describe('lib/scenario: kernel', () => {
  it('boots the named profile; the default is 6.18; cma.lockMode still overrides its field', () => {
    expect(bootScenario(checkScenario(base)).cma.kernel.version).to.equal('6.18');
    const k = bootScenario(checkScenario({ ...base, kernel: '6.1' })).cma;
    expect([k.kernel.version, k.lockMode, k.kernel.traceFormat]).to.deep.equal(['6.1', 'split', '6.1']);
    const o = bootScenario(checkScenario({ ...base, kernel: { version: '3.5', discardClean: true }, cma: { ...base.cma, lockMode: 'per-area' } })).cma;
    expect([o.lockMode, o.discardClean, o.kernel.cmaFallback]).to.deep.equal(['per-area', true, 'fallback-list']);
  });

  it('names the path of a bad setting', () => {
    expect(() => checkScenario({ ...base, kernel: '7.0' })).to.throw(/kernel: expected one of series, 3\.5/);
    expect(() => checkScenario({ ...base, kernel: { version: '6.1', skipCma: 'yes' } })).to.throw(/kernel\.skipCma: expected one of true, false/);
  });
});
