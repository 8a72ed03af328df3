import type { Draft } from 'immer';
import type { WorkloadEvent } from '../../events/index.ts';
import type { Ctx, Handlers } from '../context.ts';
import type { SimDraft } from '../state.ts';
import { draw, nextDelay } from './arrival.ts';
import { allocOutcome, emitMemoryFree, emitRelease, engineSink, memoryAllocLive } from './emit.ts';
import { fireAlloc, fireMemory, firePageCache, firePin, fireReplay, pickOtherCase, specOf, switchUseCase } from './fire.ts';
import type { AllocGenerator, GeneratorProgress, MemoryGenerator, PageCacheGenerator, PinGenerator, UseCaseGenerator } from './state.ts';

/** How often a release whose allocation is still in flight looks again (1 ms). */
export const RELEASE_RECHECK_NS = 1_000_000;

const tick = (name: string) => ({ type: 'workload.tick', generator: name }) as const;

/** Schedule the next tick at absolute time `at`, unless it falls past `stop`. */
function scheduleAt(g: Draft<GeneratorProgress>, ctx: Ctx, at: number): void {
  const s = specOf(g);
  if (s.stop !== null && at > s.stop) { g.done = true; return; }
  ctx.schedule(tick(s.name), at - ctx.now);
}

function start(d: SimDraft, _e: unknown, ctx: Ctx): void {
  for (const g of Object.values(d.workload.generators)) {
    const s = g.spec;
    if (s.kind === 'usecase' && s.switches.length > 0) scheduleAt(g, ctx, Math.max(ctx.now, s.switches[0].at));
    else if (s.kind === 'replay') {
      if (s.events.length === 0) g.done = true;
      else scheduleAt(g, ctx, Math.max(ctx.now, s.start + s.events[0].at));
    } else scheduleAt(g, ctx, Math.max(ctx.now, s.start));
  }
}

function onTick(d: SimDraft, e: { generator: string }, ctx: Ctx): void {
  const g = d.workload.generators[e.generator];
  if (g === undefined) throw new RangeError(`workload.tick: no generator named '${e.generator}'`);
  if (g.done) return;
  const s = specOf(g);
  const out = engineSink(d, ctx);
  g.fired++;
  let next: number | null = null;
  switch (s.kind) {
    case 'usecase': {
      const ug = g as Draft<GeneratorProgress> & { spec: UseCaseGenerator };
      if (s.switches.length > 0) {
        switchUseCase(out, ug, s.switches[g.cursor].to);
        g.cursor++;
        next = g.cursor < s.switches.length ? s.switches[g.cursor].at : null;
      } else {
        const to = g.current === null ? (s.initial ?? pickOtherCase(ctx, ug)) : pickOtherCase(ctx, ug);
        switchUseCase(out, ug, to);
        next = ctx.now + draw(ctx, s.dwell!);
      }
      break;
    }
    case 'replay':
      g.cursor = fireReplay(out, g, s.events);
      next = g.cursor < s.events.length ? s.start + s.events[g.cursor].at : null;
      break;
    default: {
      if (s.kind === 'alloc') {
        const req = fireAlloc(d, ctx, out, g as Draft<GeneratorProgress> & { spec: AllocGenerator });
        if (req !== null) {
          d.workload.held[String(req)] = s.name;
          ctx.schedule({ type: 'workload.release', generator: s.name, request: req }, draw(ctx, s.hold!));
        }
      } else if (s.kind === 'memory') {
        const a = fireMemory(ctx, out, g as Draft<GeneratorProgress> & { spec: MemoryGenerator });
        if (a !== null) ctx.schedule({ type: 'workload.free', generator: s.name, ...a }, draw(ctx, s.hold!));
      } else if (s.kind === 'pagecache') firePageCache(d, ctx, out, g as Draft<GeneratorProgress> & { spec: PageCacheGenerator });
      else firePin(d, ctx, out, g as Draft<GeneratorProgress> & { spec: PinGenerator });
      const n = nextDelay(ctx, s.arrival, g.cursor);
      g.cursor = n.cursor;
      next = ctx.now + n.delay;
    }
  }
  if (next === null || (s.count !== null && g.fired >= s.count)) g.done = true;
  else scheduleAt(g, ctx, next);
}

/** The hold of a workload allocation is over: free it if it succeeded, wait if still in flight. */
function onRelease(d: SimDraft, e: { generator: string; request: number }, ctx: Ctx): void {
  const key = String(e.request);
  if (!Object.hasOwn(d.workload.held, key)) return;
  const outcome = allocOutcome(d, e.request);
  if (outcome === 'pending') {
    ctx.schedule({ type: 'workload.release', generator: e.generator, request: e.request }, RELEASE_RECHECK_NS);
    return;
  }
  delete d.workload.held[key];
  if (outcome === 'done' && emitRelease(engineSink(d, ctx), e.request)) d.workload.generators[e.generator].emitted++;
}

/** The hold of a workload memory allocation is over: free it if the memory model granted it. */
function onFree(d: SimDraft, e: { generator: string; id: string; count?: number }, ctx: Ctx): void {
  if (memoryAllocLive(d, e.id, e.count) && emitMemoryFree(engineSink(d, ctx), e.id, e.count)) d.workload.generators[e.generator].emitted++;
}

export const workloadHandlers: Handlers<WorkloadEvent> = {
  'workload.start': start,
  'workload.tick': onTick,
  'workload.release': onRelease,
  'workload.free': onFree,
};
