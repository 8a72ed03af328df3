/**
 * Copy-once write access to a draft record of values keyed by an integer or a string (the
 * record's keys are the key's string, as JSON has it), without immer proxies on the hot path:
 * the first write of a draft copies what it writes into plain objects assigned into the draft;
 * later reads and writes use them directly. Every overlay registers its seal (ovSeal) when it is
 * made, so what it copied is frozen at the batch's commit (models/overlay/sealAtCommit.ts). The
 * last value used is remembered, since consecutive pages mostly fall in the same chunk.
 * The page cache's chunk maps and the memory model's sharded maps (shardedMap.ts) are such overlays.
 */
import { isDraft, original } from 'immer';
import { copyArray, copyRecord } from '../overlay/copyArray.ts';
import { sealAtCommit } from '../overlay/sealAtCommit.ts';

export type Key = number | string;

/**
 * A map that may hold thousands of values, as groups: rec[g][k] with g = groupOf(k) (k is the
 * value's own key in its group). A batch then copies the small top record and the groups it
 * touches, not every key, and a snapshot keeps only those copies. Chunk maps group by
 * floor(k / GROUP); sharded maps by shardedMap.ts shardOf.
 */
export type Grouped<V> = Readonly<Record<string, Readonly<Record<string, V>>>>;
export const GROUP = 64;

const byChunk = (k: Key): Key => Math.floor((k as number) / GROUP);

/** The group of k: chunk maps inline their division (the page cache's hot path), other maps call their grouping. */
function groupKey<K extends Key>(groupOf: (k: K) => Key, k: K): Key {
  return groupOf === byChunk ? Math.floor((k as number) / GROUP) : groupOf(k);
}

/** The chunk at k of a committed grouped map. */
export function recGet<V>(rec: Grouped<V>, k: number): V | undefined {
  return rec[Math.floor(k / GROUP)]?.[k];
}

/** [key, chunk] of a committed grouped map, in group then key order. */
export function* recEntries<V>(rec: Grouped<V>): Generator<[number, V]> {
  for (const g in rec) for (const k in rec[g]) yield [Number(k), rec[g][k]];
}

export interface RecOverlay<V, K extends Key = number> {
  /** The record written to: the draft itself, or a plain copy owned by this draft (made on first write when null). */
  target: Record<Key, V> | null;
  readonly attach: (() => Record<Key, V>) | null;
  readonly base: Readonly<Record<Key, V>>;
  /** Grouped maps (see Grouped): how a key finds its group; null for a flat record. */
  readonly groupOf: ((k: K) => Key) | null;
  /** The group records copied (or started) in this draft; null marks a group dropped empty. */
  readonly groups: Map<Key, Record<Key, V> | null>;
  /**
   * Keys in group records of `groups`, counted on a group's first delete and kept by later puts and
   * deletes: whether a delete empties its group is then known without enumerating the group each time.
   */
  readonly sizes: Map<Record<Key, V>, number>;
  /** Values written in this draft; null marks a deleted key. */
  readonly fresh: Map<K, V | null>;
  /** Key of `lastV`, a value present in `fresh`; -1 when none. */
  lastK: K | -1;
  lastV: V | undefined;
}

function made<V, K extends Key>(o: RecOverlay<V, K>): RecOverlay<V, K> {
  sealAtCommit(() => ovSeal(o));
  return o;
}

/**
 * An overlay on `target`. A plain (non-draft) target is a fresh copy owned by the caller and is
 * written directly. For a draft, pass `attach`, which puts a plain copy of the record in the
 * draft's place and returns it (done on first write): immer then neither copies the record nor
 * walks it, once it is sealed.
 */
export function recOverlay<V>(target: unknown, attach?: (copy: Record<number, V>) => void): RecOverlay<V> {
  const t = target as Record<number, V>;
  if (!isDraft(t)) return made({ target: t, attach: null, base: t, groupOf: null, groups: new Map(), sizes: new Map(), fresh: new Map(), lastK: -1, lastV: undefined });
  const base = original(t as object) as Record<number, V>;
  const make = attach === undefined ? null : () => {
    const c = copyRecord(base as Readonly<Record<string, V>>) as Record<number, V>;
    attach(c);
    return c;
  };
  return made({ target: make === null ? t : null, attach: make, base, groupOf: null, groups: new Map(), sizes: new Map(), fresh: new Map(), lastK: -1, lastV: undefined });
}

/**
 * An overlay on the committed grouped map `base`: the first write copies its top record and
 * hands it to `attach` (which puts it where the map lives in the draft); each group written is
 * copied once.
 */
export function groupedOverlay<V>(base: Grouped<V>, attach: (top: Record<string, Record<number, V>>) => void): RecOverlay<V> {
  return keyedOverlay<V, number>(base, attach, byChunk);
}

/**
 * groupedOverlay with any grouping of keys. `top` is where the map lives: a function that puts
 * the copied top record there (attach, above), or the map's own draft, whose groups are then
 * assigned into it (one proxy write per group written).
 */
export function keyedOverlay<V, K extends Key>(base: Grouped<V>, top: ((top: Record<string, Record<Key, V>>) => void) | object, groupOf: (k: K) => Key): RecOverlay<V, K> {
  const b = base as unknown as Record<Key, V>;
  if (typeof top !== 'function') return made({ target: top as Record<Key, V>, attach: null, base: b, groupOf, groups: new Map(), sizes: new Map(), fresh: new Map(), lastK: -1, lastV: undefined });
  const make = () => {
    const t = copyRecord(base) as Record<string, Record<Key, V>>;
    (top as (t: Record<string, Record<Key, V>>) => void)(t);
    return t as unknown as Record<Key, V>;
  };
  return made({ target: null, attach: make, base: b, groupOf, groups: new Map(), sizes: new Map(), fresh: new Map(), lastK: -1, lastV: undefined });
}

function baseGet<V, K extends Key>(o: RecOverlay<V, K>, k: K): V | undefined {
  // A key written or deleted in this draft is in `fresh`, so the base answers for every other key.
  return o.groupOf === null ? o.base[k] : (o.base as unknown as Record<Key, Record<Key, V> | undefined>)[groupKey(o.groupOf, k)]?.[k];
}

/** The record value k is written into: the map itself, or its group (copied on first write). */
function slotOf<V, K extends Key>(o: RecOverlay<V, K>, k: K): Record<Key, V> {
  const top = targetOf(o);
  if (o.groupOf === null) return top;
  const g = groupKey(o.groupOf, k);
  let grp = o.groups.get(g);
  if (grp === undefined || grp === null) {
    const b = grp === null ? undefined : (o.base as unknown as Record<Key, Record<Key, V> | undefined>)[g];
    grp = b === undefined ? {} : (copyRecord(b) as Record<Key, V>);
    o.groups.set(g, grp);
    (top as unknown as Record<Key, Record<Key, V>>)[g] = grp;
  }
  return grp;
}

function keyCount(r: object): number {
  let n = 0;
  for (const _ in r) n++;
  return n;
}

function targetOf<V, K extends Key>(o: RecOverlay<V, K>): Record<Key, V> {
  if (o.target === null) o.target = o.attach!();
  return o.target;
}

export function ovGet<V, K extends Key = number>(o: RecOverlay<V, K>, k: K): V | undefined {
  if (k === o.lastK) return o.lastV;
  const f = o.fresh.get(k);
  if (f !== undefined) return f === null ? undefined : f;
  return baseGet(o, k);
}

/** The writable array at k (copied on first write); undefined when absent. */
export function ovOwn<T>(o: RecOverlay<T[]>, k: number): T[] | undefined {
  if (k === o.lastK) return o.lastV;
  let f = o.fresh.get(k);
  if (f === undefined) {
    const b = baseGet(o, k) as readonly T[] | undefined;
    if (b === undefined) return undefined;
    f = copyArray(b);
    o.fresh.set(k, f);
    slotOf(o, k)[k] = f;
  } else if (f === null) {
    return undefined;
  }
  o.lastK = k;
  o.lastV = f;
  return f;
}

export function ovPut<V, K extends Key = number>(o: RecOverlay<V, K>, k: K, v: V): void {
  o.fresh.set(k, v);
  const grp = slotOf(o, k);
  if (o.groupOf !== null) {
    const n = o.sizes.get(grp);
    if (n !== undefined && !Object.hasOwn(grp, k)) o.sizes.set(grp, n + 1);
  }
  grp[k] = v;
  o.lastK = k;
  o.lastV = v;
}

export function ovDelete<V, K extends Key = number>(o: RecOverlay<V, K>, k: K): void {
  if (ovGet(o, k) === undefined) return;
  o.fresh.set(k, null);
  const grp = slotOf(o, k);
  const left = o.groupOf === null ? 1 : (o.sizes.get(grp) ?? keyCount(grp)) - 1;
  delete grp[k];
  if (o.groupOf !== null) {
    o.sizes.set(grp, left);
    if (left > 0) return unsetLast(o, k);
    // An empty group goes, so a map whose keys slide (the LRU) does not collect empty groups.
    const g = groupKey(o.groupOf, k);
    delete (o.target as unknown as Record<Key, unknown>)[g];
    o.groups.set(g, null);
  }
  unsetLast(o, k);
}

function unsetLast<V, K extends Key>(o: RecOverlay<V, K>, k: K): void {
  if (k === o.lastK) {
    o.lastK = -1;
    o.lastV = undefined;
  }
}

/** Freeze the values this overlay copied or added, its groups and the record it attached (at commit: they hold no drafts). */
export function ovSeal<V, K extends Key>(o: RecOverlay<V, K>): void {
  for (const v of o.fresh.values()) if (v !== null && typeof v === 'object') Object.freeze(v);
  for (const g of o.groups.values()) if (g !== null) Object.freeze(g);
  if (o.attach !== null && o.target !== null) Object.freeze(o.target);
}
