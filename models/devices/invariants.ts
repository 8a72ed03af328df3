/**
 * Invariants of the devices aggregate: its bookkeeping agrees with itself and with the CMA chunks
 * and private regions it holds memory in. Register as `{ name: 'devices', check: checkDevicesInvariants }`.
 */
import type { Violation } from '../invariants/violation.ts';
import type { SimState } from '../state.ts';
import { regionFreePages } from './privateRegion.ts';

const v = (invariant: string, message: string): Violation => ({ invariant: `devices.${invariant}`, message });

export function checkDevicesInvariants(s: SimState): Violation[] {
  const out: Violation[] = [];
  const d = s.devices;
  for (const [name, dev] of Object.entries(d.devices)) {
    for (const id of dev.buffers) {
      const b = d.buffers[id];
      if (b === undefined) out.push(v('live', `${name} lists buffer ${id}, which has no record`));
      else if (b.owner !== name || (b.status !== 'allocating' && b.status !== 'ready')) out.push(v('live', `${name} lists buffer ${id} (${b.owner}, ${b.status})`));
    }
    for (const id of dev.working) if (!dev.buffers.includes(id)) out.push(v('working', `${name} works on buffer ${id}, which it does not hold`));
    if (!dev.open && (dev.buffers.length > 0 || dev.working.length > 0)) {
      // dma.alloc may give a closed device buffers; an operation needs it open.
      if (dev.working.length > 0) out.push(v('working', `${name} is closed but works on ${dev.working.join(', ')}`));
    }
  }
  const regionUse: Record<string, number> = {};
  for (const b of Object.values(d.buffers)) {
    const w = b.where;
    if (b.status === 'ready' && w?.from === 'cma') {
      const c = s.cma.chunks[w.request];
      if (c === undefined) out.push(v('chunk', `buffer ${b.id} (${b.owner}/${b.name}) holds CMA chunk ${w.request}, which does not exist`));
      else if (c.count !== b.pages || c.area !== w.area) out.push(v('chunk', `buffer ${b.id} has ${b.pages} pages in ${w.area}, chunk ${c.id} has ${c.count} in ${c.area}`));
      // Pins are not compared: cma.pin/cma.unpin follow the driver's bookkeeping one event later.
    }
    if (b.status === 'ready' && w?.from === 'private') regionUse[w.region] = (regionUse[w.region] ?? 0) + b.pages;
    if (b.request !== null && d.requests[b.request] !== b.id) out.push(v('requests', `buffer ${b.id} waits for request ${b.request}, which is not mapped to it`));
  }
  for (const r of Object.values(d.regions)) {
    const used = r.count - regionFreePages(r);
    if (used !== (regionUse[r.name] ?? 0)) out.push(v('region', `private region ${r.name} accounts ${used} pages, its ready buffers hold ${regionUse[r.name] ?? 0}`));
  }
  return out;
}
