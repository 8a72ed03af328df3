/**
 * Use cases: named groups of devices. Exclusive cases replace each other (HD decode vs. a video
 * call on the same codec); concurrent ones open alongside whatever runs. A switch closes the
 * devices the target does not use (last opened first), then opens what it adds.
 */
import type { Ctx } from '../context.ts';
import type { SimDraft } from '../state.ts';

type D = SimDraft;
type DeviceOp = (d: D, ctx: Ctx, name: string) => void;

export function switchUseCase(d: D, ctx: Ctx, to: string, open: DeviceOp, close: DeviceOp): void {
  const s = d.devices;
  const target = s.useCases[to];
  if (target === undefined) throw new RangeError(`usecase.switch: no use case named '${to}' (known: ${Object.keys(s.useCases).join(', ') || 'none'})`);
  if (s.activeUseCases.includes(to)) return;
  s.counters.switches++;
  if (target.exclusive) {
    const leaving = s.activeUseCases.filter((n) => s.useCases[n].exclusive);
    const keep = new Set<string>(target.devices);
    for (const n of s.activeUseCases) if (!leaving.includes(n)) for (const dev of s.useCases[n].devices) keep.add(dev);
    for (const n of [...leaving].reverse()) {
      const devs = s.useCases[n].devices;
      for (let i = devs.length - 1; i >= 0; i--) if (!keep.has(devs[i])) close(d, ctx, devs[i]);
    }
    s.activeUseCases = s.activeUseCases.filter((n) => !leaving.includes(n));
  }
  for (const dev of target.devices) open(d, ctx, dev);
  s.activeUseCases.push(to);
}
