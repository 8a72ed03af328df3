/**
 * Copy-once write access to a draft record of chunks (arrays) keyed by string, without immer
 * proxies on the hot path: the first write to a chunk in a draft copies it into a plain array
 * assigned into the draft; later reads and writes use that array directly.
 */
import { isDraft, original } from 'immer';

export interface RecOverlay<V> {
  readonly target: Record<string, V>;
  readonly base: Readonly<Record<string, V>>;
  /** null marks a deleted key. */
  readonly fresh: Map<string, V | null>;
}

export function recOverlay<V>(target: unknown): RecOverlay<V> {
  const t = target as Record<string, V>;
  // A plain (non-draft) target is a fresh copy owned by the caller: it is its own base.
  const base = isDraft(t) ? (original(t as object) as Record<string, V>) : t;
  return { target: t, base, fresh: new Map() };
}

export function ovGet<V>(o: RecOverlay<V>, k: string): V | undefined {
  const f = o.fresh.get(k);
  if (f !== undefined) return f === null ? undefined : f;
  return o.base[k];
}

/** The writable array at k (copied on first write); undefined when absent. */
export function ovOwn<T>(o: RecOverlay<T[]>, k: string): T[] | undefined {
  const f = o.fresh.get(k);
  if (f !== undefined) return f === null ? undefined : f;
  const b = o.base[k];
  if (b === undefined) return undefined;
  const c = b.slice();
  o.fresh.set(k, c);
  o.target[k] = c;
  return c;
}

export function ovPut<V>(o: RecOverlay<V>, k: string, v: V): void {
  o.fresh.set(k, v);
  o.target[k] = v;
}

export function ovDelete<V>(o: RecOverlay<V>, k: string): void {
  if (ovGet(o, k) === undefined) return;
  o.fresh.set(k, null);
  delete o.target[k];
}

/** Freeze the chunks this overlay copied or added (at commit: they hold no drafts). */
export function ovSeal<V>(o: RecOverlay<V>): void {
  for (const v of o.fresh.values()) if (v !== null) Object.freeze(v);
}
