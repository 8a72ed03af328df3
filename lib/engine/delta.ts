/**
 * Structural deltas between two frozen plain-data states (JSON-like trees of plain objects and
 * arrays, as immer commits them). Committed states share every unchanged subtree, so a diff walks
 * only what changed; where a container was copied to change a few of its entries (a 512-entry
 * page array with three new codes), the delta keeps those entries, not the copy. Snapshots kept
 * as deltas then hold what changed between them, not every container a batch copied.
 *
 * Exact: applying diff(a, b) to a rebuilds b deep-equal, with the same key order (state hashes
 * are JSON), -0 and NaN kept (values compare with Object.is), and b's unchanged subtrees shared
 * with a. Anything that is not a plain object or array is a value, kept by reference.
 *
 * Compact: most changed entries are a number at an integer key (an array index, a record keyed by
 * number). Those of a whole delta tree sit in one pair of typed arrays (12 bytes an entry, nothing
 * for the collector to trace); a node holds its range there, and only its other entries in arrays.
 * A container whose delta would cost more than the container itself, and that shares nothing with
 * the base, is kept as the new value instead: a small record rewritten (an I/O run `{ op, index,
 * count, doneAt }`), or an array whose entries all moved (a queue that dropped its first entry).
 * Entry by entry those cost a node each: the 16 GiB memory history kept ~20 MiB of them per
 * snapshot once its I/O queues filled, several times the copies whole snapshots keep.
 */
export class Delta {
  constructor(
    /** Arrays: the new length. Objects: the new key list when keys were added, removed or reordered; null when the same. */
    readonly shape: number | readonly string[] | null,
    /** The other changed entries: an array index or object key each (integer keys as numbers)... */
    readonly keys: readonly (number | string)[],
    /** ...and its new value, or a nested Delta for a container that changed in place. */
    readonly vals: readonly unknown[],
    /** This node's numeric entries: packed.keys/vals[numFrom .. numTo - 1]. */
    readonly packed: Packed,
    readonly numFrom: number,
    readonly numTo: number,
  ) {}

  /** Changed entries of this node (not counting nested ones). */
  get size(): number {
    return this.keys.length + this.numTo - this.numFrom;
  }
}

/** The numeric entries of one delta tree; filled when the tree is complete. */
export class Packed {
  keys = new Int32Array(0);
  vals = new Float64Array(0);
}

const NONE: readonly never[] = Object.freeze([]);

/** Builds one delta tree: nodes collect their other entries, numeric entries go to the shared columns. */
class Builder {
  readonly packed = new Packed();
  private keys: Int32Array;
  private vals: Float64Array;
  count = 0;

  /** `capacity`: the numeric entries expected (a merge knows them), to spare regrowing. */
  constructor(capacity = 256) {
    this.keys = new Int32Array(capacity);
    this.vals = new Float64Array(capacity);
  }

  node(): Node {
    return new Node(this);
  }

  /** Append a node's numeric entries (nested nodes close before it, so each node's are one range). */
  append(ks: readonly number[], vs: readonly number[]): void {
    const n = this.count + ks.length;
    if (n > this.keys.length) {
      let cap = this.keys.length * 2;
      while (cap < n) cap *= 2;
      const k = new Int32Array(cap); k.set(this.keys); this.keys = k;
      const v = new Float64Array(cap); v.set(this.vals); this.vals = v;
    }
    const keys = this.keys, vals = this.vals, at = this.count;
    for (let i = 0; i < ks.length; i++) { keys[at + i] = ks[i]; vals[at + i] = vs[i]; } // TypedArray#set from a plain array is the slow generic path
    this.count = n;
  }

  finish(root: Delta | null): Delta | null {
    this.packed.keys = this.keys.slice(0, this.count);
    this.packed.vals = this.vals.slice(0, this.count);
    return root;
  }
}

class Node {
  private keys: (number | string)[] | null = null;
  private vals: unknown[] | null = null;
  /** Numeric entries of nested nodes land in the columns too; this node's own are kept apart until close. */
  private ownKeys: number[] | null = null;
  private ownVals: number[] | null = null;
  /** Whether the new container keeps some of the base's containers (unchanged entries), or holds nested deltas. */
  shares = false;

  constructor(private readonly b: Builder) {}

  add(k: number | string, v: unknown): void {
    if (v instanceof Delta) this.shares = true;
    const i = typeof k === 'number' ? k : intKey(k);
    if (typeof v === 'number' && i >= 0) {
      (this.ownKeys ??= []).push(i);
      (this.ownVals ??= []).push(v);
      return;
    }
    (this.keys ??= []).push(i >= 0 ? i : k);
    (this.vals ??= []).push(v);
  }

  get empty(): boolean {
    return this.keys === null && this.ownKeys === null;
  }

  /**
   * Whether `c`, the new container, costs no more than this node would as a delta with `shape`:
   * then keeping `c` holds no more memory, provided it shares nothing with the base (which the
   * delta would not keep). Costs as deltaBytes counts them.
   */
  wholeIsCheaper(c: object, shape: number | readonly string[] | null): boolean {
    if (this.shares) return false;
    const own = 64 + 16 * (this.keys?.length ?? 0) + 12 * (this.ownKeys?.length ?? 0) + (Array.isArray(shape) ? 8 * shape.length : 0);
    return own >= shallowBytes(c);
  }

  close(shape: number | readonly string[] | null): Delta {
    const from = this.b.count;
    if (this.ownKeys !== null) this.b.append(this.ownKeys, this.ownVals!);
    return new Delta(shape, this.keys ?? NONE, this.vals ?? NONE, this.b.packed, from, this.b.count);
  }
}

/** The key as an int32 index when it is one in canonical form ('12', not '012'), else -1. */
function intKey(k: string): number {
  const c = k.charCodeAt(0);
  if (k.length > 9 || c < 48 || c > 57 || (c === 48 && k.length > 1)) return -1;
  for (let i = 1; i < k.length; i++) { const d = k.charCodeAt(i); if (d < 48 || d > 57) return -1; }
  return Number(k);
}

const OBJ = Object.prototype;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === OBJ;
}

/** Both containers of the same kind that a Delta can describe. */
function sameKind(a: unknown, b: unknown): boolean {
  return Array.isArray(a) ? Array.isArray(b) : isPlainObject(a) && isPlainObject(b);
}

/** What turns container `a` into container `b` of the same kind; null when nothing changed (or they are not such a pair). */
export function diff(a: unknown, b: unknown): Delta | null {
  if (Object.is(a, b) || !sameKind(a, b)) return null;
  const bl = new Builder();
  return bl.finish(diffContainers(bl, a as object, b as object, false) as Delta | null);
}

/** What diffContainers returns when the new container is to be kept whole (Node.wholeIsCheaper). */
const WHOLE = Symbol('whole');

function entry(bl: Builder, out: Node, k: number | string, x: unknown, y: unknown): void {
  if (Object.is(x, y)) {
    if (x !== null && typeof x === 'object') out.shares = true;
    return;
  }
  if (x !== null && typeof x === 'object' && sameKind(x, y)) {
    const mark = bl.count;
    const d = diffContainers(bl, x, y as object, true);
    if (d === WHOLE) {
      bl.count = mark; // drop the numeric entries it appended: nothing refers to them
      out.add(k, y);
    } else if (d !== null) out.add(k, d);
  } else {
    out.add(k, y);
  }
}

/** The delta from `a` to `b`; null when they are equal; WHOLE (when `mayKeepWhole`) when `b` itself is cheaper to keep. */
function diffContainers(bl: Builder, a: object, b: object, mayKeepWhole: boolean): Delta | null | typeof WHOLE {
  const out = bl.node();
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    const n = a.length;
    for (let i = 0; i < bb.length; i++) {
      if (i >= n) out.add(i, bb[i]); else entry(bl, out, i, a[i], bb[i]);
    }
    if (out.empty && bb.length === n) return null;
    return mayKeepWhole && out.wholeIsCheaper(bb, bb.length) ? WHOLE : out.close(bb.length);
  }
  const ao = a as Record<string, unknown>, bo = b as Record<string, unknown>;
  const ka = Object.keys(ao), kb = Object.keys(bo);
  let same = ka.length === kb.length;
  for (let i = 0; same && i < kb.length; i++) same = ka[i] === kb[i];
  for (const k of kb) {
    if (!same && !Object.hasOwn(ao, k)) out.add(k, bo[k]); else entry(bl, out, k, ao[k], bo[k]);
  }
  if (out.empty && same) return null;
  return mayKeepWhole && out.wholeIsCheaper(bo, same ? null : kb) ? WHOLE : out.close(same ? null : kb);
}

/** `a` with `d` applied: new frozen containers along the changed paths, everything else shared with `a`. */
export function applyDelta<T>(a: T, d: Delta | null): T {
  if (d === null) return a;
  const c = copyFor(a, d.shape);
  const { keys, vals, packed } = d;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i], v = vals[i];
    c[k] = v instanceof Delta ? applyDelta(c[k], v) : v;
  }
  for (let i = d.numFrom; i < d.numTo; i++) c[packed.keys[i]] = packed.vals[i];
  return Object.freeze(c) as T;
}

/** `a` with the deltas applied in order: what folding applyDelta gives, but each container on their paths is copied once. */
export function applyDeltas<T>(a: T, ds: readonly Delta[]): T {
  if (ds.length <= 1) return applyDelta(a, ds.length === 0 ? null : ds[0]);
  const owned = new Set<object>();
  let root = a as unknown;
  for (const d of ds) root = applyInto(root, d, owned);
  for (const o of owned) Object.freeze(o);
  return root as T;
}

/** Apply `d` to `x`, writing in place when `x` is a copy this restore owns, else to a new copy it then owns. */
function applyInto(x: unknown, d: Delta, owned: Set<object>): unknown {
  let c: Record<string | number, unknown>;
  if (!owned.has(x as object)) {
    c = copyFor(x, d.shape);
    owned.add(c);
  } else if (Array.isArray(d.shape)) {
    c = copyFor(x, d.shape); // keys reordered: a new object in the new order
    owned.delete(x as object);
    owned.add(c);
  } else {
    c = x as Record<string | number, unknown>;
    if (typeof d.shape === 'number') (c as unknown as unknown[]).length = d.shape;
  }
  const { keys, vals, packed } = d;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i], v = vals[i];
    c[k] = v instanceof Delta ? applyInto(c[k], v, owned) : v;
  }
  for (let i = d.numFrom; i < d.numTo; i++) c[packed.keys[i]] = packed.vals[i];
  return c;
}

/** A mutable copy of `base` in the shape a delta gives it (entries it changes still to be written). */
function copyFor(base: unknown, shape: number | readonly string[] | null): Record<string | number, unknown> {
  if (typeof shape === 'number') {
    const arr = (base as unknown[]).slice(0, shape);
    arr.length = shape;
    return arr as unknown as Record<number, unknown>;
  }
  if (shape === null) return { ...(base as Record<string, unknown>) };
  const o = base as Record<string, unknown>;
  const c: Record<string, unknown> = {};
  for (const k of shape) c[k] = o[k]; // entries not in the delta are unchanged (added ones are all in it)
  return c;
}

function forEntry(d: Delta, f: (k: number | string, v: unknown) => void): void {
  for (let i = 0; i < d.keys.length; i++) f(d.keys[i], d.vals[i]);
  for (let i = d.numFrom; i < d.numTo; i++) f(d.packed.keys[i], d.packed.vals[i]);
}

/** One delta doing `d1` then `d2` (d1: x0 -> x1, d2: x1 -> x2; the result: x0 -> x2), packed anew. */
export function mergeDeltas(d1: Delta | null, d2: Delta | null): Delta | null {
  const bl = new Builder(Math.max(256, (d1?.packed.keys.length ?? 0) + (d2?.packed.keys.length ?? 0)));
  return bl.finish(d1 === null ? d2 && copy(bl, d2) : d2 === null ? copy(bl, d1) : merge(bl, d1, d2));
}

function copy(bl: Builder, d: Delta): Delta {
  const out = bl.node();
  forEntry(d, (k, v) => out.add(k, v instanceof Delta ? copy(bl, v) : v));
  return out.close(d.shape);
}

function merge(bl: Builder, d1: Delta, d2: Delta): Delta {
  const arr = typeof d2.shape === 'number';
  const live = arr || d2.shape === null ? null : new Set(d2.shape);
  const len = arr ? (d2.shape as number) : 0;
  // One key type in the map: numbers for arrays, strings for records.
  const key = arr ? (k: number | string) => k : (k: number | string) => String(k);
  const m = new Map<number | string, unknown>();
  forEntry(d1, (k0, v) => {
    const k = key(k0);
    if (arr ? (k as number) < len : live === null || live.has(k as string)) m.set(k, v);
  });
  forEntry(d2, (k0, v2) => {
    const k = key(k0);
    if (!(v2 instanceof Delta) || !m.has(k)) { m.set(k, v2); return; }
    const v1 = m.get(k);
    m.set(k, v1 instanceof Delta ? merge(bl, v1, v2) : applyDelta(v1, v2));
  });
  const out = bl.node();
  for (const [k, v] of m) out.add(k, v instanceof Delta && v.packed !== bl.packed ? copy(bl, v) : v);
  return out.close(arr || d2.shape !== null ? d2.shape : d1.shape);
}

/**
 * Roughly the heap bytes a delta holds of its own (its nodes and entries, and the shallow size
 * of the containers it keeps as values): deterministic, for deciding when a chain of deltas has
 * grown enough to be worth a whole snapshot.
 */
export function deltaBytes(d: Delta | null): number {
  if (d === null) return 0;
  let n = 64 + 16 * d.keys.length + 12 * (d.numTo - d.numFrom) + (Array.isArray(d.shape) ? 8 * d.shape.length : 0);
  for (const v of d.vals) {
    if (v instanceof Delta) n += deltaBytes(v);
    else if (v !== null && typeof v === 'object') n += shallowBytes(v);
  }
  return n;
}

/** Roughly the heap bytes of a container of its own (not counting what it refers to). */
function shallowBytes(c: object): number {
  return Array.isArray(c) ? 16 + 8 * c.length : 24 + 8 * Object.keys(c).length;
}
