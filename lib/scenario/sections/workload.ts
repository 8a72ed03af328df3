import { validateEvent } from '../../../events/index.ts';
import { MAX_EVENT_PAGES, MAX_PAGE_INDEX } from '../../../events/schema.ts';
import type { Arrival, GeneratorSpec } from '../../../models/workload/state.ts';
import { childPath } from '../jsonPath.ts';
import {
  array, duration, int, namesOf, knownKeys, number, object, oneOf, opt, range, ref, req, ScenarioError, size, string, uniqueNames, type Obj,
} from '../check.ts';
import { checkUseCases, type UseCaseRefs } from './useCaseGenerator.ts';
import { keysOf } from '../shape.ts';
import { ALLOC, GENERATOR_SHAPES, GENERATORS, MAX_RATE } from '../scenarioShape.ts';

/** What workload generators may refer to. */
export interface WorkloadRefs extends UseCaseRefs {
  readonly areas: readonly string[];
  readonly pageSize: number;
  readonly maxOrder: number;
}

const probability = (x: unknown, p: string): number => {
  if (typeof x !== 'number' || !(x >= 0 && x <= 1)) throw new ScenarioError(p, `expected a probability in [0, 1], got ${JSON.stringify(x)}`);
  return x;
};

export function checkWorkload(v: unknown, path: string, refs: WorkloadRefs): GeneratorSpec[] {
  const raw = array(v ?? [], path, 'a list of workload generators');
  const list = raw.map((g, i) => checkGenerator(g, childPath(path, i), i, refs));
  uniqueNames(list, path);
  // Pins land in cached pages: unless told otherwise, pin the files the (first) page-cache generator reads.
  const pc = list.find((g) => g.kind === 'pagecache');
  return list.map((g, i) => {
    if (g.kind !== 'pins' || pc?.kind !== 'pagecache') return g;
    const o = raw[i] as Obj;
    return { ...g, ...(o.files === undefined ? { files: pc.files } : {}), ...(o.fileSize === undefined ? { filePages: pc.filePages } : {}) };
  });
}

/** A file's size: its page indices must be event page indices (events/schema's 'index'). */
function fileSize(x: unknown, p: string, pageSize: number): number {
  const b = size(x, p);
  if (b / pageSize > MAX_PAGE_INDEX + 1) throw new ScenarioError(p, `expected at most ${MAX_PAGE_INDEX + 1} pages, got ${b / pageSize}`);
  return b;
}

function checkArrival(o: Obj, path: string, process: 'periodic' | 'poisson' | 'burst'): Arrival {
  if (process === 'periodic') return { process, period: positive(req(o, 'period', path, duration), childPath(path, 'period')), jitter: opt(o, 'jitter', path, duration, 0) };
  if (process === 'poisson') return { process, rate: req(o, 'rate', path, rate) };
  const a = {
    process, every: req(o, 'every', path, duration), size: req(o, 'size', path, (x, p) => int(x, p, 1, MAX_EVENT_PAGES)), spacing: opt(o, 'spacing', path, duration, 0),
  };
  if ((a.size - 1) * a.spacing > a.every) throw new ScenarioError(childPath(path, 'every'), `expected at least size-1 spacings (${(a.size - 1) * a.spacing}ns), got ${a.every}`);
  if (a.every === 0) throw new ScenarioError(childPath(path, 'every'), 'expected a duration > 0');
  return a;
}

/** Events per simulated second (MAX_RATE at most). */
function rate(x: unknown, p: string): number {
  const r = number(x, p, 'a rate in events per second (> 0)');
  if (r > MAX_RATE) throw new ScenarioError(p, `expected a rate of at most 1e9 per second (one event per ns), got ${r}`);
  return r;
}

function positive(ns: number, path: string): number {
  if (ns <= 0) throw new ScenarioError(path, 'expected a duration > 0');
  return ns;
}

/** pagecache/pins generators take a Poisson `rate` or a `period`. */
function sugarArrival(o: Obj, path: string): Arrival {
  return checkArrival(o, path, o.period !== undefined ? 'periodic' : 'poisson');
}

function checkGenerator(v: unknown, path: string, i: number, refs: WorkloadRefs): GeneratorSpec {
  const o = object(v, path, 'a workload generator { generator, ... }');
  const generator = req(o, 'generator', path, (x, p) => oneOf(x, p, GENERATORS));
  knownKeys(o, path, keysOf(GENERATOR_SHAPES[generator]));
  const base = {
    name: opt(o, 'name', path, string, `${generator}${i}`),
    start: opt(o, 'start', path, duration, 0),
    stop: opt(o, 'stop', path, duration, null),
    count: opt(o, 'count', path, (x, p) => int(x, p, 1), null),
  };
  const files = (x: Obj, p: string) => ({
    files: opt(x, 'files', p, (y, q) => int(y, q, 1, MAX_EVENT_PAGES), 8),
    filePages: Math.max(1, Math.floor(opt(x, 'fileSize', p, (y, q) => fileSize(y, q, refs.pageSize), 64 * 2 ** 20) / refs.pageSize)),
  });
  switch (generator) {
    case 'periodic': case 'poisson': case 'burst': {
      return { ...base, kind: 'alloc', arrival: checkArrival(o, path, generator), ...checkAlloc(req(o, 'alloc', path, object), childPath(path, 'alloc'), refs) };
    }
    case 'pagecache':
      return {
        ...base, kind: 'pagecache', arrival: sugarArrival(o, path), ...files(o, path),
        readahead: opt(o, 'readahead', path, (x, p) => range(x, p, (y, q) => int(y, q, 1, MAX_EVENT_PAGES)), [1, 32] as const),
        dirty: opt(o, 'dirty', path, probability, 0),
      };
    case 'pins':
      return {
        ...base, kind: 'pins', arrival: sugarArrival(o, path), ...files(o, path),
        pages: opt(o, 'pages', path, (x, p) => range(x, p, (y, q) => int(y, q, 1, MAX_EVENT_PAGES)), [1, 1] as const),
        hold: req(o, 'hold', path, (x, p) => range(x, p, duration)),
        longterm: opt(o, 'longterm', path, probability, 0),
      };
    case 'memory':
      return {
        ...base, kind: 'memory', arrival: sugarArrival(o, path),
        memKind: opt(o, 'kind', path, (x, p) => oneOf(x, p, ['movable', 'unmovable', 'reclaimable'] as const), 'movable'),
        order: opt(o, 'order', path, (x, p) => range(x, p, (y, q) => int(y, q, 0, refs.maxOrder)), [0, 0] as const),
        pages: opt(o, 'pages', path, (x, p) => {
          // A run is order-0 pages (memory.alloc count): an order besides it would be ignored.
          if (o.order !== undefined) throw new ScenarioError(p, "expected either 'pages' (runs of order-0 pages) or 'order', not both");
          return range(x, p, (y, q) => int(y, q, 1, MAX_EVENT_PAGES));
        }, null),
        hold: opt(o, 'hold', path, (x, p) => range(x, p, (y, q) => positive(duration(y, q), q)), null),
        owner: opt(o, 'owner', path, string, base.name),
      };
    case 'usecase':
      return { ...base, kind: 'usecase', ...checkUseCases(o, path, refs) };
    case 'replay': {
      const ep = childPath(path, 'events');
      let last = 0;
      const events = array(req(o, 'events', path, array), ep).map((x, k) => {
        const p = childPath(ep, k);
        const r = object(x, p, 'a recorded event { at, event }');
        knownKeys(r, p, ['at', 'event']);
        const at = req(r, 'at', p, duration);
        if (at < last) throw new ScenarioError(childPath(p, 'at'), `expected times in ascending order, got ${at}ns after ${last}ns`);
        last = at;
        const err = validateEvent(r.event);
        if (err) throw new ScenarioError(childPath(p, 'event'), err);
        return { at, event: r.event as { type: string } & Record<string, unknown> };
      });
      return { ...base, kind: 'replay', events };
    }
  }
}

function checkAlloc(o: Obj, path: string, refs: WorkloadRefs) {
  knownKeys(o, path, keysOf(ALLOC));
  const device = opt(o, 'device', path, (x, p) => ref(x, p, 'a device name', namesOf(refs.devices)), null);
  const areaList = o.areas === undefined ? [] : typeof o.areas === 'string' ? [o.areas] : array(o.areas, childPath(path, 'areas'), 'an area name or a list of them');
  const ap = childPath(path, 'areas');
  return {
    requester: device ?? opt(o, 'requester', path, string, 'workload'),
    memKind: opt(o, 'kind', path, string, ''),
    areas: areaList.map((a, k) => ref(a, typeof o.areas === 'string' ? ap : childPath(ap, k), 'an area name', refs.areas)),
    size: req(o, 'size', path, (x, p) => range(x, p, (y, q) => { const b = size(y, q); if (b === 0) throw new ScenarioError(q, 'expected a size > 0'); return b; })),
    align: opt(o, 'align', path, (x, p) => int(x, p, 0, 30), 0),
    hold: opt(o, 'hold', path, (x, p) => range(x, p, duration), null),
  };
}
