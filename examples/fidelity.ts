/**
 * The model's figure for each published figure of the reference (§3, §7) that a small scenario
 * can reproduce, printed as the README's fidelity table. Each scenario below states its setup;
 * the costs are the model's defaults (models/timing/costs.ts). The failed-attempt scenario boots the
 * 4.9 profile: under the 6.18 default none of its pinned pages lands in the area. The GCMA
 * latency-by-size figures have their own example (08-gcma-cubox.ts), which takes minutes.
 *
 * Run: `npx tsx examples/fidelity.ts`
 */
import type { SimEvent } from '../events/index.ts';
import { bootEngine, defineScenario, type ScenarioInput } from '../lib/scenario/index.ts';
import type { RequestRecord } from '../models/cma/request.ts';
import type { LockMode } from '../models/cma/state.ts';
import { at, MS, ms, runIfMain, table } from './exampleRun.ts';

interface Outcome {
  readonly requests: RequestRecord[];
  /** Time of each event type's first occurrence after `from`. */
  readonly times: (type: string) => number[];
}

/** Run `input` to its end with `events` replayed, and collect the request records and event times. */
function run(input: Omit<ScenarioInput, 'name' | 'seed' | 'workload'>, events: { at: number; event: SimEvent }[]): Outcome {
  const s = defineScenario({ name: 'fidelity', seed: 1, ...input, workload: [{ name: 'setup', generator: 'replay', events }] });
  const engine = bootEngine(s, s.seed);
  const log: { type: string; time: number }[] = [];
  engine.events$.subscribe((env) => log.push({ type: env.event.type, time: env.time }));
  engine.run({ until: s.until });
  const rs = Object.values(engine.state.model.cma.requests as Readonly<Record<string, RequestRecord>>).sort((a, b) => a.id - b.id);
  return { requests: rs, times: (type) => log.filter((e) => e.type === type).map((e) => e.time) };
}

const alloc = (t: number, id: number, area: string, count: number, align = 0) =>
  at(t, { type: 'cma.alloc.request', id, requester: `dev${id}`, pid: 100 + id, area, count, align });
const latency = (r: RequestRecord): number => r.finishedAt! - r.submittedAt;

/**
 * §3: 10 MiB (2560 pages) of clean page cache in the range, migrated or dropped. Memory is full of
 * page cache, so the migration phase includes the reclaim that frees its target pages (`reclaim`,
 * part of `migrate`), as the published 146 ms did.
 */
export function dropVersusMigrate(): { migrate: number; drop: number; reclaim: number } {
  const one = (discardClean: boolean) => run({
    until: '2s', machine: { ram: '64M' }, cma: { discardClean, areas: [{ name: 'a', size: '16M' }] },
  }, [at(0, { type: 'pagecache.fault', file: 'f', index: 0, count: 15_000 }), alloc(1000 * MS, 1, 'a', 2560)]).requests[0];
  const migrate = one(false), drop = one(true);
  return { migrate: migrate.phases.migration, drop: drop.phases.migration, reclaim: migrate.attempts.reduce((n, a) => n + (a.reclaimNs ?? 0), 0) };
}

/** §7: three concurrent 2 MiB allocations in three areas of one zone full of page cache, under a lock mode. */
export function threeAreasRecords(lockMode: LockMode): RequestRecord[] {
  return run({
    until: '2s', machine: { ram: '32M' }, cma: { lockMode, discardClean: false, areas: [0, 1, 2].map((i) => ({ name: `a${i}`, size: '4M' })) },
  }, [at(0, { type: 'pagecache.fault', file: 'f', index: 0, count: 7_500 }), ...[0, 1, 2].map((i) => alloc(1000 * MS, i + 1, `a${i}`, 512, 9))]).requests;
}

export const threeAreas = (lockMode: LockMode): number[] => threeAreasRecords(lockMode).map(latency);

/** What sets the per-area allocations apart: each one's waits for the kernel locks they share, and its reclaim. */
export function threeAreasParts(rs: readonly RequestRecord[]): { drainWait: number; zoneLruWait: number; reclaim: number }[] {
  return rs.map((r) => {
    const a = r.attempts[r.attempts.length - 1];
    return { drainWait: a.drainLockWaitNs ?? 0, zoneLruWait: a.sharedLockWaitNs ?? 0, reclaim: a.reclaimNs ?? 0 };
  });
}

/** §7: releasing 16,384 pages (64 MiB) from an empty area. */
export function release16k(): number {
  const o = run({ until: '1s', machine: { ram: '256M' }, cma: { areas: [{ name: 'a', size: '128M' }] } },
    [alloc(0, 1, 'a', 16_384), at(100 * MS, { type: 'cma.release', chunk: 1 })]);
  return o.times('cma.release.done')[0] - 100 * MS;
}

/** §7 field reports: the time a failed -EBUSY attempt costs before the next retry (pinned pages in a 4 MiB range). */
export function failedAttempt(): number {
  const o = run({ until: '2s', kernel: '4.9', machine: { ram: '16M' }, cma: { areas: [{ name: 'a', size: '4M' }] } }, [
    at(0, { type: 'pagecache.fault', file: 'f', index: 0, count: 3_300 }),
    // A short-term pin on every 10th page read: some land in the area, whichever pages it lent.
    ...Array.from({ length: 330 }, (_, k) => at(500 * MS, { type: 'page.pin', id: `gup${k}`, file: 'f', index: 10 * k })),
    alloc(1000 * MS, 1, 'a', 1024),
  ]);
  const a = o.requests[0].attempts.find((x) => x.result === -16);
  return a === undefined ? NaN : a.endedAt! - a.startedAt;
}

const ratio = (xs: readonly number[]): string => xs.map((x) => (x / xs[0]).toFixed(3)).join(' : ');

export function report(): string {
  const dm = dropVersusMigrate();
  const g = threeAreas('global'), pr = threeAreasRecords('per-area'), p = pr.map(latency);
  const parts = threeAreasParts(pr);
  const each = (f: (x: (typeof parts)[number]) => number) => parts.map((x) => ms(f(x))).join(' / ');
  const fa = failedAttempt();
  return table([
    ['published (reference)', 'model', 'scenario'],
    ['§3: 10 MiB migrated 146 ms, dropped 7 ms (QEMU); ratio 20.9', `${ms(dm.migrate)} (reclaim for targets ${ms(dm.reclaim)}) vs ${ms(dm.drop)}; ratio ${(dm.migrate / dm.drop).toFixed(1)}`, 'dropVersusMigrate'],
    ['§7: 3 x 10 GiB, global mutex 7 : 14 : 21 s (1 : 2 : 3)', `${g.map(ms).join(' / ')} (${ratio(g)})`, 'threeAreas(global), 3 x 2 MiB'],
    ['§7: 3 x 10 GiB, per-area locks 7 : 8 : 7 s (1 : 1.14 : 1)', `${p.map(ms).join(' / ')} (${ratio(p)})`, 'threeAreas(per-area), 3 x 2 MiB'],
    ['  of which: drain-mutex wait', each((x) => x.drainWait), 'threeAreas(per-area)'],
    ['  zone/LRU lock wait', each((x) => x.zoneLruWait), 'threeAreas(per-area)'],
    ['  reclaim for targets', each((x) => x.reclaim), 'threeAreas(per-area)'],
    ['§7: about 0.7 ms per MiB', `${ms(p[0] / 2)} per MiB (first of the per-area race)`, 'threeAreas(per-area)'],
    ['§7: releasing 16,384 pages about 1.4 ms', ms(release16k()), 'release16k'],
    ['§7: a failed -EBUSY attempt costs tens of µs', Number.isNaN(fa) ? 'no -EBUSY attempt' : ms(fa), 'failedAttempt, 4 MiB range'],
  ]);
}

runIfMain(import.meta.url, () => console.log(report()));
