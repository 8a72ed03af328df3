/**
 * Copy-once write access to a draft record of chunks (arrays) keyed by an integer (the record's
 * keys are the integer's decimal string, as JSON has it), without immer proxies on the hot path:
 * the first write to a chunk in a draft copies it into a plain array assigned into the draft;
 * later reads and writes use that array directly. The last chunk used is remembered, since
 * consecutive pages mostly fall in the same chunk.
 */
import { isDraft, original } from 'immer';
import { copyArray, copyRecord } from './copyArray.ts';

/**
 * A chunk map that may hold thousands of chunks, as groups of GROUP chunks: rec[g][k] with
 * g = floor(k / GROUP) (k is the chunk's own key in its group). A batch then copies the small top
 * record and the groups it touches, not every key, and a snapshot keeps only those copies.
 */
export type Grouped<V> = Readonly<Record<string, Readonly<Record<string, V>>>>;
export const GROUP = 64;

/** The chunk at k of a committed grouped map. */
export function recGet<V>(rec: Grouped<V>, k: number): V | undefined {
  return rec[Math.floor(k / GROUP)]?.[k];
}

/** [key, chunk] of a committed grouped map, in group then key order. */
export function* recEntries<V>(rec: Grouped<V>): Generator<[number, V]> {
  for (const g in rec) for (const k in rec[g]) yield [Number(k), rec[g][k]];
}

export interface RecOverlay<V> {
  /** The record written to: a plain object owned by this draft, made on first write when null. */
  target: Record<number, V> | null;
  readonly attach: (() => Record<number, V>) | null;
  readonly base: Readonly<Record<number, V>>;
  /** Grouped maps (see Grouped): the base is read through its groups; `groups` are the group records copied in this draft. */
  readonly groups: Map<number, Record<number, V>> | null;
  /** null marks a deleted key. */
  readonly fresh: Map<number, V | null>;
  /** Key of `lastV`, a chunk present in `fresh`; -1 when none. */
  lastK: number;
  lastV: V | undefined;
}

/**
 * An overlay on `target`. A plain (non-draft) target is a fresh copy owned by the caller and is
 * written directly. For a draft, pass `attach`, which puts a plain copy of the record in the
 * draft's place and returns it (done on first write): immer then neither copies the record nor
 * walks it, once it is sealed.
 */
export function recOverlay<V>(target: unknown, attach?: (copy: Record<number, V>) => void): RecOverlay<V> {
  const t = target as Record<number, V>;
  if (!isDraft(t)) return { target: t, attach: null, base: t, groups: null, fresh: new Map(), lastK: -1, lastV: undefined };
  const base = original(t as object) as Record<number, V>;
  const make = attach === undefined ? null : () => {
    const c = copyRecord(base as Readonly<Record<string, V>>) as Record<number, V>;
    attach(c);
    return c;
  };
  return { target: make === null ? t : null, attach: make, base, groups: null, fresh: new Map(), lastK: -1, lastV: undefined };
}

/**
 * An overlay on the committed grouped map `base`: the first write copies its top record and
 * hands it to `attach` (which puts it where the map lives in the draft); each group written is
 * copied once.
 */
export function groupedOverlay<V>(base: Grouped<V>, attach: (top: Record<string, Record<number, V>>) => void): RecOverlay<V> {
  const make = () => {
    const top = copyRecord(base) as Record<string, Record<number, V>>;
    attach(top);
    return top as unknown as Record<number, V>;
  };
  return { target: null, attach: make, base: base as unknown as Record<number, V>, groups: new Map(), fresh: new Map(), lastK: -1, lastV: undefined };
}

function baseGet<V>(o: RecOverlay<V>, k: number): V | undefined {
  return o.groups === null ? o.base[k] : recGet(o.base as unknown as Grouped<V>, k);
}

/** The record chunk k is written into: the map itself, or its group (copied on first write). */
function slotOf<V>(o: RecOverlay<V>, k: number): Record<number, V> {
  const top = targetOf(o);
  if (o.groups === null) return top;
  const g = Math.floor(k / GROUP);
  let grp = o.groups.get(g);
  if (grp === undefined) {
    const b = (top as unknown as Record<number, Record<number, V> | undefined>)[g];
    grp = b === undefined ? {} : (copyRecord(b) as Record<number, V>);
    o.groups.set(g, grp);
    (top as unknown as Record<number, Record<number, V>>)[g] = grp;
  }
  return grp;
}

function targetOf<V>(o: RecOverlay<V>): Record<number, V> {
  if (o.target === null) o.target = o.attach!();
  return o.target;
}

export function ovGet<V>(o: RecOverlay<V>, k: number): V | undefined {
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

export function ovPut<V>(o: RecOverlay<V>, k: number, v: V): void {
  o.fresh.set(k, v);
  slotOf(o, k)[k] = v;
  o.lastK = k;
  o.lastV = v;
}

export function ovDelete<V>(o: RecOverlay<V>, k: number): void {
  if (ovGet(o, k) === undefined) return;
  o.fresh.set(k, null);
  const grp = slotOf(o, k);
  delete grp[k];
  if (o.groups !== null) {
    for (const _ in grp) return unsetLast(o, k);
    // An empty group goes, so a map whose keys slide (the LRU) does not collect empty groups.
    const g = Math.floor(k / GROUP);
    delete (o.target as unknown as Record<number, unknown>)[g];
    o.groups.delete(g);
  }
  unsetLast(o, k);
}

function unsetLast<V>(o: RecOverlay<V>, k: number): void {
  if (k === o.lastK) {
    o.lastK = -1;
    o.lastV = undefined;
  }
}

/** Freeze the chunks this overlay copied or added, and the record it attached (at commit: they hold no drafts). */
export function ovSeal<V>(o: RecOverlay<V>): void {
  for (const v of o.fresh.values()) if (v !== null) Object.freeze(v);
  if (o.groups !== null) for (const g of o.groups.values()) Object.freeze(g);
  if (o.attach !== null && o.target !== null) Object.freeze(o.target);
}
