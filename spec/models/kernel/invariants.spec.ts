import { expect } from 'chai';
import type { SimEvent } from '../../../events/index.ts';
import { Rng, seedRng } from '../../../lib/engine/index.ts';
import { KERNEL_VERSIONS } from '../../../models/kernel/profile.ts';
import { boot, world } from '../cma/world.ts';

/** Random but valid events: page cache, kernel and anonymous memory, pins, CMA requests and (partial) releases. */
function randomEvents(seed: number, n: number, base: number): SimEvent[] {
  const rng = new Rng(seedRng(seed));
  const out: SimEvent[] = [];
  const pins: string[] = [];
  let requests = 0;
  for (let i = 0; i < n; i++) {
    const r = rng.next();
    const file = `f${rng.int(0, 4)}`;
    const index = rng.int(0, 600);
    if (r < 0.3) out.push({ type: 'pagecache.fault', file, index, count: rng.int(1, 48) });
    else if (r < 0.38) out.push({ type: 'pagecache.dirty', file, index, count: rng.int(1, 64) });
    else if (r < 0.43) out.push({ type: 'pagecache.writeback.start', file, index, count: rng.int(1, 32) });
    else if (r < 0.55) out.push({ type: 'memory.alloc', id: `a${i}`, kind: (['unmovable', 'reclaimable', 'movable'] as const)[rng.int(0, 2)], order: rng.int(0, 3) });
    else if (r < 0.63) {
      pins.push(`p${i}`);
      out.push({ type: 'page.pin', id: `p${i}`, file, index, longterm: rng.next() < 0.4 });
    } else if (r < 0.7 && pins.length > 0) out.push({ type: 'page.unpin', id: pins.splice(rng.int(0, pins.length - 1), 1)[0] });
    else if (r < 0.88) {
      requests++;
      out.push({ type: 'cma.alloc.request', area: 'v', count: rng.int(1, 700), align: rng.int(0, 9), requester: `d${rng.int(0, 2)}`, pid: 10 + rng.int(0, 2) });
    } else if (requests > 0) {
      const chunk = rng.int(1, requests);
      // Whole chunks by id, or part of whatever lies at a pfn of the area (refused with a warning when nothing does).
      out.push(rng.next() < 0.6 ? { type: 'cma.release', chunk } : { type: 'cma.release', area: 'v', pfn: base + rng.int(0, 1023), count: rng.int(1, 64) });
    }
  }
  return out;
}

describe('models/kernel: invariants hold after every event in every profile (property over random sequences)', () => {
  KERNEL_VERSIONS.forEach((version, k) => {
    it(version, () => {
      const s = boot({ areas: [{ name: 'v', size: '4M' }] }, { memory: '16M', minFreeKbytes: 256 }, version);
      const { engine, violations } = world(s, k + 1);
      randomEvents(100 + k, 110, s.cma.areas.v.basePfn).forEach((e, i) => engine.inject(e, i * 200_000));
      engine.run();
      expect(violations).to.deep.equal([]);
      const reqs = Object.values(engine.state.model.cma.requests);
      expect(reqs.some((r) => r.status === 'done'), 'some requests succeed').to.equal(true);
      expect(reqs.every((r) => r.status === 'done' || r.status === 'failed')).to.equal(true);
    });
  });
});
