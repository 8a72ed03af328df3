import type { DeviceDef } from '../../../models/devices/state.ts';
import type { DeviceOpening, UseCaseGenerator } from '../../../models/workload/state.ts';
import { childPath } from '../jsonPath.ts';
import { array, record, duration, namesOf, knownKeys, object, opt, range, ref, req, ScenarioError, type Obj } from '../check.ts';
import { checkBufferRefs, checkBuffers, checkWork, type BufferRefs } from './devices.ts';

/** What a use-case generator may name. */
export interface UseCaseRefs extends Omit<BufferRefs, 'devices'> {
  readonly devices: readonly DeviceDef[];
  /** The devices model's use cases (dma.useCases). */
  readonly useCases: readonly string[];
}

type UseCaseFields = Pick<UseCaseGenerator, 'cases' | 'caseNames' | 'switches' | 'dwell' | 'initial'>;

/** The `usecase` generator's own fields: its cases (or dma.useCases), and fixed or random switches. */
export function checkUseCases(o: Obj, path: string, refs: UseCaseRefs): UseCaseFields {
  const cp = childPath(path, 'cases');
  let cases: Record<string, DeviceOpening[]> | null = null;
  let names: string[];
  if (o.cases === undefined || o.cases === null) {
    // Without `cases`, switch between the devices model's use cases (dma.useCases).
    if (refs.useCases.length === 0) throw new ScenarioError(cp, 'missing required field (or declare dma.useCases to switch between)');
    names = [...refs.useCases];
  } else {
    cases = record<DeviceOpening[]>();
    for (const [name, entries] of Object.entries(object(o.cases, cp, 'an object mapping case names to device lists'))) {
      cases[name] = checkCase(entries, childPath(cp, name), refs);
    }
    names = Object.keys(cases);
    if (names.length === 0) throw new ScenarioError(cp, 'expected at least one use case');
  }
  const sp = childPath(path, 'switches');
  let last = -1;
  const switches = opt(o, 'switches', path, array, []).map((s, k) => {
    const p = childPath(sp, k);
    const so = object(s, p, 'a switch { at, to }');
    knownKeys(so, p, ['at', 'to']);
    const at = req(so, 'at', p, duration);
    if (at <= last) throw new ScenarioError(childPath(p, 'at'), `expected times in strictly ascending order, got ${at}ns after ${last}ns`);
    last = at;
    return { at, to: req(so, 'to', p, (x, q) => ref(x, q, 'a use-case name', names)) };
  });
  const dwell = opt(o, 'dwell', path, (x, p) => range(x, p, (y, q) => {
    const ns = duration(y, q);
    if (ns <= 0) throw new ScenarioError(q, 'expected a duration > 0');
    return ns;
  }), null);
  if ((switches.length > 0) === (dwell !== null)) throw new ScenarioError(path, "expected exactly one of 'switches' (fixed times) or 'dwell' (random switching)");
  return { cases, caseNames: names, switches, dwell, initial: opt(o, 'initial', path, (x, p) => ref(x, p, 'a use-case name', names), null) };
}

/**
 * One case: the devices it opens, in order. An entry is a device name (opened with its declared
 * buffers and work) or `{ device, buffers, work }` giving the set this case opens it with.
 */
function checkCase(v: unknown, path: string, refs: UseCaseRefs): DeviceOpening[] {
  const names = namesOf(refs.devices);
  const byName = new Map(refs.devices.map((d) => [d.name, d]));
  const list = array(v, path, 'a list of devices (a name, or { device, buffers, work })').map((e, k): DeviceOpening => {
    const p = childPath(path, k);
    if (typeof e !== 'object' || e === null) {
      const def = byName.get(ref(e, p, 'a device name', names))!;
      return { device: def.name, buffers: def.buffers, work: def.work };
    }
    const eo = object(e, p, 'a device name, or { device, buffers, work }');
    knownKeys(eo, p, ['device', 'buffers', 'work']);
    const def = byName.get(req(eo, 'device', p, (x, q) => ref(x, q, 'a device name', names)))!;
    const bp = childPath(p, 'buffers');
    const buffers = opt(eo, 'buffers', p, checkBuffers, def.buffers);
    if (eo.buffers !== undefined && eo.buffers !== null) checkBufferRefs(buffers, bp, def.name, { ...refs, devices: names });
    const work = opt(eo, 'work', p, (x, q) => checkWork(x, q, buffers), def.work);
    // The device's own work pins buffers by name: they must be in the set this case gives it.
    const missing = eo.work === undefined || eo.work === null ? (work?.buffers ?? []).filter((n) => !buffers.some((b) => b.name === n)) : [];
    if (missing.length > 0) {
      throw new ScenarioError(bp, `expected the buffers ${def.name}'s declared work pins (${missing.map((n) => JSON.stringify(n)).join(', ')}), or a 'work' for this set`);
    }
    return { device: def.name, buffers, work };
  });
  const opened = new Set<string>();
  list.forEach((o, k) => {
    if (opened.has(o.device)) throw new ScenarioError(childPath(path, k), `duplicate device ${JSON.stringify(o.device)} in this case`);
    opened.add(o.device);
  });
  return list;
}
