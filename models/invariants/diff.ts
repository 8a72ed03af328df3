/**
 * What changed between two committed states, read from structural sharing: a record, array or
 * chunk whose reference is the same in both states has the same content (states are immutable;
 * the models copy what they write). The incremental checks look only where these say something
 * changed, so their cost follows the size of the change, not of memory.
 */
import type { Grouped } from '../memory/recOverlay.ts';
import type { Sharded } from '../memory/state.ts';

/** Indices at which two arrays of the same length hold different references. */
export function changedIndices<T>(a: readonly T[], b: readonly T[]): number[] {
  const out: number[] = [];
  if (a === b) return out;
  for (let i = 0; i < b.length; i++) if (a[i] !== b[i]) out.push(i);
  return out;
}

/** Keys whose value differs by reference between two records (added, removed or replaced). */
export function changedKeys<V>(a: Readonly<Record<string, V>> | undefined, b: Readonly<Record<string, V>> | undefined): string[] {
  if (a === b) return [];
  const out: string[] = [];
  if (b !== undefined) for (const k in b) if (a?.[k] !== b[k]) out.push(k);
  if (a !== undefined) for (const k in a) if (b === undefined || !(k in b)) out.push(k);
  return out;
}

/** Calls f(key, before, after) for every entry of a sharded map that was added, removed or replaced. */
export function eachShardChange<V>(a: Sharded<V>, b: Sharded<V>, f: (key: string, before: V | undefined, after: V | undefined) => void): void {
  for (const sk of changedKeys(a, b)) {
    const x = a[sk];
    const y = b[sk];
    for (const k of changedKeys(x, y)) f(k, x?.[k], y?.[k]);
  }
}

/** Calls f(chunkKey, before, after) for every chunk of a grouped map that was added, removed or replaced. */
export function eachChunkChange<V>(a: Grouped<V>, b: Grouped<V>, f: (key: number, before: V | undefined, after: V | undefined) => void): void {
  for (const g of changedKeys(a, b)) {
    const x = a[g];
    const y = b[g];
    for (const k of changedKeys(x, y)) f(Number(k), x?.[k], y?.[k]);
  }
}

/** True when `b` only appended to `a` (interned tables: owners, file names). */
export function appendedOnly<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a === b) return true;
  if (b.length < a.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
