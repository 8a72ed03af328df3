import { expect } from 'chai';
import { createInitialState } from '../../../models/initialState.ts';
import type { CmaConfig } from '../../../models/cma/createCmaState.ts';
import type { RequestRecord } from '../../../models/cma/request.ts';
import { createCpu, type CpuConfig } from '../../../models/timing/cpu.ts';
import { onCpuAt, runFor, scalingFactor, schedOf, wakeAt, type Sched } from '../../../models/timing/sched.ts';
import { decompose, DECOMPOSITION_PARTS } from '../../../lib/report/decomposition.ts';
import { fillPageCache, req, world } from '../cma/world.ts';

const MS = 1_000_000;
/** The GCMA board (reference §7): 4 CPUs, make -j16, HZ 100. */
const cubox = (): Sched => schedOf(createCpu({ cpus: 4, load: 16, hz: 100 }))!;

// kernel/sched/fair.c v3.17: sysctl_sched_latency 6 ms, sysctl_sched_min_granularity 0.75 ms,
// sysctl_sched_wakeup_granularity 1 ms, scaled by 1 + ilog2(min(ncpus, 8)) (get_update_sysctl_factor,
// SCHED_TUNABLESCALING_LOG); __sched_period, sched_slice; check_preempt_tick at the tick;
// place_entity (GENTLE_FAIR_SLEEPERS) and wakeup_preempt_entity on wakeup.
describe('models/timing/sched: the allocating thread under tick-driven CFS (kernel/sched/fair.c v3.17)', () => {
  it('scales the defaults by 1 + ilog2(min(cpus, 8)) and slices the period among the run queue\'s threads', () => {
    expect([1, 2, 4, 8, 64].map(scalingFactor)).to.deep.equal([1, 2, 3, 4, 4]);
    const s = cubox();
    expect(s).to.include({ tickNs: 10 * MS, perCpu: 17 / 4, latencyNs: 18 * MS, wakeupGranNs: 3 * MS, quantumNs: 10 * MS });
    expect(s.sliceNs).to.equal(Math.round((18 * MS) / 4.25)); // 4.25 <= sched_nr_latency: the period is the latency
    // Above sched_nr_latency (8) threads per run queue the period is nr * min_granularity: the slice is min_granularity.
    expect(schedOf(createCpu({ cpus: 1, load: 11, hz: 1000 }))!.sliceNs).to.equal(750_000);
  });

  it('is off without hz, with contention off, or with a CPU for every runnable thread', () => {
    expect(schedOf(createCpu({ cpus: 4, load: 16 }))).to.equal(null);
    expect(schedOf(createCpu({ cpus: 4, load: 16, hz: 100, contention: false }))).to.equal(null);
    expect(schedOf(createCpu({ cpus: 4, load: 3, hz: 100 }))).to.equal(null);
    expect(() => createCpu({ cpus: 4, hz: 0 })).to.throw(/^machine\.hz: expected an integer/);
  });

  it('a thread keeps the CPU until the first tick after its slice, then waits for the other threads\' quanta', () => {
    const s = cubox();
    const c = onCpuAt(s, 3 * MS); // slice 4.24 ms: the tick at 10 ms preempts it
    expect(c.quantumEnd).to.equal(10 * MS);
    expect(runFor(s, c, 3 * MS, 5 * MS).wall).to.equal(5 * MS); // fits the quantum: no wait
    // 7 ms run before the tick, then the 3.25 other threads' 10 ms quanta, then the last 1 ms.
    const r = runFor(s, c, 3 * MS, 8 * MS);
    expect(r.wall).to.equal(7 * MS + 32.5 * MS + 1 * MS);
    expect(r.clock.quantumEnd).to.equal(52.5 * MS); // the next quantum began at 42.5 ms, for 10 ms
  });

  it('long CPU work comes out at the fair share 17/4, to within the first quantum', () => {
    const s = cubox();
    const work = 2_000 * MS;
    // The first quantum runs to the 10 ms tick, every later one 10 ms in every 42.5.
    expect(runFor(s, onCpuAt(s, 0), 0, work).wall).to.equal(10 * MS + (work - 10 * MS) * 4.25);
  });

  it('a short sleep waits for the quantum of the thread that took the CPU; a long one preempts at once', () => {
    const s = cubox();
    const c = { quantumEnd: 20 * MS, lastEnd: 12 * MS }; // went to sleep at 12 ms
    // 1 ms asleep: lag 1 / 3.25 ms < 3 ms; the peer that got the CPU at 12 ms runs to the first tick after 16.24 ms.
    expect(wakeAt(s, c, 13 * MS)).to.equal(20 * MS);
    // 9 ms asleep: lag 2.8 ms, still short of the granularity; the peer's quantum ended at 20 ms, the next one's ends at 30 ms.
    expect(wakeAt(s, c, 21 * MS)).to.equal(30 * MS);
    // 28 ms asleep: lag 8.6 ms (capped at latency / 2 = 9 ms) > 3 ms: wakeup preemption.
    expect(wakeAt(s, c, 40 * MS)).to.equal(40 * MS);
    // Work continuing without a gap keeps the quantum; zero work without a gap takes no time.
    expect(runFor(s, c, 12 * MS, 0).wall).to.equal(0);
    expect(runFor(s, c, 12 * MS, 1 * MS).wall).to.equal(1 * MS);
  });
});

/** One 512-page allocation from an area full of page cache on a machine with `cpu` (as spec/models/cma/cpuContention). */
function allocWith(cpu: CpuConfig): RequestRecord {
  // A slow copy (40 µs a page) so that the migration outlasts one quantum.
  const cma: CmaConfig = { discardClean: false, migrateBatch: 32, costs: { migratePagecacheClean: 40_000 }, areas: [{ name: 'v', size: '4M' }] };
  const s = fillPageCache(createInitialState({ machine: { memory: '16M' }, cma, cpu }), 2_600);
  const { engine, violations } = world(s);
  engine.inject(req({ area: 'v', count: 512, align: 9 }), 3 * MS);
  engine.run();
  expect(violations).to.deep.equal([]);
  const r = engine.state.model.cma.requests[1] as RequestRecord;
  expect(r.status).to.equal('done');
  return r;
}

describe('models/timing/sched in an allocation: run-queue waits where the ticks put them', () => {
  it('migration that outlasts its quantum waits 32.5 ms for the other threads on the GCMA board; the decomposition shows it', () => {
    const alone = allocWith({ cpus: 4 });
    const loaded = allocWith({ cpus: 4, load: 16, hz: 100 });
    expect(loaded.attempts[0].migrated).to.equal(alone.attempts[0].migrated); // same work
    const d = decompose(loaded);
    expect(DECOMPOSITION_PARTS.reduce((a, k) => a + d[k], 0)).to.equal(loaded.finishedAt! - loaded.submittedAt);
    // Submitted at 3 ms, the thread's quantum ends at the 10 ms tick; the rest of the work runs
    // in its next quantum, from 42.5 ms for 10 ms.
    const work = alone.finishedAt! - alone.submittedAt;
    expect(work).to.be.within(7 * MS, 14.5 * MS);
    expect(d.runQueueWait).to.equal(32.5 * MS);
    expect(loaded.finishedAt! - loaded.submittedAt).to.equal(work + 32.5 * MS);
    expect(decompose(alone).runQueueWait).to.equal(0);
  });

  // 3.17 ('split'): the bitmap search under the area's lock, alloc_contig_range under cma_mutex.
  it('a thread woken from cma_mutex shortly after it slept waits for the tick; the wait is shown apart from isolation', () => {
    const cma: CmaConfig = { areas: [{ name: 'v', size: '4M' }] };
    const s = fillPageCache(createInitialState({ machine: { memory: '16M' }, cma, cpu: { cpus: 4, load: 16, hz: 100 }, kernel: '3.17' }), 2_600);
    const { engine, violations } = world(s);
    engine.inject(req({ area: 'v', count: 256, align: 8, requester: 'a', pid: 1 }), 3 * MS);
    engine.inject(req({ area: 'v', count: 256, align: 8, requester: 'b', pid: 2 }), 3 * MS + 1_000); // after the first's search
    engine.run();
    expect(violations).to.deep.equal([]);
    const [first, second] = [1, 2].map((id) => engine.state.model.cma.requests[id] as RequestRecord);
    expect(first.finishedAt! - first.submittedAt).to.be.below(7 * MS); // within its first quantum: no wait
    expect(decompose(first).runQueueWait).to.equal(0);
    // The second slept on cma_mutex from just after 3 ms until the first finished: far too short a
    // sleep to preempt on waking, so it runs at the tick ending the quantum of the thread that took
    // its CPU then, the first after 3 + 4.24 ms.
    const at = second.attempts[0];
    const isolation = second.spans!.find((x) => x.phase === 'isolation')!;
    expect(isolation.start + at.runQueueWait!.isolation).to.equal(10 * MS);
    const d = decompose(second);
    expect(d.isolation).to.equal(decompose(first).isolation); // the same work
    expect(d.runQueueWait).to.equal(at.runQueueWait!.isolation);
    expect(DECOMPOSITION_PARTS.reduce((a, k) => a + d[k], 0)).to.equal(second.finishedAt! - second.submittedAt);
  });

  it('without hz the fair-share stretch is unchanged (the switch)', () => {
    const loaded = allocWith({ cpus: 4, load: 16 });
    expect(loaded.attempts[0].runQueueWait).to.equal(undefined);
    expect(decompose(loaded).runQueueWait).to.equal(0);
  });
});
