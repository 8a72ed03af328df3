import { isDraft, original, type Draft } from 'immer';
import type { Ctx } from '../context.ts';
import type { SimDraft } from '../state.ts';
import { draw } from './arrival.ts';
import {
  emitAlloc, emitDeviceClose, emitDeviceOpen, emitDirty, emitFault, emitPin, emitMemoryAlloc, emitRecorded, emitUnpin, emitUseCaseSwitch, pageSizeOf, type Sink,
} from './emit.ts';
import type { AllocGenerator, DeviceOpening, GeneratorProgress, MemoryGenerator, PageCacheGenerator, PinGenerator, UseCaseGenerator } from './state.ts';

type G<T> = Draft<GeneratorProgress> & { spec: T };

/**
 * A generator's spec, read from the committed state: specs never change in a run, and reading
 * them through the draft would make an immer proxy for the spec and each range in it on every tick.
 */
export function specOf<T>(g: G<T>): T {
  return (isDraft(g) ? (original(g as object) as { spec: T }) : g).spec;
}

/** Pages of one file, named like the page-cache generator names them. */
export const fileName = (i: number): string => `file${i}`;

/** One allocation; returns its request id when the hold should be scheduled. */
export function fireAlloc(d: SimDraft, ctx: Ctx, out: Sink, g: G<AllocGenerator>): number | null {
  const s = specOf(g);
  // Reserved from CMA's counter, shared with devices, so ids never collide.
  const request = d.cma.nextRequestId++;
  const pages = Math.max(1, Math.ceil(draw(ctx, s.size) / pageSizeOf(d)));
  const ok = emitAlloc(out, { request, requester: s.requester, kind: s.memKind, areas: s.areas, pages, align: s.align });
  g.emitted += ok ? 1 : 0;
  return ok && s.hold !== null ? request : null;
}

export function firePageCache(d: SimDraft, ctx: Ctx, out: Sink, g: G<PageCacheGenerator>): void {
  const s = specOf(g);
  const file = fileName(ctx.randomInt(0, s.files - 1));
  const count = Math.min(draw(ctx, s.readahead), s.filePages);
  const index = ctx.randomInt(0, s.filePages - count);
  if (emitFault(out, file, index, count)) g.emitted++;
  if (s.dirty > 0 && ctx.random() < s.dirty && emitDirty(out, file, index, count)) g.emitted++;
}

export function firePin(d: SimDraft, ctx: Ctx, out: Sink, g: G<PinGenerator>): void {
  const s = specOf(g);
  const file = fileName(ctx.randomInt(0, s.files - 1));
  const count = Math.min(draw(ctx, s.pages), s.filePages);
  const index = ctx.randomInt(0, s.filePages - count);
  const longterm = s.longterm > 0 && ctx.random() < s.longterm;
  const hold = draw(ctx, s.hold);
  // One pin per page (get_user_pages pins pages one by one), all released together after `hold`.
  for (let k = 0; k < count; k++) {
    const id = `${s.name}#${g.fired}.${k}`;
    if (emitPin(out, id, file, index + k, longterm)) {
      g.emitted++;
      if (emitUnpin(out, id, hold)) g.emitted++;
    }
  }
}

/** One memory allocation (or run of pages); returns its id and page count when its hold should be scheduled. */
export function fireMemory(ctx: Ctx, out: Sink, g: G<MemoryGenerator>): { id: string; count?: number } | null {
  const s = specOf(g);
  const id = `${s.name}#${g.fired}`;
  const count = s.pages === null ? undefined : draw(ctx, s.pages);
  if (!emitMemoryAlloc(out, id, s.memKind, count === undefined ? draw(ctx, s.order) : 0, s.owner, count)) return null;
  g.emitted++;
  return s.hold === null ? null : count === undefined ? { id } : { id, count };
}

/**
 * Switch to `to`: close (last opened first) what `to` does not use or opens with another buffer
 * set, then open the rest of `to` in its order; or, for the devices model's use cases, ask it
 * to switch.
 */
export function switchUseCase(out: Sink, g: G<UseCaseGenerator>, to: string): void {
  const cases = g.spec.cases;
  if (cases === null) {
    if (emitUseCaseSwitch(out, to)) g.emitted++;
    g.current = to;
    return;
  }
  const now = g.current === null ? [] : cases[g.current];
  const next = cases[to];
  const kept = now.filter((o) => next.some((n) => sameOpening(o, n))).map((o) => o.device);
  for (let i = now.length - 1; i >= 0; i--) if (!kept.includes(now[i].device) && emitDeviceClose(out, now[i].device)) g.emitted++;
  for (const o of next) if (!kept.includes(o.device) && emitDeviceOpen(out, o)) g.emitted++;
  g.current = to;
}

/** A device stays open across a switch only when both cases open it the same way. */
function sameOpening(a: DeviceOpening, b: DeviceOpening): boolean {
  return a.device === b.device && JSON.stringify([a.buffers, a.work]) === JSON.stringify([b.buffers, b.work]);
}

/** A case other than the current one, chosen uniformly (cases in declaration order). */
export function pickOtherCase(ctx: Ctx, g: G<UseCaseGenerator>): string {
  const names = g.spec.caseNames.filter((n) => n !== g.current);
  return names.length === 0 ? g.current! : names[ctx.randomInt(0, names.length - 1)];
}

/**
 * Emit every recorded event due at this tick; returns the index of the first one not emitted.
 * The events sit in the state being drafted: hand over their committed (frozen) originals, never
 * the draft proxies, which die when the batch is finalised.
 */
export function fireReplay(out: Sink, g: Draft<GeneratorProgress>, events: readonly { at: number; event: { type: string } }[]): number {
  let i = g.cursor;
  const at = events[i].at;
  while (i < events.length && events[i].at === at) {
    const ev = events[i].event;
    if (emitRecorded(out, (isDraft(ev) ? original(ev) : ev) as { type: string } & Record<string, unknown>)) g.emitted++;
    i++;
  }
  return i;
}
