/**
 * Maps that may grow to millions of entries are split into shards (plain objects), so one write
 * under immer copies one shard of a few hundred keys instead of the whole map.
 * Numeric keys shard by key >> 8; string keys by an FNV-1a hash (deterministic).
 *
 * Inside a draft, a written shard is copied once per draft into a plain object assigned into the
 * map, and later reads and writes use that copy; reads of unwritten shards go to the map's base.
 * So no immer proxy is made per shard touched. Write these maps only through shardSet/shardDelete.
 */
import { isDraft, original, type Draft } from 'immer';
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

type Shard<V> = Record<string, V>;

interface ShardOverlay<V> {
  readonly base: Sharded<V>;
  readonly target: Record<string, Shard<V>>;
  /** Shards copied in this draft; null once deleted. */
  readonly own: Map<string, Shard<V> | null>;
}

const overlays = new WeakMap<object, ShardOverlay<unknown>>();

function overlayOf<V>(map: Sharded<V> | Draft<Sharded<V>>): ShardOverlay<V> | null {
  if (!isDraft(map)) return null;
  let o = overlays.get(map) as ShardOverlay<V> | undefined;
  if (o === undefined) {
    o = { base: original(map as object) as Sharded<V>, target: map as Record<string, Shard<V>>, own: new Map() };
    overlays.set(map, o as ShardOverlay<unknown>);
  }
  return o;
}

function readShard<V>(map: Sharded<V>, sk: string): Readonly<Shard<V>> | undefined {
  const o = overlayOf(map);
  if (o === null) return map[sk];
  const s = o.own.get(sk);
  return s === undefined ? o.base[sk] : s ?? undefined;
}

/** The shard, writable: a plain copy owned by this draft (or the shard itself outside drafts). */
function ownShard<V>(map: Draft<Sharded<V>>, sk: string, create: boolean): Shard<V> | undefined {
  const o = overlayOf(map as Sharded<V>);
  const m = map as Record<string, Shard<V>>;
  if (o === null) {
    if (m[sk] === undefined && create) m[sk] = {};
    return m[sk];
  }
  let s = o.own.get(sk);
  if (s === undefined) {
    const b = o.base[sk];
    s = b === undefined ? null : { ...b };
    if (s !== null) { o.own.set(sk, s); o.target[sk] = s; }
  }
  if (s === null) {
    if (!create) return undefined;
    s = {};
    o.own.set(sk, s);
    o.target[sk] = s;
  }
  return s;
}

export function shardGet<V>(map: Sharded<V>, key: string | number): V | undefined {
  const s = readShard(map, shardOf(key));
  return s === undefined ? undefined : s[String(key)];
}

export function shardSet<V>(map: Draft<Sharded<V>>, key: string | number, value: V): void {
  ownShard<V>(map, shardOf(key), true)![String(key)] = value;
}

export function shardDelete<V>(map: Draft<Sharded<V>>, key: string | number): void {
  const sk = shardOf(key);
  const k = String(key);
  const cur = readShard(map as Sharded<V>, sk);
  if (cur === undefined || !(k in cur)) return;
  const s = ownShard<V>(map, sk, false)!;
  delete s[k];
  for (const _ in s) return;
  // Empty shard: drop it.
  const o = overlayOf(map as Sharded<V>);
  delete (map as Record<string, Shard<V>>)[sk];
  if (o !== null) o.own.set(sk, null);
}

/**
 * Copy-once write access to a sharded map without any immer proxy, for maps written on every
 * event (pins): reads go to the shards copied in this batch or to the committed map; the first
 * write copies the top record and hands it to `attach` (which puts it in the draft's place, one
 * proxy write per batch), each shard written is copied once, and `sealShards` freezes what was
 * copied at commit, so immer neither copies nor walks the map. The committed map must not be
 * written another way in the same batch.
 */
export interface ShardWriter<V> {
  readonly base: Sharded<V>;
  top: Record<string, Shard<V>> | null;
  readonly attach: (top: Record<string, Shard<V>>) => void;
  /** Shards copied (or created) in this batch; null once deleted. */
  readonly own: Map<string, Shard<V> | null>;
  /** Whether sealShards is registered for this batch's commit (see mutMemory's sealOnCommit). */
  sealing: boolean;
}

export function shardWriter<V>(base: Sharded<V>, attach: (top: Record<string, Shard<V>>) => void): ShardWriter<V> {
  return { base, top: null, attach, own: new Map(), sealing: false };
}

function swShard<V>(o: ShardWriter<V>, sk: string): Readonly<Shard<V>> | undefined {
  const s = o.own.get(sk);
  return s === undefined ? o.base[sk] : s ?? undefined;
}

function swOwnShard<V>(o: ShardWriter<V>, sk: string): Shard<V> {
  let s = o.own.get(sk);
  if (s) return s;
  if (o.top === null) {
    o.top = { ...o.base } as Record<string, Shard<V>>;
    o.attach(o.top);
  }
  const b = s === undefined ? o.base[sk] : undefined;
  s = b === undefined ? {} : { ...b };
  o.own.set(sk, s);
  o.top[sk] = s;
  return s;
}

export function swGet<V>(o: ShardWriter<V>, key: string | number): V | undefined {
  const s = swShard(o, shardOf(key));
  return s === undefined ? undefined : s[String(key)];
}

export function swSet<V>(o: ShardWriter<V>, key: string | number, value: V): void {
  swOwnShard(o, shardOf(key))[String(key)] = value;
}

export function swDelete<V>(o: ShardWriter<V>, key: string | number): void {
  const sk = shardOf(key);
  const k = String(key);
  const cur = swShard(o, sk);
  if (cur === undefined || !(k in cur)) return;
  const s = swOwnShard(o, sk);
  delete s[k];
  for (const _ in s) return;
  // Empty shard: drop it.
  delete o.top![sk];
  o.own.set(sk, null);
}

/** Freeze the shards and the top record this overlay copied (at commit: they hold no drafts). */
export function sealShards<V>(o: ShardWriter<V>): void {
  for (const s of o.own.values()) if (s !== null) Object.freeze(s);
  if (o.top !== null) Object.freeze(o.top);
}

/** All values, in shard then key insertion order (deterministic). */
export function* shardValues<V>(map: Sharded<V>): Generator<V> {
  for (const sk of Object.keys(map)) for (const v of Object.values(map[sk])) yield v;
}
