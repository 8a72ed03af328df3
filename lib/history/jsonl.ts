import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Engine } from '../engine/engine.ts';
import { scheduledAfter } from '../engine/scheduler.ts';
import type { Model, Nanos, SimEventBase } from '../engine/types.ts';
import { writeFileAtomic } from '../io/atomicWrite.ts';
import { History } from './history.ts';
import { stateHash } from './stateHash.ts';

export const LOG_FORMAT = 'cma-sim-log';
export const LOG_VERSION = 1;

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
}

interface LoggedLine<E> {
  seq: number;
  time: Nanos;
  priority: number;
  cause: number | null;
  /** For injected events: how many events had been dispatched when it was injected. */
  at?: number;
  event: E;
}

interface Footer<E> {
  end: true;
  count: number;
  finalHash: string;
  /** Events still queued when the run stopped, so an imported log can be forked anywhere. */
  pending: { time: Nanos; priority: number; origin: number; event: E }[];
}

/** A user-facing problem with a log file: one line, naming the file and line. */
export class LogFormatError extends Error {
  constructor(readonly file: string, readonly line: number, readonly reason: string) {
    super(`${file}:${line}: ${reason}`);
  }
}

const chain = (prev: string, body: string): string => createHash('sha256').update(prev).update(body).digest('hex').slice(0, 16);
const withHash = (body: string, h: string): string => `${body.slice(0, -1)},"h":"${h}"}`;
const HASH_SUFFIX = /,"h":"([0-9a-f]{16})"\}$/;

/**
 * The log as JSONL lines: a header, one envelope per line, and a footer with the final state
 * hash. Every line after the header carries `h`, a hash chained over all previous lines, so
 * truncation, reordering and edits are detected.
 */
export function* logLines<S, E extends SimEventBase>(history: History<S, E>, seed: number, meta?: Record<string, unknown>): Generator<string> {
  if (history.parent) throw new Error('logLines: export the root timeline; forks are exported by the debugger session format');
  const engine = history.engine;
  const header: LogHeader = {
    format: LOG_FORMAT, version: LOG_VERSION, model: { name: engine.model.name, version: engine.model.version },
    seed, snapshotEvery: engine.snapshotEvery, initialHash: stateHash(engine.snapshots[0]), ...(meta ? { meta } : {}),
  };
  const headerLine = JSON.stringify(header);
  yield headerLine + '\n';
  let h = chain('', headerLine);
  const log = engine.log;
  for (let s = 1; s <= log.lastSeq; s++) {
    const origin = log.originOf(s);
    const line: LoggedLine<E> = { seq: s, time: log.timeOf(s), priority: log.priorityOf(s), cause: origin >= 0 ? origin : null, event: log.eventOf(s) };
    if (origin < 0) line.at = scheduledAfter(origin);
    const body = JSON.stringify(line);
    h = chain(h, body);
    yield withHash(body, h) + '\n';
  }
  const footer: Footer<E> = {
    end: true, count: log.lastSeq, finalHash: stateHash(engine.state),
    pending: engine.scheduler.toSortedArray().map((p) => ({ time: p.time, priority: p.priority, origin: p.origin, event: p.event })),
  };
  const body = JSON.stringify(footer);
  yield withHash(body, chain(h, body)) + '\n';
}

export function exportLog<S, E extends SimEventBase>(file: string, history: History<S, E>, seed: number, meta?: Record<string, unknown>): void {
  writeFileAtomic(file, logLines(history, seed, meta));
}

export interface ParsedLog<E> {
  readonly header: LogHeader;
  readonly lines: readonly LoggedLine<E>[];
  readonly footer: Footer<E>;
}

function isInt(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v);
}

/**
 * Parse and fully check a log (JSON, fields, event types, seq order, hash chain, footer) before
 * anything is replayed, so nothing is replayed past an error.
 */
export function parseLog<E extends SimEventBase>(text: string, file: string, model: Pick<Model<unknown, E>, 'name' | 'version' | 'validateEvent'>): ParsedLog<E> {
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
  const hd = json(0);
  if (hd.format !== LOG_FORMAT) throw new LogFormatError(file, 1, `expected a header with format '${LOG_FORMAT}', got ${JSON.stringify(hd.format)}`);
  if (hd.version !== LOG_VERSION) throw new LogFormatError(file, 1, `unsupported log version ${JSON.stringify(hd.version)} (this cma-sim reads version ${LOG_VERSION})`);
  const m = hd.model as { name?: unknown; version?: unknown } | undefined;
  if (!m || m.name !== model.name) throw new LogFormatError(file, 1, `log is for model ${JSON.stringify(m?.name)}, expected '${model.name}'`);
  if (m.version !== model.version) throw new LogFormatError(file, 1, `log was written by model version ${JSON.stringify(m.version)}, this is ${model.version}: replay would not be faithful`);
  if (!isInt(hd.seed) || !isInt(hd.snapshotEvery) || typeof hd.initialHash !== 'string') throw new LogFormatError(file, 1, 'header: expected integer seed and snapshotEvery and a string initialHash');
  let h = chain('', rows[0]);
  const lines: LoggedLine<E>[] = [];
  let footer: Footer<E> | null = null;
  for (let i = 1; i < rows.length; i++) {
    const lineNo = i + 1;
    const raw = rows[i];
    const v = json(i);
    const mh = HASH_SUFFIX.exec(raw);
    if (!mh) throw new LogFormatError(file, lineNo, "expected a trailing \"h\" chain hash field");
    const body = raw.slice(0, mh.index) + '}';
    h = chain(h, body);
    if (mh[1] !== h) throw new LogFormatError(file, lineNo, 'hash chain broken: the line was altered, reordered or a line before it is missing');
    if (footer) throw new LogFormatError(file, lineNo, 'unexpected line after the end-of-log footer');
    if (v.end === true) {
      if (!isInt(v.count) || typeof v.finalHash !== 'string' || !Array.isArray(v.pending)) throw new LogFormatError(file, lineNo, 'footer: expected count, finalHash and pending');
      if (v.count !== lines.length) throw new LogFormatError(file, lineNo, `footer: count ${v.count} but ${lines.length} events were read`);
      for (const p of v.pending as { event?: unknown }[]) {
        const err = model.validateEvent?.(p.event);
        if (err) throw new LogFormatError(file, lineNo, `footer pending event: ${err}`);
      }
      footer = v as unknown as Footer<E>;
      continue;
    }
    if (v.seq !== lines.length + 1) throw new LogFormatError(file, lineNo, `expected seq ${lines.length + 1}, got ${JSON.stringify(v.seq)}`);
    if (!isInt(v.time) || v.time < 0) throw new LogFormatError(file, lineNo, `field 'time' must be a non-negative integer of ns, got ${JSON.stringify(v.time)}`);
    if (lines.length && v.time < lines[lines.length - 1].time) throw new LogFormatError(file, lineNo, `time ${v.time} goes backwards`);
    if (!isInt(v.priority)) throw new LogFormatError(file, lineNo, `field 'priority' must be an integer, got ${JSON.stringify(v.priority)}`);
    if (v.cause !== null && !(isInt(v.cause) && v.cause >= 1 && v.cause < v.seq)) throw new LogFormatError(file, lineNo, `field 'cause' must be null or an earlier seq, got ${JSON.stringify(v.cause)}`);
    if (v.cause === null && !(isInt(v.at) && v.at >= 0 && v.at < (v.seq as number))) throw new LogFormatError(file, lineNo, `injected event: field 'at' must be an integer below seq, got ${JSON.stringify(v.at)}`);
    const err = model.validateEvent ? model.validateEvent(v.event) : null;
    if (err) throw new LogFormatError(file, lineNo, err);
    lines.push(v as unknown as LoggedLine<E>);
  }
  if (!footer) throw new LogFormatError(file, rows.length, 'truncated: the end-of-log footer is missing');
  return { header: hd as unknown as LogHeader, lines, footer };
}

export interface ReplayedLog<S, E extends SimEventBase> {
  readonly history: History<S, E>;
  readonly header: LogHeader;
  readonly finalHash: string;
}

/**
 * Rebuild a run from a parsed log: check the initial state is the one the log was made from, apply
 * every event with the same reducers, restore the queue left at the end, and compare hashes.
 */
export function replayLog<S, E extends SimEventBase>(parsed: ParsedLog<E>, model: Model<S, E>, initial: S, file: string): ReplayedLog<S, E> {
  const engine = new Engine<S, E>(model, initial, { seed: parsed.header.seed, snapshotEvery: parsed.header.snapshotEvery });
  const h0 = stateHash(engine.state);
  if (h0 !== parsed.header.initialHash) throw new LogFormatError(file, 1, 'initial state does not match the one this log was recorded from (different scenario or configuration)');
  parsed.lines.forEach((l, i) => {
    try {
      engine.replayLogged(l.time, l.priority, l.cause !== null ? l.cause : -(l.at! + 2), l.event);
    } catch (e) {
      throw new LogFormatError(file, i + 2, `replay failed: ${(e as Error).message}`);
    }
  });
  for (const p of parsed.footer.pending) engine.restorePending(p);
  const finalHash = stateHash(engine.state);
  if (finalHash !== parsed.footer.finalHash) throw new LogFormatError(file, parsed.lines.length + 2, 'replayed final state hash differs from the one recorded: the model or the log changed');
  return { history: new History(engine), header: parsed.header, finalHash };
}

export function importLog<S, E extends SimEventBase>(file: string, model: Model<S, E>, initial: S): ReplayedLog<S, E> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new LogFormatError(file, 0, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  return replayLog(parseLog(text, file, model), model, initial, file);
}

