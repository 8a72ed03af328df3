/**
 * The devices model's only contact with the CMA aggregate: it reads areas and request records and
 * speaks to it through CMA events (request, release, pin, unpin). A chunk's id is the id of the
 * request that produced it.
 */
import type { Ctx } from '../context.ts';
import type { SimDraft, SimState } from '../state.ts';
import { ERRNO } from '../cma/request.ts';
import type { AreaView } from './dmaPlan.ts';
import { cmaInfo, cmaInfoAbout, privateRegionViews, type CmaInfo } from './cmaInfo.ts';
import { pidFor } from '../pidFor.ts';

type D = SimDraft | SimState;

/** CMA areas (and registered private regions) as the planner sees them, in declaration order. */
export function areaViews(d: D): Record<string, AreaView> {
  const out: Record<string, AreaView> = {};
  const cma = d.cma;
  for (const name of cma.areaOrder ?? []) {
    const a = cma.areas[name];
    out[name] = { name, basePfn: a.basePfn, count: a.count, freePages: a.available, private: !a.shared };
  }
  return { ...out, ...privateRegionViews(d.devices.regions) };
}

/**
 * Mainline's default area: the one the devices settings name, else the one CMA declared default at
 * boot, else an area called 'reserved' (the name the kernel gives the `cma=` area).
 */
export function defaultAreaOf(d: D): string | null {
  if (d.devices.settings.defaultArea !== null) return d.devices.settings.defaultArea;
  const order = d.cma.areaOrder ?? [];
  for (const name of order) if (d.cma.areas[name].isDefault) return name;
  return order.includes('reserved') ? 'reserved' : null;
}

/**
 * A fresh request id, reserved from CMA's own counter when the request is scheduled: ids then
 * never collide with the workload's, with other devices', or with requests CMA numbers itself.
 */
export function nextRequestId(d: SimDraft): number {
  return d.cma.nextRequestId++;
}

export function requestCma(ctx: Ctx, id: number, requester: string, area: string, pages: number, align: number, kind: string): void {
  ctx.schedule({ type: 'cma.alloc.request', id, area, count: pages, align, requester, pid: pidFor(requester), kind }, 0);
}

export type CmaOutcome =
  | { readonly state: 'pending' }
  | { readonly state: 'done'; readonly pfn: number; readonly at: number }
  | { readonly state: 'failed'; readonly errno: number; readonly at: number };

/** Where request `id` stands; 'pending' also while the request event is still queued. */
export function cmaOutcome(d: D, id: number): CmaOutcome {
  const r = d.cma.requests[id];
  if (r === undefined || (r.status !== 'done' && r.status !== 'failed')) return { state: 'pending' };
  const at = r.finishedAt ?? 0;
  return r.status === 'done' ? { state: 'done', pfn: r.pfn ?? -1, at } : { state: 'failed', errno: r.errno ?? ERRNO.ENOMEM, at };
}

export function releaseCma(ctx: Ctx, chunk: number): void {
  ctx.schedule({ type: 'cma.release', chunk }, 0);
}

export function pinCma(ctx: Ctx, chunk: number): void {
  ctx.schedule({ type: 'cma.pin', chunk }, 0);
}

export function unpinCma(ctx: Ctx, chunk: number): void {
  ctx.schedule({ type: 'cma.unpin', chunk }, 0);
}

/** cma_info(dev, kind) on a state: the regions the device's map gives for `kind` (lib and reports call this). */
export function deviceCmaInfo(s: SimState, device: string, kind: string): CmaInfo {
  const dev = s.devices.devices[device];
  if (dev === undefined) throw new RangeError(`cma_info: no device named '${device}'`);
  return cmaInfo(dev.def, kind, areaViews(s), s.memory.config.pageSize);
}

/** cma_info_about("r1,r2") on a state: boot areas and registered private regions alike. */
export function regionsCmaInfo(s: SimState, regions: string | readonly string[]): CmaInfo {
  return cmaInfoAbout(regions, areaViews(s), s.memory.config.pageSize);
}
