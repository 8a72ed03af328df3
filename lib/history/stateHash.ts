import { createHash } from 'node:crypto';
import type { Model, SimEventBase, World } from '../engine/types.ts';

/**
 * SHA-256 of a canonical JSON rendering (object keys sorted), so the hash depends on the data
 * only. Streams into the hash in 64 KiB pieces: a 16 GiB machine's state never becomes one string.
 */
export function stateHash(value: unknown): string {
  const h = createHash('sha256');
  let buf = '';
  const out = (s: string): void => {
    buf += s;
    if (buf.length >= 65536) { h.update(buf); buf = ''; }
  };
  const walk = (v: unknown): void => {
    if (v === null || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string') {
      out(JSON.stringify(v));
    } else if (Array.isArray(v)) {
      out('[');
      for (let i = 0; i < v.length; i++) {
        if (i) out(',');
        walk(v[i] === undefined ? null : v[i]);
      }
      out(']');
    } else if (typeof v === 'object') {
      out('{');
      let first = true;
      for (const k of Object.keys(v as object).sort()) {
        const x = (v as Record<string, unknown>)[k];
        if (x === undefined) continue;
        if (!first) out(',');
        first = false;
        out(JSON.stringify(k));
        out(':');
        walk(x);
      }
      out('}');
    } else {
      throw new TypeError(`stateHash: ${typeof v} is not JSON data`);
    }
  };
  walk(value);
  h.update(buf);
  return h.digest('hex');
}

type Canonical<S> = Pick<Model<S, SimEventBase>, 'canonical'>;

/** stateHash of a model's state in the model's canonical form (Model.canonical). */
export function modelHash<S>(model: Canonical<S>, state: S): string {
  return stateHash(model.canonical ? model.canonical(state) : state);
}

/** stateHash of a world (the model's state in its canonical form, and the PRNG state): what logs and summaries record. */
export function worldHash<S>(model: Canonical<S>, world: World<S>): string {
  return stateHash(model.canonical ? { rng: world.rng, model: model.canonical(world.model) } : world);
}
