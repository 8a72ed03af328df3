import type { SimEventBase } from '../engine/types.ts';
import { parseDuration } from '../text/duration.ts';
import { clip } from './format.ts';
import { CommandError, type DebugSession, type Timeline } from './session.ts';
import { formatStatePath } from './statePath.ts';
import { structDiff } from './structDiff.ts';

export interface Point<S, E extends SimEventBase> {
  readonly timeline: Timeline<S, E>;
  readonly seq: number;
  readonly label: string;
}

/** `89`, `12.5ms`, `start`, `end`, or any of those after `timeline@` (`main@89`, `alt@2ms`). */
export function parsePoint<S, E extends SimEventBase>(s: DebugSession<S, E>, tok: string): Point<S, E> {
  const at = tok.lastIndexOf('@');
  const timeline = at >= 0 ? s.timeline(tok.slice(0, at)) : s.current;
  const where = at >= 0 ? tok.slice(at + 1) : tok;
  const h = timeline.history;
  let seq: number;
  if (where === 'end') seq = h.lastSeq;
  else if (where === 'start') seq = 0;
  else if (/^\d+$/.test(where)) seq = Number(where);
  else {
    const t = parseDuration(where);
    if (t === null) throw new CommandError(`expected a point (seq, time such as 12.5ms, start, end, or timeline@one of those), got '${tok}'`);
    seq = h.seqAtTime(t);
  }
  if (seq > h.lastSeq) throw new CommandError(`seq ${seq} is past the end of ${timeline === s.current ? 'this timeline' : `timeline '${timeline.name}'`} (${h.lastSeq})`);
  return { timeline, seq, label: `${timeline === s.current && at < 0 ? '' : `${timeline.name}@`}#${seq}` };
}

/** `diff <a> [b] [--raw]`: a summary from the model's plugin, or the changed state paths. */
export function diffPoints<S, E extends SimEventBase>(s: DebugSession<S, E>, args: string): string {
  const toks = args.trim().split(/\s+/).filter(Boolean);
  const raw = toks.includes('--raw');
  const pts = toks.filter((t) => t !== '--raw');
  if (pts.length < 1 || pts.length > 2) throw new CommandError('usage: diff <a> [b] [--raw] (a point: seq, 12.5ms, start, end, or timeline@seq)');
  const a = parsePoint(s, pts[0]);
  const b = pts[1] !== undefined ? parsePoint(s, pts[1]) : { timeline: s.current, seq: s.cursor, label: `#${s.cursor}` };
  const x = a.timeline.history.stateAt(a.seq).model, y = b.timeline.history.stateAt(b.seq).model;
  const head = `from ${a.label} to ${b.label}`;
  if (!raw && s.plugin.diff) return `${head}:\n${s.plugin.diff(x, y) || '  no change'}\n  (diff ${pts.join(' ')} --raw lists the state paths)`;
  const d = structDiff(x, y);
  const show = (v: unknown): string => (v === undefined ? '(absent)' : clip(JSON.stringify(v), 100));
  const lines = d.changes.map((c) => `~ ${formatStatePath(c.path)}: ${show(c.from)} -> ${show(c.to)}`);
  return [`${d.changes.length}${d.truncated ? '+' : ''} change(s) ${head}`, ...lines, ...(d.truncated ? ['... more (narrow the range or print a path)'] : [])].join('\n');
}
