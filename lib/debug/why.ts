/**
 * `why`: where an event (or a value) came from. First the chain of events that scheduled it, root
 * cause first; then, when the model declares footprints, the dataflow around that chain: events
 * of other threads that wrote what a step of the chain read in between its steps, and events due
 * at the same instant as a step that touch the same things (the pairs a reordering can flip).
 */
import type { Envelope, SimEventBase } from '../engine/types.ts';
import type { History } from '../history/history.ts';
import { dependent, overlaps, type EventFootprint, type FootprintRes } from '../../models/footprint.ts';
import type { DebugPlugin } from '../run/runnable.ts';
import { clip, fmtEnvelope, fmtEventFields, fmtTime } from './format.ts';
import { lastChange, PROGRESS_EVERY_MS, replayDraft, ticker, type ScanOptions } from './scan.ts';
import { CommandError, type DebugSession } from './session.ts';
import { watchTarget } from './cmaCommands.ts';

type Dataflow<S> = NonNullable<DebugPlugin<S>['dataflow']>;

/** Links shown nearest the event, and at the root, of a long chain. */
const NEAR = 20, FAR = 10;
/** Events replayed to compute footprints: the dataflow looks back at most this far. */
const SCAN_LIMIT = 100_000;
/** Events after the asked one at its instant examined for ties. */
const TIE_LOOKAHEAD = 1_000;
const MAX_WRITERS = 8, MAX_TIES = 8, MAX_RES = 5;

/** The causal chain of `seq`, root first, and its last NEAR links (oldest first) for the dataflow. */
function chainOf<S, E extends SimEventBase>(h: History<S, E>, seq: number): { lines: string[]; near: Envelope<E>[] } {
  // Root cause first, each consequence indented one step further (capped so long chains stay
  // readable). The walk keeps only what it shows: a million-link chain costs one pass, no more.
  const near: Envelope<E>[] = [];
  const far: Envelope<E>[] = [];
  let n = 0;
  for (let cur: number | null = seq; cur !== null; n++) {
    const env = h.envelope(cur);
    if (near.length < NEAR) near.push(env);
    else { far.push(env); if (far.length > FAR) far.shift(); }
    cur = env.cause;
  }
  const chain = n <= NEAR + FAR ? [...near, ...far].reverse() : [...far.reverse(), null, ...[...near].reverse()];
  const lines = chain.map((env, i) => (env === null
    ? `${'  '.repeat(Math.min(i, 12))}... ${n - NEAR - FAR} more links ...`
    : `${'  '.repeat(Math.min(i, 12))}${fmtEnvelope(env)}`));
  return { lines, near: near.reverse() };
}

/** The root of an event's own chain (bounded walk), for naming where a foreign event came from. */
function rootOf<S, E extends SimEventBase>(h: History<S, E>, env: Envelope<E>): Envelope<E> {
  let cur = env;
  for (let i = 0; i < 10_000 && cur.cause !== null; i++) cur = h.envelope(cur.cause);
  return cur;
}

const short = (env: Envelope<{ readonly type: string }>): string => `#${env.seq} ${env.event.type} ${fmtEventFields(env.event, 80)}`;

/** The resources of `a` that overlap one of `b`, narrowed to the common pfn range, in the model's words. */
function shared(df: Dataflow<unknown>, a: readonly FootprintRes[], b: readonly FootprintRes[]): string[] {
  const out = new Set<string>();
  for (const x of a) {
    for (const y of b) {
      if (!overlaps(x, y)) continue;
      const r = x.lo !== undefined && y.lo !== undefined ? { key: x.key, lo: Math.max(x.lo, y.lo), hi: Math.min(x.hi ?? Infinity, y.hi ?? Infinity) } : x.key === '*' ? y : x;
      const d = df.describe(r);
      if (d !== null) out.add(d);
    }
  }
  return [...out];
}

/**
 * Whether the engine runs `a` before `b` when they are due together without the explorer
 * (lib/engine/scheduler.ts): an injection declared tie 'last' after the others, then in the order
 * they were queued: injected events first, then by the seq of the event that scheduled them. Two
 * events scheduled by the same one are taken in the order they ran.
 */
function queuedFirst(a: Envelope<SimEventBase>, b: Envelope<SimEventBase>): boolean {
  if (a.tie !== b.tie) return b.tie === 'last';
  const qa = a.cause ?? -1, qb = b.cause ?? -1;
  return qa !== qb ? qa < qb : a.seq < b.seq;
}

const fmtRes = (names: readonly string[]): string => (names.length > MAX_RES ? `${names.slice(0, MAX_RES).join(', ')}, ...` : names.join(', '));
const touches = (fp: EventFootprint): FootprintRes[] => [...fp.reads, ...fp.writes];

/**
 * The dataflow around the chain links `links` (oldest first, ending at the asked event): writers
 * from other chains between consecutive links, and same-instant dependent events (ties).
 */
function dataflowLines<S, E extends SimEventBase>(h: History<S, E>, links: readonly Envelope<E>[], df: Dataflow<S>, o: ScanOptions): string[] {
  const target = links[links.length - 1];
  const from = Math.max(links[0].seq - 1, target.seq - SCAN_LIMIT);
  const used = links.filter((l) => l.seq > from);
  let to = target.seq;
  while (to < h.lastSeq && to - target.seq < TIE_LOOKAHEAD && h.timeOf(to + 1) === target.time) to++;
  const fps = new Map<number, EventFootprint>();
  replayDraft(h, from, to, () => false, ticker(o.onProgress, from, to, o.progressEveryMs ?? PROGRESS_EVERY_MS), (env, m) => { fps.set(env.seq, df.footprint(env.event, m)); });
  const inChain = new Set(used.map((l) => l.seq));
  const dfu = df as Dataflow<unknown>;

  // Writers: an event of another chain, between two links, that wrote what the later link touches.
  const writers = new Map<number, { readers: number[]; res: Set<string> }>();
  for (let i = 1; i < used.length; i++) {
    const reader = used[i];
    const rt = touches(fps.get(reader.seq)!);
    for (let f = used[i - 1].seq + 1; f < reader.seq; f++) {
      const fw = fps.get(f)!.writes;
      if (fw.length === 0) continue;
      const names = shared(dfu, fw, rt);
      if (!names.length) continue;
      const w = writers.get(f) ?? writers.set(f, { readers: [], res: new Set() }).get(f)!;
      w.readers.push(reader.seq);
      for (const n of names) w.res.add(n);
    }
  }
  // Ties: an event due at the same instant as a link, pending while the link ran (or the link
  // pending while it ran), with a conflicting footprint: the engine could have run either first.
  const ties = new Map<number, { with: number[]; res: Set<string> }>();
  for (const link of used) {
    const lf = fps.get(link.seq)!;
    const consider = (f: number): void => {
      if (inChain.has(f) || !fps.has(f)) return;
      const env = h.envelope(f);
      const coPending = f > link.seq ? env.cause === null || env.cause < link.seq : link.cause === null || link.cause < f;
      const ff = fps.get(f)!;
      if (!coPending || !dependent(ff, lf)) return;
      const t = ties.get(f) ?? ties.set(f, { with: [], res: new Set() }).get(f)!;
      t.with.push(link.seq);
      for (const n of [...shared(dfu, ff.writes, touches(lf)), ...shared(dfu, lf.writes, ff.reads)]) t.res.add(n);
    };
    for (let f = link.seq - 1; f > from && h.timeOf(f) === link.time; f--) consider(f);
    for (let f = link.seq + 1; f <= to && h.timeOf(f) === link.time; f++) consider(f);
  }

  const out: string[] = [];
  const origin = (env: Envelope<E>): string => {
    if (env.cause === null) return '';
    const root = rootOf(h, env);
    return `, started by ${short(root)} (${root.cause === null ? 'injected' : `cause #${root.cause}`})`;
  };
  if (from > links[0].seq - 1) out.push(`(dataflow looks back ${SCAN_LIMIT} events, to #${from + 1})`);
  const seqs = (xs: number[]): string => xs.map((w) => `#${w}`).join(', ');
  /** Entries newest first, at most `max`, each as its lines. */
  const list = <T>(title: string, m: Map<number, T>, max: number, lines: (env: Envelope<E>, v: T) => string[]): void => {
    out.push(title);
    const sorted = [...m].sort((a, b) => b[0] - a[0]);
    for (const [f, v] of sorted.slice(0, max)) out.push(...lines(h.envelope(f), v));
    if (sorted.length > max) out.push(`  ... ${sorted.length - max} more`);
  };
  if (writers.size) {
    list('written in between by other events, and read by the steps above:', writers, MAX_WRITERS, (env, w) => [
      `  ${clip(fmtEnvelope(env), 200)}${origin(env)}`,
      `    wrote ${fmtRes([...w.res])}; read by ${seqs(w.readers)}`,
    ]);
  } else out.push('no other event wrote what these steps read in between them');
  if (ties.size) {
    list('due at the same instant as a step and touching the same things (a reordering can flip them):', ties, MAX_TIES, (env, t) => {
      const after = t.with.filter((w) => w < env.seq), before = t.with.filter((w) => w > env.seq);
      const rel = [after.length ? `after ${seqs(after)}` : '', before.length ? `before ${seqs(before)}` : ''].filter(Boolean).join(' and ');
      const flipped = t.with.filter((w) => (w < env.seq) !== queuedFirst(h.envelope(w), env));
      return [
        `  ${short(env)} (${env.cause === null ? 'injected' : `cause #${env.cause}`}) ran ${rel} at t=${fmtTime(env.time)}${t.res.size ? `: both touch ${fmtRes([...t.res])}` : ''}`,
        ...(flipped.length ? [`    this run left the default order there: the engine alone runs ${flipped.map((w) => (w < env.seq ? `#${env.seq} before #${w}` : `#${w} before #${env.seq}`)).join(', ')}`] : []),
      ];
    });
  }
  return out;
}

/**
 * `why [seq | path | page <pfn>]`: for a seq (default: the cursor), its chain and dataflow; for a
 * value, the last event at or before the cursor that changed it, then that event's why.
 */
export function whyCommand<S, E extends SimEventBase>(s: DebugSession<S, E>, args: string, o: ScanOptions = {}): string {
  const a = args.trim();
  let seq: number;
  const head: string[] = [];
  if (a === '' || /^\d+$/.test(a)) {
    seq = a ? Number(a) : s.cursor;
    if (seq < 1 || seq > s.h.lastSeq) throw new CommandError(`seq ${seq} is outside this timeline (1..${s.h.lastSeq})`);
  } else {
    const { label, w } = watchTarget(s, a);
    const c = s.cursor >= 1 ? lastChange(s.h, s.cursor, w, o) : null;
    if (c === null) throw new CommandError(`no event up to #${s.cursor} changed ${label}`);
    const show = (q: number): string => clip(JSON.stringify(w.read(s.h.stateAt(q).model)) ?? 'undefined', 200);
    head.push(`${label}: ${show(c - 1)} -> ${show(c)} at #${c}, because:`);
    seq = c;
  }
  const { lines, near } = chainOf(s.h, seq);
  const df = s.plugin.dataflow;
  return [...head, ...lines, ...(df ? dataflowLines(s.h, near, df, o) : [])].join('\n');
}
