import { createHmac, hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { badStoredOrigin, loadPending, storePending, type StoredPending } from '../engine/checkpoint.ts';
import { Engine } from '../engine/engine.ts';
import type { Model, Nanos, SimEventBase, Tie, World } from '../engine/types.ts';
import { writeFileAtomic } from '../io/atomicWrite.ts';
import { History } from './history.ts';
import { worldHash } from './stateHash.ts';
import { cannotRead } from '../io/cannotRead.ts';

export const LOG_FORMAT = 'cma-sim-log';
export const LOG_VERSION = 1;
/** Header `mac` of a log whose chain is an HMAC keyed by a user secret. */
export const LOG_MAC = 'hmac-sha256';

export interface LogHeader {
  readonly format: typeof LOG_FORMAT;
  readonly version: number;
  readonly model: { readonly name: string; readonly version: string };
  readonly seed: number;
  readonly snapshotEvery: number;
  /** stateHash of the initial world. */
  readonly initialHash: string;
  /** Free-form run description (scenario name, file...). */
  readonly meta?: Readonly<Record<string, unknown>>;
  /** Present when the chain is keyed: then every `h` is a full HMAC-SHA256. */
  readonly mac?: typeof LOG_MAC;
}

interface LoggedLine<E> {
  seq: number;
  time: Nanos;
  priority: number;
  cause: number | null;
  /** For injected events: how many events had been dispatched when it was injected. */
  at?: number;
  /** For injected events that declared a tie order (absent otherwise). */
  tie?: Tie;
  event: E;
}

interface Footer<E> {
  end: true;
  count: number;
  finalHash: string;
  /** Events still queued when the run stopped, so an imported log can be forked anywhere. */
  pending: StoredPending<E>[];
}

/**
 * How a log is chained. Without a key, `h` is the first 16 hex digits of SHA-256 over the
 * previous `h` and the line: it detects accidents (truncation, a lost or reordered line, an edit
 * by hand) but not an attacker, who can recompute it. With a key (a secret of at least 16 bytes
 * the reader must also hold), `h` is the full HMAC-SHA256 under that key: a log edited and
 * re-chained without the key no longer verifies, and a keyed reader refuses unkeyed logs.
 */
export interface LogKeyOptions {
  readonly key?: Uint8Array;
}

export const MIN_KEY_BYTES = 16;

/** A user-facing problem with a log file: one line, naming the file and line. */
export class LogFormatError extends Error {
  constructor(readonly file: string, readonly line: number, readonly reason: string) {
    super(`${file}:${line}: ${reason}`);
  }
}

type Chain = (prev: string, body: string) => string;

function chainFor(key: Uint8Array | undefined): Chain {
  // SHA-256 over prev then body is SHA-256 of their concatenation; the one-shot hash is twice as fast per line.
  if (key === undefined) return (prev, body) => hash('sha256', prev + body, 'hex').slice(0, 16);
  if (key.length < MIN_KEY_BYTES) throw new RangeError(`log key: at least ${MIN_KEY_BYTES} bytes are needed, got ${key.length}`);
  return (prev, body) => createHmac('sha256', key).update(prev).update(body).digest('hex');
}

const withHash = (body: string, h: string): string => `${body.slice(0, -1)},"h":"${h}"}`;
const HASH_SUFFIX = /,"h":"([0-9a-f]{16}|[0-9a-f]{64})"\}$/;

/**
 * The log as JSONL lines: a header, one envelope per line, and a footer with the final state
 * hash. Every line after the header carries `h`, a hash chained over all previous lines, so
 * truncation, reordering and edits are detected (by an attacker too only with `key`).
 */
export function* logLines<S, E extends SimEventBase>(history: History<S, E>, seed: number, meta?: Record<string, unknown>, opts: LogKeyOptions = {}): Generator<string> {
  if (history.parent) throw new Error('logLines: export the root timeline; forks are exported by the debugger session format');
  const chain = chainFor(opts.key);
  const engine = history.engine;
  const header: LogHeader = {
    format: LOG_FORMAT, version: LOG_VERSION, model: { name: engine.model.name, version: engine.model.version },
    seed, snapshotEvery: engine.snapshotEvery, initialHash: worldHash(engine.model, engine.initialWorld), ...(meta ? { meta } : {}),
    ...(opts.key ? { mac: LOG_MAC } : {}),
  };
  const headerLine = JSON.stringify(header);
  yield headerLine + '\n';
  let h = chain('', headerLine);
  const log = engine.log;
  for (let s = 1; s <= log.lastSeq; s++) {
    const cause = log.causeOf(s);
    const line: LoggedLine<E> = { seq: s, time: log.timeOf(s), priority: log.priorityOf(s), cause, event: log.eventOf(s) };
    if (cause === null) {
      line.at = log.afterOf(s);
      const tie = log.tieOf(s);
      if (tie !== undefined) line.tie = tie;
    }
    const body = JSON.stringify(line);
    h = chain(h, body);
    yield withHash(body, h) + '\n';
  }
  const footer: Footer<E> = {
    end: true, count: log.lastSeq, finalHash: worldHash(engine.model, engine.state),
    pending: engine.pending().map(storePending),
  };
  const body = JSON.stringify(footer);
  yield withHash(body, chain(h, body)) + '\n';
}

export function exportLog<S, E extends SimEventBase>(file: string, history: History<S, E>, seed: number, meta?: Record<string, unknown>, opts: LogKeyOptions = {}): void {
  writeFileAtomic(file, logLines(history, seed, meta, opts));
}

export interface ParsedLog<E> {
  readonly header: LogHeader;
  readonly lines: readonly LoggedLine<E>[];
  readonly footer: Footer<E>;
}

const INT32_MIN = -(2 ** 31), INT32_MAX = 2 ** 31 - 1;
// The field sets of an event line, made once rather than per line.
const LINE_FIELDS = ['seq', 'time', 'priority', 'cause', 'event', 'h'] as const;
const INJECTED_FIELDS = ['at', 'tie'] as const;
const NO_FIELDS = [] as const;
const HASH = /^[0-9a-f]{64}$/;

/** Checks one JSON object of a log line: exact fields, integers in range. Errors name the field. */
class LineCheck {
  constructor(private readonly file: string, private readonly line: number, private readonly where: string) {}

  fail(path: string, expected: string, got: unknown): never {
    const shown = JSON.stringify(got) ?? String(got);
    throw new LogFormatError(this.file, this.line, `${this.where}${path}: expected ${expected}, got ${shown.length > 60 ? `${shown.slice(0, 57)}...` : shown}`);
  }

  /** `v` is a plain object with only the listed fields (and all of `required`). */
  fields(v: unknown, path: string, required: readonly string[], optional: readonly string[] = []): Record<string, unknown> {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) this.fail(path, 'an object', v);
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      if (!required.includes(k) && !optional.includes(k)) {
        throw new LogFormatError(this.file, this.line, `${this.where}${path ? `${path}.` : ''}${k}: unknown field (expected ${[...required, ...optional].join(', ')})`);
      }
    }
    for (const k of required) if (!Object.hasOwn(o, k)) throw new LogFormatError(this.file, this.line, `${this.where}${path ? `${path}.` : ''}${k}: missing`);
    return o;
  }

  int(v: unknown, path: string, lo: number, hi: number): number {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < lo || v > hi) this.fail(path, `an integer in [${lo}, ${hi}]`, v);
    return v as number;
  }

  /** A tie order, when present. */
  tie(v: unknown, path: string): void {
    if (v !== undefined && v !== 'last') this.fail(path, "'last'", v);
  }

  hash(v: unknown, path: string): string {
    if (typeof v !== 'string' || !HASH.test(v)) this.fail(path, 'a SHA-256 hash (64 hex digits)', v);
    return v as string;
  }
}

/**
 * Parse and fully check a log before anything is replayed, so nothing is replayed past an error:
 * JSON, the hash chain (keyed with `opts.key`), then every field as strictly as a scenario
 * (exact field sets, integers in the ranges the engine can hold, seq order, causes that point
 * back, a footer whose pending events could have been pending then), and every event through the
 * model's validator.
 */
export function parseLog<E extends SimEventBase>(text: string, file: string, model: Pick<Model<unknown, E>, 'name' | 'version' | 'validateEvent'>, opts: LogKeyOptions = {}): ParsedLog<E> {
  const chain = chainFor(opts.key);
  const rows = text.split('\n');
  if (rows.length && rows[rows.length - 1] === '') rows.pop();
  if (rows.length === 0) throw new LogFormatError(file, 1, 'empty file: expected a cma-sim log header');
  const json = (i: number): Record<string, unknown> => {
    try {
      const v = JSON.parse(rows[i]);
      if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new SyntaxError('expected a JSON object');
      return v as Record<string, unknown>;
    } catch (e) {
      throw new LogFormatError(file, i + 1, `malformed JSON: ${(e as Error).message}`);
    }
  };
  const validate = (ev: unknown, lineNo: number, where: string): void => {
    const err = model.validateEvent ? model.validateEvent(ev) : (typeof ev === 'object' && ev !== null && typeof (ev as { type?: unknown }).type === 'string' ? null : 'expected an event object with a string type');
    if (err) throw new LogFormatError(file, lineNo, `${where}${err}`);
  };
  const hd = json(0);
  if (hd.format !== LOG_FORMAT) throw new LogFormatError(file, 1, `expected a header with format '${LOG_FORMAT}', got ${JSON.stringify(hd.format)}`);
  if (hd.version !== LOG_VERSION) throw new LogFormatError(file, 1, `unsupported log version ${JSON.stringify(hd.version)} (this cma-sim reads version ${LOG_VERSION})`);
  const m = hd.model as { name?: unknown; version?: unknown } | undefined;
  if (!m || m.name !== model.name) throw new LogFormatError(file, 1, `log is for model ${JSON.stringify(m?.name)}, expected '${model.name}'`);
  if (m.version !== model.version) throw new LogFormatError(file, 1, `log was written by model version ${JSON.stringify(m.version)}, this is ${model.version}: replay would not be faithful`);
  if (hd.mac !== undefined && hd.mac !== LOG_MAC) throw new LogFormatError(file, 1, `header.mac: expected '${LOG_MAC}', got ${JSON.stringify(hd.mac)}`);
  if (hd.mac === LOG_MAC && !opts.key) throw new LogFormatError(file, 1, 'the log is keyed (header.mac): give the key it was written with (--key)');
  if (hd.mac === undefined && opts.key) throw new LogFormatError(file, 1, 'the log is not keyed: anyone could have re-chained it, so it cannot be verified with --key');
  const c0 = new LineCheck(file, 1, 'header.');
  c0.fields(hd, '', ['format', 'version', 'model', 'seed', 'snapshotEvery', 'initialHash'], ['meta', 'mac']);
  c0.fields(hd.model, 'model', ['name', 'version']);
  c0.int(hd.seed, 'seed', 0, 2 ** 32 - 1);
  c0.int(hd.snapshotEvery, 'snapshotEvery', 1, INT32_MAX);
  c0.hash(hd.initialHash, 'initialHash');
  if (hd.meta !== undefined && (typeof hd.meta !== 'object' || hd.meta === null || Array.isArray(hd.meta))) c0.fail('meta', 'an object', hd.meta);
  let h = chain('', rows[0]);
  const lines: LoggedLine<E>[] = [];
  let footer: Footer<E> | null = null;
  let last = 0;
  for (let i = 1; i < rows.length; i++) {
    const lineNo = i + 1;
    const raw = rows[i];
    const v = json(i);
    const mh = HASH_SUFFIX.exec(raw);
    if (!mh) throw new LogFormatError(file, lineNo, 'expected a trailing "h" chain hash field');
    const body = raw.slice(0, mh.index) + '}';
    h = chain(h, body);
    if (mh[1] !== h) throw new LogFormatError(file, lineNo, opts.key ? 'hash chain broken: the line does not verify under this key (altered, reordered, a line before it missing, or another key)' : 'hash chain broken: the line was altered, reordered or a line before it is missing');
    if (footer) throw new LogFormatError(file, lineNo, 'unexpected line after the end-of-log footer');
    if (v.end !== undefined) {
      const c = new LineCheck(file, lineNo, 'footer.');
      c.fields(v, '', ['end', 'count', 'finalHash', 'pending', 'h']);
      if (v.end !== true) c.fail('end', 'true', v.end);
      const count = c.int(v.count, 'count', 0, INT32_MAX);
      if (count !== lines.length) throw new LogFormatError(file, lineNo, `footer: count ${count} but ${lines.length} events were read`);
      c.hash(v.finalHash, 'finalHash');
      if (!Array.isArray(v.pending)) c.fail('pending', 'an array', v.pending);
      (v.pending as unknown[]).forEach((p, k) => {
        const w = `pending[${k}]`;
        const o = c.fields(p, w, ['time', 'priority', 'origin', 'event'], ['tie']);
        c.tie(o.tie, `${w}.tie`);
        c.int(o.time, `${w}.time`, last, Number.MAX_SAFE_INTEGER);
        c.int(o.priority, `${w}.priority`, INT32_MIN, INT32_MAX);
        const origin = c.int(o.origin, `${w}.origin`, -(count + 2), count);
        const bad = badStoredOrigin(origin, count);
        if (bad !== null) c.fail(`${w}.origin`, bad, origin);
        validate(o.event, lineNo, `footer ${w}.event: `);
      });
      footer = v as unknown as Footer<E>;
      continue;
    }
    if (v.seq !== lines.length + 1) throw new LogFormatError(file, lineNo, `expected seq ${lines.length + 1}, got ${JSON.stringify(v.seq)}`);
    const c = new LineCheck(file, lineNo, '');
    c.fields(v, '', LINE_FIELDS, v.cause === null ? INJECTED_FIELDS : NO_FIELDS);
    if (v.seq as number > INT32_MAX) c.fail('seq', `at most ${INT32_MAX} events`, v.seq);
    if (!isSafeNat(v.time)) throw new LogFormatError(file, lineNo, `field 'time' must be a non-negative integer of ns, got ${JSON.stringify(v.time)}`);
    if ((v.time as number) < last) throw new LogFormatError(file, lineNo, `time ${v.time} goes backwards`);
    if (!isInt32(v.priority)) throw new LogFormatError(file, lineNo, `field 'priority' must be an integer in [${INT32_MIN}, ${INT32_MAX}], got ${JSON.stringify(v.priority)}`);
    if (v.cause !== null && !(Number.isInteger(v.cause) && (v.cause as number) >= 1 && (v.cause as number) < (v.seq as number))) throw new LogFormatError(file, lineNo, `field 'cause' must be null or an earlier seq, got ${JSON.stringify(v.cause)}`);
    if (v.cause === null && !(Number.isInteger(v.at) && (v.at as number) >= 0 && (v.at as number) < (v.seq as number))) throw new LogFormatError(file, lineNo, `injected event: field 'at' must be an integer below seq, got ${JSON.stringify(v.at)}`);
    c.tie(v.tie, 'tie');
    validate(v.event, lineNo, '');
    last = v.time as number;
    lines.push(v as unknown as LoggedLine<E>);
  }
  if (!footer) throw new LogFormatError(file, rows.length, 'truncated: the end-of-log footer is missing');
  return { header: hd as unknown as LogHeader, lines, footer };
}

function isSafeNat(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
}

function isInt32(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= INT32_MIN && v <= INT32_MAX;
}

export interface ReplayedLog<S, E extends SimEventBase> {
  readonly history: History<S, E>;
  readonly header: LogHeader;
  /** The final state hash: checked against the replay (for a lazy one, when the replay first reaches the end). */
  readonly finalHash: string;
}

export interface ReplayOptions {
  /**
   * Read the events without replaying them: the state is rebuilt as far as it is asked for
   * (stateAt, fork, the end), so opening a long log costs its reading and checking only. The
   * final hash is compared when the replay first reaches the end, and every state asked for after
   * that fails the same way while it differs.
   */
  readonly lazy?: boolean;
}

/**
 * Rebuild a run from a parsed log: check the initial state is the one the log was made from, apply
 * every event with the same reducers (or, lazily, as far as asked), restore the queue left at the
 * end, and compare hashes.
 */
export function replayLog<S, E extends SimEventBase>(
  parsed: ParsedLog<E>, model: Model<S, E>, initial: S, file: string,
  observe?: (engine: Engine<S, E>, nextDue: () => number) => void,
  opts: ReplayOptions = {},
): ReplayedLog<S, E> {
  if (opts.lazy && observe) throw new Error('replayLog: a lazy replay has no fold to observe');
  const engine = new Engine<S, E>(model, initial, { seed: parsed.header.seed, snapshotEvery: parsed.header.snapshotEvery });
  // Listeners of the engine's stream see the fold as they would the live run; what is due next
  // is the next logged line (the scheduler holds nothing during a fold).
  let next = 0;
  observe?.(engine, () => (next < parsed.lines.length ? parsed.lines[next].time : Infinity));
  const h0 = worldHash(model, engine.state);
  if (h0 !== parsed.header.initialHash) throw new LogFormatError(file, 1, 'initial state does not match the one this log was recorded from (different scenario or configuration)');
  const checkEnd = (world: World<S>): void => {
    if (worldHash(model, world) !== parsed.footer.finalHash) throw new LogFormatError(file, parsed.lines.length + 2, 'replayed final state hash differs from the one recorded: the model or the log changed');
  };
  if (opts.lazy) {
    for (const l of parsed.lines) engine.appendLogged(l.time, l.priority, l.cause, l.cause ?? l.at!, l.event, l.tie);
    for (const p of parsed.footer.pending) engine.restorePending(loadPending(p));
    engine.whenApplied(checkEnd, (e) => new LogFormatError(file, e.seq + 1, `replay failed: ${e.message}`));
    return { history: new History(engine), header: parsed.header, finalHash: parsed.footer.finalHash };
  }
  parsed.lines.forEach((l, i) => {
    next = i + 1;
    try {
      engine.replayLogged(l.time, l.priority, l.cause, l.cause ?? l.at!, l.event, l.tie);
    } catch (e) {
      throw new LogFormatError(file, i + 2, `replay failed: ${(e as Error).message}`);
    }
  });
  for (const p of parsed.footer.pending) engine.restorePending(loadPending(p));
  checkEnd(engine.state);
  return { history: new History(engine), header: parsed.header, finalHash: parsed.footer.finalHash };
}

export function importLog<S, E extends SimEventBase>(file: string, model: Model<S, E>, initial: S, opts: LogKeyOptions = {}): ReplayedLog<S, E> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new LogFormatError(file, 0, cannotRead(e));
  }
  return replayLog(parseLog(text, file, model, opts), model, initial, file);
}

