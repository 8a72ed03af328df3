/**
 * Copy-once write access to a draft record of chunks (arrays) keyed by an integer (the record's
 * keys are the integer's decimal string, as JSON has it), without immer proxies on the hot path:
 * the first write to a chunk in a draft copies it into a plain array assigned into the draft;
 * later reads and writes use that array directly. The last chunk used is remembered, since
 * consecutive pages mostly fall in the same chunk.
 */
import { isDraft, original } from 'immer';
import { copyArray, copyRecord } from './copyArray.ts';

export interface RecOverlay<V> {
  /** The record written to: a plain object owned by this draft, made on first write when null. */
  target: Record<number, V> | null;
  readonly attach: (() => Record<number, V>) | null;
  readonly base: Readonly<Record<number, V>>;
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
  if (!isDraft(t)) return { target: t, attach: null, base: t, fresh: new Map(), lastK: -1, lastV: undefined };
  const base = original(t as object) as Record<number, V>;
  const make = attach === undefined ? null : () => {
    const c = copyRecord(base as Readonly<Record<string, V>>) as Record<number, V>;
    attach(c);
    return c;
  };
  return { target: make === null ? t : null, attach: make, base, fresh: new Map(), lastK: -1, lastV: undefined };
}

function targetOf<V>(o: RecOverlay<V>): Record<number, V> {
  if (o.target === null) o.target = o.attach!();
  return o.target;
}

export function ovGet<V>(o: RecOverlay<V>, k: number): V | undefined {
  if (k === o.lastK) return o.lastV;
  const f = o.fresh.get(k);
  if (f !== undefined) return f === null ? undefined : f;
  return o.base[k];
}

/** The writable array at k (copied on first write); undefined when absent. */
export function ovOwn<T>(o: RecOverlay<T[]>, k: number): T[] | undefined {
  if (k === o.lastK) return o.lastV;
  let f = o.fresh.get(k);
  if (f === undefined) {
    const b = o.base[k] as readonly T[] | undefined;
    if (b === undefined) return undefined;
    f = copyArray(b);
    o.fresh.set(k, f);
    targetOf(o)[k] = f;
  } else if (f === null) {
    return undefined;
  }
  o.lastK = k;
  o.lastV = f;
  return f;
}

export function ovPut<V>(o: RecOverlay<V>, k: number, v: V): void {
  o.fresh.set(k, v);
  targetOf(o)[k] = v;
  o.lastK = k;
  o.lastV = v;
}

export function ovDelete<V>(o: RecOverlay<V>, k: number): void {
  if (ovGet(o, k) === undefined) return;
  o.fresh.set(k, null);
  delete targetOf(o)[k];
  if (k === o.lastK) {
    o.lastK = -1;
    o.lastV = undefined;
  }
}

/** Freeze the chunks this overlay copied or added, and the record it attached (at commit: they hold no drafts). */
export function ovSeal<V>(o: RecOverlay<V>): void {
  for (const v of o.fresh.values()) if (v !== null) Object.freeze(v);
  if (o.attach !== null && o.target !== null) Object.freeze(o.target);
}
