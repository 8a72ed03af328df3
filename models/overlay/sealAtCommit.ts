/**
 * The one rule of the copy-once overlays (mutMemory, mutPagecache, recOverlay, shardedMap): a part
 * of the immer draft is copied once per draft into a plain object that is written directly, and
 * every such copy is frozen when the engine commits the batch, before immer finalises the draft,
 * so immer neither copies nor walks it (it skips frozen objects).
 *
 * An overlay never asks its caller for the commit hook: it registers its seal here when it is
 * made (sealAtCommit), and the seal joins the batch that is open. The root model opens the batch
 * around every reducer it runs (openBatch/closeBatch with the engine's ReduceContext, whose
 * onCommit runs the batch's seals), so every copy made in a batch is frozen at its commit, no
 * matter which helper made it or what it was handed. With no batch open (a bare immer produce in
 * a test) nothing is registered and immer freezes the copies itself; boot opens its own (inOwnBatch).
 */

/** What a batch needs of a reducer's context: the engine's commit hook (lib/engine ReduceContext). */
export interface SealCtx {
  readonly now: number;
  onCommit?(fn: () => void): void;
}

export interface Batch {
  readonly seals: (() => void)[];
}

/** The batch of each context whose onCommit was asked for one; forgotten when it commits. */
const batches = new WeakMap<SealCtx, Batch>();
let open: Batch | null = null;
/**
 * The last context asked for and its batch: the root model opens the same context's batch for
 * every event of it, so this answers without a WeakMap lookup per event. Cleared with the entry.
 */
let lastCtx: SealCtx | null = null;
let lastBatch: Batch | null = null;

function batchOf(ctx: SealCtx): Batch | null {
  if (ctx === lastCtx) return lastBatch;
  let b = batches.get(ctx);
  if (b !== undefined) return remember(ctx, b);
  if (ctx.onCommit === undefined) return null;
  const made: Batch = { seals: [] };
  batches.set(ctx, made);
  ctx.onCommit(() => {
    batches.delete(ctx);
    if (lastCtx === ctx) remember(null, null);
    // Seals registered by later events of the batch are in the list by now.
    for (let i = 0; i < made.seals.length; i++) made.seals[i]();
  });
  return remember(ctx, made);
}

function remember(ctx: SealCtx | null, b: Batch | null): Batch | null {
  lastCtx = ctx;
  lastBatch = b;
  return b;
}

/** Open the batch of `ctx` for the reducer about to run; returns what to pass to closeBatch after it. */
export function openBatch(ctx: SealCtx): Batch | null {
  const outer = open;
  open = batchOf(ctx);
  return outer;
}

export function closeBatch(outer: Batch | null): void {
  open = outer;
}

/**
 * Run `seal` (which freezes the copies an overlay made) when the open batch commits. Call it once
 * per overlay, when the overlay is made. With no batch open it does nothing: immer freezes the copies.
 */
export function sealAtCommit(seal: () => void): void {
  if (open !== null) open.seals.push(seal);
}

/**
 * Run `run` in a batch of its own that commits when `run` returns: for an immer produce recipe
 * outside the engine (boot), so that immer does not walk what the overlays copied in it.
 */
export function inOwnBatch<T>(run: () => T): T {
  const hooks: (() => void)[] = [];
  const outer = openBatch({ now: 0, onCommit: (fn) => hooks.push(fn) });
  let out: T;
  try {
    out = run();
  } finally {
    closeBatch(outer);
  }
  for (const fn of hooks) fn();
  return out;
}
