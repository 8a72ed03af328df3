/**
 * A buffer's life: plan its sources, try them one after another (a CMA request is asynchronous,
 * the page allocator and private regions answer at once), then free it. Every decision lands in
 * the buffer's record.
 */
import { castDraft } from 'immer';
import type { Ctx } from '../context.ts';
import type { SimDraft, SimState } from '../state.ts';
import { areaViews, cmaOutcome, defaultAreaOf, nextRequestId, releaseCma, requestCma } from './cmaBackend.ts';
import { limitPfnOf, planBuffer, type PlanEnv } from './dmaPlan.ts';
import { freePages, takePages } from './pageBackend.ts';
import { regionFind, regionGive, regionTake } from './privateRegion.ts';
import { ERRNO, errnoName } from '../cma/request.ts';
import { KEEP_FINISHED, NO_LIMIT, type BufferRecord, type BufferSpec, type DeviceDef, type StepOutcome } from './state.ts';

type D = SimDraft;

/** How long between looks at a CMA request grows up to this (1 ms); readiness uses CMA's own finish time. */
const MAX_POLL_NS = 1_000_000;


export function pageSizeOf(d: D | SimState): number {
  const ps = d.memory?.config?.pageSize;
  return typeof ps === 'number' && ps > 0 ? ps : 4096;
}

function planEnv(d: D): PlanEnv {
  const s = d.devices;
  return {
    settings: { ...s.settings, defaultArea: defaultAreaOf(d) },
    areas: areaViews(d),
    heaps: s.heaps,
    regions: s.regions,
    maxOrder: d.memory?.config?.maxOrder ?? 10,
    pageSize: pageSizeOf(d),
  };
}

/** Start allocating `spec` for `owner` in its current session; returns the new buffer id. */
export function startBuffer(d: D, ctx: Ctx, owner: DeviceDef, spec: BufferSpec): number {
  const s = d.devices;
  const id = s.nextBuffer++;
  const pages = Math.max(1, Math.ceil(spec.size / pageSizeOf(d)));
  const users = spec.shareWith.length === 0 ? [] : [owner, ...spec.shareWith.map((n) => s.devices[n].def)];
  const plan = planBuffer(owner, spec, users, pages, planEnv(d));
  const dev = s.devices[owner.name];
  const rec: BufferRecord = {
    id, owner: owner.name, users: users.length === 0 ? [owner.name] : users.map((u) => u.name), name: spec.name, kind: spec.kind,
    pages, align: plan.ok ? plan.align ?? spec.align : spec.align, contiguous: plan.ok ? plan.contiguous : true,
    limitPfn: plan.ok ? plan.limitPfn : limitPfnOf(owner, pageSizeOf(d)),
    status: 'allocating', steps: plan.ok ? plan.steps : [], step: 0, tried: [], request: null, where: null, pins: 0,
    error: null, requestedAt: ctx.now, readyAt: null, session: dev.session,
  };
  s.buffers[id] = castDraft(rec);
  dev.buffers.push(id);
  dev.counters.allocs++;
  s.counters.buffers++;
  if (!plan.ok) failBuffer(d, id, plan.error, plan.constraint);
  else tryStep(d, ctx, id);
  return id;
}

function record(d: D, id: number, o: StepOutcome): void {
  d.devices.buffers[id].tried.push(o);
}

/** Try the buffer's current step; synchronous sources finish here, CMA is polled. */
export function tryStep(d: D, ctx: Ctx, id: number): void {
  for (;;) {
    const b = d.devices.buffers[id];
    if (b.step >= b.steps.length) {
      const last = b.tried.length === 0 ? 'no source' : b.tried.map((t) => `${t.target}: ${t.note}`).join('; ');
      const why = b.contiguous && b.limitPfn < NO_LIMIT
        ? `no ${b.pages}-page contiguous range below pfn 0x${b.limitPfn.toString(16)} (${last})`
        : `no memory (${last})`;
      failBuffer(d, id, `${b.owner}/${b.name}: ${why}`, errnoName(b.tried.length > 0 ? b.tried[b.tried.length - 1].errno : ERRNO.ENOMEM));
      return;
    }
    const st = b.steps[b.step];
    if (st.from === 'cma') {
      const req = nextRequestId(d);
      b.request = req;
      d.devices.requests[req] = id;
      requestCma(ctx, req, b.owner, st.area, b.pages, b.align, b.kind);
      ctx.schedule({ type: 'device.poll', buffer: id }, d.devices.settings.pollNs);
      return;
    }
    if (st.from === 'private') {
      const r = d.devices.regions[st.region];
      const off = regionFind(r, b.pages, b.align);
      if (off !== null) {
        d.devices.regions[st.region] = castDraft(regionTake(r, off, b.pages));
        record(d, id, { from: 'private', target: st.region, errno: 0, note: 'ok' });
        return bufferReady(d, id, { from: 'private', region: st.region, pfn: r.basePfn + off }, ctx.now);
      }
      record(d, id, { from: 'private', target: st.region, errno: ERRNO.ENOMEM, note: 'region full' });
    } else {
      const got = takePages(d, `${b.owner}/${b.name}`, b.pages, st.from === 'buddy', b.limitPfn);
      if (got.ok) {
        record(d, id, { from: st.from, target: st.from, errno: 0, note: 'ok' });
        return bufferReady(d, id, { from: st.from, pfns: got.pfns, allocs: got.allocs }, ctx.now);
      }
      record(d, id, { from: st.from, target: st.from, errno: got.errno, note: got.note });
    }
    b.step++;
  }
}

/** device.poll: the CMA request finished? Outside the DMA mask counts as a failure (dma_coherent_ok). */
export function pollBuffer(d: D, ctx: Ctx, id: number): void {
  const b = d.devices.buffers[id];
  if (b === undefined || b.request === null || (b.status !== 'allocating' && b.status !== 'freed')) return;
  const out = cmaOutcome(d, b.request);
  const st = b.steps[b.step];
  const area = st.from === 'cma' ? st.area : '?';
  if (out.state === 'pending') {
    // Back off with the wait so far: long migrations cost few polls, short ones are seen quickly.
    const pollNs = d.devices.settings.pollNs;
    ctx.schedule({ type: 'device.poll', buffer: id }, Math.max(pollNs, Math.min(MAX_POLL_NS, Math.floor((ctx.now - b.requestedAt) / 4))));
    return;
  }
  const req = b.request;
  if (b.status === 'freed') {
    // Closed while the request was in flight: hand the chunk straight back.
    if (out.state === 'done') releaseCma(ctx, req);
    b.request = null;
    delete d.devices.requests[req];
    retire(d, id);
    return;
  }
  if (out.state === 'done' && out.pfn + b.pages <= b.limitPfn) {
    record(d, id, { from: 'cma', target: area, errno: 0, note: 'ok' });
    return bufferReady(d, id, { from: 'cma', area, pfn: out.pfn, request: req }, out.at);
  }
  if (out.state === 'done') {
    releaseCma(ctx, req);
    // dma-direct frees a range dma_coherent_ok() refuses and moves on; nothing was allocated.
    record(d, id, { from: 'cma', target: area, errno: ERRNO.ENOMEM, note: `pfn 0x${out.pfn.toString(16)} outside the DMA mask` });
  } else {
    record(d, id, { from: 'cma', target: area, errno: out.errno, note: errnoName(out.errno) });
  }
  delete d.devices.requests[req];
  b.request = null;
  b.step++;
  tryStep(d, ctx, id);
}

function bufferReady(d: D, id: number, where: BufferRecord['where'], at: number): void {
  const b = d.devices.buffers[id];
  b.status = 'ready';
  b.where = castDraft(where);
  b.readyAt = at;
  d.devices.devices[b.owner].counters.allocNs += at - b.requestedAt;
  const key = where === null ? '?' : where.from === 'cma' ? `cma:${where.area}` : where.from === 'private' ? `private:${where.region}` : where.from;
  d.devices.counters.placedBy[key] = (d.devices.counters.placedBy[key] ?? 0) + 1;
}

function failBuffer(d: D, id: number, error: string, reason: string): void {
  const s = d.devices;
  const b = s.buffers[id];
  b.status = 'failed';
  b.error = error;
  s.devices[b.owner].counters.failures++;
  s.counters.failures++;
  s.counters.failuresBy[reason] = (s.counters.failuresBy[reason] ?? 0) + 1;
  detach(d, id);
  retire(d, id);
}

/** Free a live buffer: give its memory back now, or when its CMA request completes. */
export function freeBuffer(d: D, ctx: Ctx, id: number): void {
  const b = d.devices.buffers[id];
  if (b.status === 'ready' && b.where !== null) {
    const w = b.where;
    if (w.from === 'cma') {
      releaseCma(ctx, w.request);
      delete d.devices.requests[w.request];
      b.request = null;
    } else if (w.from === 'private') {
      const r = d.devices.regions[w.region];
      d.devices.regions[w.region] = castDraft(regionGive(r, w.pfn - r.basePfn, b.pages));
    } else freePages(d, w.allocs);
  }
  const inFlight = b.status === 'allocating' && b.request !== null;
  b.status = 'freed';
  b.pins = 0;
  detach(d, id);
  // A request in flight keeps the record live until the poll hands its chunk back.
  if (!inFlight) retire(d, id);
}

function detach(d: D, id: number): void {
  const dev = d.devices.devices[d.devices.buffers[id].owner];
  dev.buffers = dev.buffers.filter((x) => x !== id);
}

/** Keep the finished record among the last KEEP_FINISHED. */
function retire(d: D, id: number): void {
  const s = d.devices;
  s.finished.push(id);
  while (s.finished.length > KEEP_FINISHED) {
    const old = s.finished.shift()!;
    const r = s.buffers[old];
    if (r !== undefined && r.request === null) delete s.buffers[old];
  }
}
