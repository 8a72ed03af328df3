import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { runScenario } from '../../../lib/scenario/runScenario.ts';
import { ScenarioError } from '../../../lib/scenario/check.ts';
import { checkScenario } from '../../../lib/scenario/scenario.ts';

const G = 2 ** 30, M = 2 ** 20;
const DTS = readFileSync(new URL('../../fixtures/config/board-reserved-memory.dts', import.meta.url), 'utf8');

// Issue 15: "the scenario format accepts a cmdline and a dts/reservedMemory field". The areas come
// from lib/config's kernel parsers (mm/cma.c cma= via dma_contiguous_reserve, mm/hugetlb.c
// hugetlb_cma, drivers/of/of_reserved_mem.c shared-dma-pool nodes), added after cma.areas.
describe('scenario: cmdline and reservedMemory declare CMA areas as the kernel would', () => {
  it('cmdline: cma= is the default area, hugetlb_cma= one area per node with the huge page order per bit', () => {
    const s = checkScenario({ machine: { ram: '4G' }, cmdline: 'console=ttyS0 cma=64M hugetlb_cma=1G', cma: { areas: [{ name: 'video', size: '32M' }] } });
    expect(s.cma.areas.map((a) => [a.name, a.size, a.orderPerBit])).to.deep.equal([['video', 32 * M, 0], ['reserved', 64 * M, 0], ['hugetlb0', G, 9]]);
  });

  it('reservedMemory: the reusable shared-dma-pool nodes, before the command line\'s', () => {
    const s = checkScenario({ machine: { banks: [{ name: 'low', size: '2G', base: '1G' }] }, reservedMemory: DTS, cmdline: 'hugetlb_cma=1G' });
    const names = s.cma.areas.map((a) => a.name);
    expect(names[0]).to.equal('linux,cma');
    expect(names).to.include('codec@78000000');
    expect(names).to.not.include('gpu-pool'); // no-map, not reusable: not CMA
    expect(names.at(-1)).to.equal('hugetlb0');
  });

  it('a line the kernel parser refuses is a ScenarioError at the field, naming the column', () => {
    expect(() => checkScenario({ machine: { ram: '1G' }, cmdline: 'cma=64Q' })).to.throw(ScenarioError, /^cmdline: cma: column 7: /);
  });

  it('the areas boot and serve allocations', () => {
    const o = runScenario(checkScenario({
      machine: { ram: '256M' }, cmdline: 'cma=32M', until: '20ms',
      workload: [{ generator: 'periodic', name: 'cam', period: '5ms', count: 2, alloc: { requester: 'cam', areas: 'reserved', size: '1M' } }],
    }));
    const m = o.history.engine.state.model;
    expect(m.cma.areas.reserved.count).to.equal(8192);
    expect(Object.values(m.cma.requests).map((r) => r.status)).to.deep.equal(['done', 'done']);
  });
});
