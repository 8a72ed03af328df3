/**
 * Maps that may grow to millions of entries are split into shards (plain objects), so one write
 * under immer copies one shard of a few hundred keys instead of the whole map.
 * Numeric keys shard by key >> 8; string keys by an FNV-1a hash (deterministic).
 *
 * Inside a draft a sharded map is written through a copy-once overlay (recOverlay.ts keyedOverlay,
 * grouped by shard): a written shard is copied once per draft, later reads and writes use that
 * copy, reads of unwritten shards go to the committed map, and the copies are frozen at commit.
 * So no immer proxy is made per shard touched. Write these maps only through shardSet/shardDelete
 * or a shardWriter.
 */
import { isDraft, original, type Draft } from 'immer';
import { keyedOverlay, ovDelete, ovGet, ovPut, ovSeal, type Key, type RecOverlay } from './recOverlay.ts';
import type { Sharded } from './state.ts';

const SHARDS = 4096;

/**
 * The shard (a property key of the map) holding `key`; a number for a numeric key, which spares
 * making its string on every access. One key type per map: the draft overlay groups writes by
 * this value, so numeric shard 1 and string shard "1" would be two groups for one property and
 * the later copy would drop the other's writes. Every sharded map today is keyed by pfn (number)
 * or by name (string), never both.
 */
export function shardOf(key: string | number): string | number {
  if (typeof key === 'number') return Math.floor(key / 256);
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return String(h % SHARDS);
}

/** A sharded map's copy-once overlay for one draft. */
export type ShardWriter<V> = RecOverlay<V, Key>;

/**
 * The overlay of a committed sharded map whose top record is copied on first write and handed
 * to `attach` (which puts it in the draft's place, one proxy write per batch): for maps written
 * on every event (pins), which are then never reached through an immer proxy. The committed map
 * must not be written another way in the same batch.
 */
export function shardWriter<V>(base: Sharded<V>, attach: (top: Record<string, Record<string, V>>) => void): ShardWriter<V> {
  return keyedOverlay<V, Key>(base, attach as (top: Record<string, Record<Key, V>>) => void, shardOf);
}

/** The overlay of a sharded map reached as a draft (its shards are assigned into the draft). */
const drafted = new WeakMap<object, ShardWriter<unknown>>();

function writerOf<V>(map: Sharded<V>): ShardWriter<V> {
  let o = drafted.get(map) as ShardWriter<V> | undefined;
  if (o === undefined) {
    o = keyedOverlay<V, Key>(original(map as Draft<Sharded<V>>) as Sharded<V>, map, shardOf);
    drafted.set(map, o as ShardWriter<unknown>);
  }
  return o;
}

export function shardGet<V>(map: Sharded<V>, key: string | number): V | undefined {
  if (isDraft(map)) return ovGet(writerOf(map), key);
  return map[shardOf(key)]?.[String(key)];
}

export function shardSet<V>(map: Sharded<V>, key: string | number, value: V): void {
  if (isDraft(map)) return ovPut(writerOf(map), key, value);
  const sk = shardOf(key);
  ((map as Record<string, Record<string, V>>)[sk] ??= {})[String(key)] = value;
}

export function shardDelete<V>(map: Sharded<V>, key: string | number): void {
  if (isDraft(map)) return ovDelete(writerOf(map), key);
  const m = map as Record<string, Record<string, V>>;
  const sk = shardOf(key);
  const s = m[sk];
  if (s === undefined || !(String(key) in s)) return;
  delete s[String(key)];
  for (const _ in s) return;
  delete m[sk];
}

export const swGet: <V>(o: ShardWriter<V>, key: string | number) => V | undefined = ovGet;
export const swSet: <V>(o: ShardWriter<V>, key: string | number, value: V) => void = ovPut;
export const swDelete: <V>(o: ShardWriter<V>, key: string | number) => void = ovDelete;
/** Freeze what the writer copied (it is registered to run at commit when the writer is made; tests outside a batch call it). */
export const sealShards: <V>(o: ShardWriter<V>) => void = ovSeal;

/** All values, in shard then key insertion order (deterministic). */
export function* shardValues<V>(map: Sharded<V>): Generator<V> {
  for (const sk of Object.keys(map)) for (const v of Object.values(map[sk])) yield v;
}
