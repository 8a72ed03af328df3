/**
 * Copy-once write access to a draft record of chunks (arrays) keyed by an integer (the record's
 * keys are the integer's decimal string, as JSON has it), without immer proxies on the hot path:
 * the first write to a chunk in a draft copies it into a plain array assigned into the draft;
 * later reads and writes use that array directly. The last chunk used is remembered, since
 * consecutive pages mostly fall in the same chunk.
 */
import { isDraft, original } from 'immer';
import { copyArray } from './copyArray.ts';

export interface RecOverlay<V> {
  readonly target: Record<number, V>;
  readonly base: Readonly<Record<number, V>>;
  /** null marks a deleted key. */
  readonly fresh: Map<number, V | null>;
  /** Key of `lastV`, a chunk present in `fresh`; -1 when none. */
  lastK: number;
  lastV: V | undefined;
}

export function recOverlay<V>(target: unknown): RecOverlay<V> {
  const t = target as Record<number, V>;
  // A plain (non-draft) target is a fresh copy owned by the caller: it is its own base.
  const base = isDraft(t) ? (original(t as object) as Record<number, V>) : t;
  return { target: t, base, fresh: new Map(), lastK: -1, lastV: undefined };
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
    o.target[k] = f;
  } else if (f === null) {
    return undefined;
  }
  o.lastK = k;
  o.lastV = f;
  return f;
}

export function ovPut<V>(o: RecOverlay<V>, k: number, v: V): void {
  o.fresh.set(k, v);
  o.target[k] = v;
  o.lastK = k;
  o.lastV = v;
}

export function ovDelete<V>(o: RecOverlay<V>, k: number): void {
  if (ovGet(o, k) === undefined) return;
  o.fresh.set(k, null);
  delete o.target[k];
  if (k === o.lastK) {
    o.lastK = -1;
    o.lastV = undefined;
  }
}

/** Freeze the chunks this overlay copied or added (at commit: they hold no drafts). */
export function ovSeal<V>(o: RecOverlay<V>): void {
  for (const v of o.fresh.values()) if (v !== null) Object.freeze(v);
}
