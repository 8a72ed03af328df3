/**
 * Maps that may grow to millions of entries are split into shards (plain objects), so one write
 * under immer copies one shard of a few hundred keys instead of the whole map.
 * Numeric keys shard by key >> 8; string keys by an FNV-1a hash (deterministic).
 */
import type { Draft } from 'immer';
import type { Sharded } from './state.ts';

const SHARDS = 4096;

export function shardOf(key: string | number): string {
  if (typeof key === 'number') return String(Math.floor(key / 256));
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return String(h % SHARDS);
}

export function shardGet<V>(map: Sharded<V>, key: string | number): V | undefined {
  const s = map[shardOf(key)];
  return s === undefined ? undefined : s[String(key)];
}

export function shardSet<V>(map: Draft<Sharded<V>>, key: string | number, value: V): void {
  const sk = shardOf(key);
  const m = map as Record<string, Record<string, V>>;
  if (m[sk] === undefined) m[sk] = {};
  m[sk][String(key)] = value;
}

export function shardDelete<V>(map: Draft<Sharded<V>>, key: string | number): void {
  const sk = shardOf(key);
  const m = map as Record<string, Record<string, V>>;
  const s = m[sk];
  if (s === undefined || !(String(key) in s)) return;
  delete s[String(key)];
  if (Object.keys(s).length === 0) delete m[sk];
}

/** All values, in shard then key insertion order (deterministic). */
export function* shardValues<V>(map: Sharded<V>): Generator<V> {
  for (const sk of Object.keys(map)) for (const v of Object.values(map[sk])) yield v;
}
