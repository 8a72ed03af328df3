import { expect } from 'chai';
import { buddyinfo, kernelFile, kernelReport, KernelPathError, meminfo, pagetypeinfo } from '../../../lib/report/kernelFiles.ts';
import { runScenario } from '../../../lib/scenario/runScenario.ts';
import { checkScenario } from '../../../lib/scenario/scenario.ts';
import { bootScenario } from '../../../lib/scenario/toSimConfig.ts';
import { smallScenario } from '../scenario/fixtures.ts';

/** 256 MiB of RAM in one Normal zone, one 16 MiB CMA area at the top (4 KiB pages, 2 MiB pageblocks, orders 0..10). */
const scenario = () => checkScenario({ ...smallScenario(), cma: { areas: [{ name: 'video', size: '16M' }] }, devices: [{ name: 'cam', area: 'video' }],
  workload: [{ generator: 'poisson', name: 'cam', rate: 400, alloc: { device: 'cam', areas: ['video'], size: ['64K', '1M'], hold: ['5ms', '20ms'] } }], until: '40ms' });
const row = (cells: readonly (string | number)[], w: number) => cells.map((c) => `${String(c).padStart(w)} `).join('');

describe('report/kernelFiles: the kernel\'s own text', () => {
  const boot = bootScenario(scenario());

  it('/proc/meminfo: name padded to 16, kB right-aligned in 8 (fs/proc/meminfo.c show_val_kb)', () => {
    expect(meminfo(boot)).to.equal([
      'MemTotal:         262144 kB', 'MemFree:          262144 kB', 'Cached:                0 kB',
      'AnonPages:             0 kB', 'CmaTotal:          16384 kB', 'CmaFree:           16384 kB', ''].join('\n'));
  });

  it('/proc/buddyinfo: "Node %d, zone %8s " and "%6lu " per order (mm/vmstat.c frag_show_print)', () => {
    expect(buddyinfo(boot)).to.equal(`Node 0, zone   Normal ${row([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 64], 6)}\n`);
  });

  it('/proc/pagetypeinfo: free blocks per migratetype and order, then pageblocks per migratetype (mm/vmstat.c)', () => {
    const zero = row(new Array(11).fill(0), 6);
    expect(pagetypeinfo(boot)).to.equal([
      'Page block order: 9',
      'Pages per block:  512',
      '',
      `Free pages count per migrate type at order  ${row([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 6)}`,
      `Node    0, zone   Normal, type    Unmovable ${zero}`,
      `Node    0, zone   Normal, type      Movable ${row([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 60], 6)}`,
      `Node    0, zone   Normal, type  Reclaimable ${zero}`,
      `Node    0, zone   Normal, type   HighAtomic ${zero}`,
      `Node    0, zone   Normal, type          CMA ${row([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4], 6)}`,
      `Node    0, zone   Normal, type      Isolate ${zero}`,
      '',
      `Number of blocks type  ${row(['Unmovable', 'Movable', 'Reclaimable', 'HighAtomic', 'CMA', 'Isolate'], 12)}`,
      `Node 0, zone   Normal ${row([0, 120, 0, 0, 8, 0], 12)}`,
      ''].join('\n'));
  });

  it('debugfs and sysfs files: one "%llu\\n" each, the bitmap as space-separated u32 words (mm/cma_debug.c, mm/cma_sysfs.c)', () => {
    expect(kernelFile(boot, '/sys/kernel/debug/cma/video/base_pfn')).to.equal('61440\n');
    expect(kernelFile(boot, '/sys/kernel/debug/cma/video/count')).to.equal('4096\n');
    expect(kernelFile(boot, '/sys/kernel/debug/cma/video/order_per_bit')).to.equal('0\n');
    expect(kernelFile(boot, '/sys/kernel/debug/cma/video/used')).to.equal('0\n');
    expect(kernelFile(boot, '/sys/kernel/debug/cma/video/maxchunk')).to.equal('4096\n');
    expect(kernelFile(boot, '/sys/kernel/debug/cma/video/bitmap')).to.equal(`${new Array(128).fill('0').join(' ')}\n`);
    expect(kernelFile(boot, '/sys/kernel/mm/cma/video/total_pages')).to.equal('4096\n');
    expect(kernelFile(boot, '/sys/kernel/mm/cma/video/alloc_pages_success')).to.equal('0\n');
  });

  it('after a run the files agree with each other and with the requests', () => {
    const o = runScenario(scenario());
    const h = o.history;
    const t = Math.round(h.engine.now / 2);
    const s = h.stateAtTime(t).model;
    const n = (p: string) => Number(kernelFile(s, p));
    const used = n('/sys/kernel/debug/cma/video/used');
    expect(used).to.be.above(0);
    expect(n('/sys/kernel/mm/cma/video/available_pages')).to.equal(4096 - used);
    const bits = kernelFile(s, '/sys/kernel/debug/cma/video/bitmap').trimEnd().split(' ').map(Number);
    expect(bits.reduce((c, w) => c + w.toString(2).replace(/0/g, '').length, 0)).to.equal(used);
    const done = Object.values(s.cma.requests).filter((r) => r.status === 'done' && r.area === 'video');
    expect(n('/sys/kernel/mm/cma/video/alloc_pages_success')).to.equal(done.reduce((c, r) => c + r.count, 0));
    expect(n('/sys/kernel/debug/cma/video/maxchunk')).to.be.at.most(4096 - used);
  });

  it('sysfs as a report: every file with its path, as tail -n +1 frames them; unknown paths name the choices', () => {
    const text = kernelReport(boot, 'sysfs');
    expect(text.startsWith('==> /sys/kernel/mm/cma/video/alloc_pages_success <==\n0\n\n==> /sys/kernel/mm/cma/video/alloc_pages_fail <==\n0\n')).to.equal(true);
    expect(text.match(/^==> /gm)).to.have.length(11);
    expect(() => kernelFile(boot, '/sys/kernel/debug/cma/nope/used')).to.throw(KernelPathError, /no such file .*areas: video/);
  });
});
