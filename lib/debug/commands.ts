import { parseDuration } from '../text/duration.ts';
import type { Envelope, SimEventBase } from '../engine/types.ts';
import { clip, fmtEnvelope, fmtTime, fmtValue } from './format.ts';
import { structDiff } from './structDiff.ts';
import { compilePredicate, PredicateError } from './predicate.ts';
import { lastChange, scanBackward, scanForward, type ScanOptions, type ScanResult, type StepTest } from './scan.ts';
import { HELP, helpFor } from './help.ts';
import { whyCommand } from './why.ts';
import { diffPoints, parsePoint } from './diffCommand.ts';
import { areaCommand, pageblockCommand, pageCommand, requestCommand, watchTarget } from './cmaCommands.ts';
import { CommandError, isCommandError, predicateTest, readPath, type DebugSession } from './session.ts';

export interface CommandHooks {
  /** `save <file>`: write the session; returns a message. */
  save?(file: string): string;
  /** Progress of a long search, about twice a second (a status line; the answer follows). */
  progress?(text: string): void;
}

function scanOpts(hooks: CommandHooks, what: string): ScanOptions {
  const p = hooks.progress;
  return p ? { onProgress: (reached, from, to) => p(`${what}: at #${reached} (${Math.round((100 * Math.abs(reached - from)) / Math.max(1, Math.abs(to - from)))}% of #${from}..#${to})`) } : {};
}

type Handler<S, E extends SimEventBase> = (s: DebugSession<S, E>, args: string, hooks: CommandHooks) => string;

const int = (tok: string | undefined, what: string): number => {
  if (tok === undefined || !/^\d+$/.test(tok)) throw new CommandError(`expected ${what} (a non-negative integer), got ${tok === undefined ? 'nothing' : `'${tok}'`}`);
  return Number(tok);
};

const dur = (tok: string | undefined, what: string): number => {
  const neg = tok?.startsWith('-') ?? false;
  const v = parseDuration(neg ? tok!.slice(1) : tok);
  if (v === null) throw new CommandError(`expected ${what} (e.g. 12.5ms, 3us, 500ns), got ${tok === undefined ? 'nothing' : `'${tok}'`}`);
  return neg ? -v : v;
};

/** Where the cursor is, as one line. */
export function where<S, E extends SimEventBase>(s: DebugSession<S, E>): string {
  const env = s.envelopeAt(s.cursor);
  const pos = env ? fmtEnvelope(env) : '#0 (initial state, before any event)';
  return `[${s.current.name}] ${pos}`;
}

function moveTo<S, E extends SimEventBase>(s: DebugSession<S, E>, seq: number): string {
  s.h.seek(seq);
  return where(s);
}

/** Tests for `next`/`prev`: an event type by name, or a predicate. */
function targetTest<S, E extends SimEventBase>(s: DebugSession<S, E>, arg: string): StepTest<S, E> {
  const a = arg.trim();
  if (a === '') throw new CommandError('expected an event type or a predicate');
  if (Object.prototype.hasOwnProperty.call(s.h.engine.model.reducers, a)) {
    return { needsState: false, check: (env) => (env.event.type === a ? a : null) };
  }
  try {
    return predicateTest<S, E>(compilePredicate(a));
  } catch (e) {
    throw new CommandError((e as Error).message);
  }
}

function report<S, E extends SimEventBase>(s: DebugSession<S, E>, r: ScanResult, dir: 'forward' | 'back'): string {
  if (r.seq !== null) return `${moveTo(s, r.seq)}${r.reason && r.reason !== s.h.envelope(r.seq).event.type ? `\n  stopped: ${r.reason}` : ''}`;
  return `no match ${dir === 'forward' ? 'after' : 'before'} #${s.cursor}`;
}

/** Tests run by `continue`: breakpoints, and watched values changing. */
function continueTests<S, E extends SimEventBase>(s: DebugSession<S, E>): StepTest<S, E>[] {
  const tests: StepTest<S, E>[] = s.breaks.map((b) => ({
    needsState: b.test.needsState,
    check: (env, st) => {
      const r = b.test.check(env, st);
      return r === null ? null : `breakpoint ${b.id}: ${r === b.source ? b.source : r}`;
    },
  }));
  if (s.watches.length) {
    const targets = s.watches.map((w) => watchTarget(s, w.path).w);
    const last = targets.map((t) => JSON.stringify(t.read(s.h.stateAt(s.cursor).model)));
    tests.push({
      needsState: true,
      check: (_env, st) => {
        for (let i = 0; i < s.watches.length; i++) {
          const v = JSON.stringify(targets[i].read(st()));
          if (v !== last[i]) { const was = last[i]; last[i] = v; return `watch ${s.watches[i].path}: ${was} -> ${v}`; }
        }
        return null;
      },
    });
  }
  if (!tests.length) throw new CommandError("no breakpoints or watches: 'break <predicate>' or 'watch <path>' first");
  return tests;
}

function print<S, E extends SimEventBase>(s: DebugSession<S, E>, args: string): string {
  const [form, ...rest] = args.trim().split(/\s+/);
  const model = s.h.stateAt(s.cursor).model;
  const plug = s.plugin.printForms?.[form];
  if (plug && rest.length) return plug(model, rest.join(' '));
  if (!form) throw new CommandError(`expected a path to print${s.plugin.printForms ? ` or one of: ${Object.keys(s.plugin.printForms).join(', ')}` : ''}`);
  const env = s.envelopeAt(s.cursor);
  if (form === 'event' || form.startsWith('event.')) {
    if (!env) throw new CommandError('no event at #0');
    return fmtValue(compilePredicate(form).value({ ...env, state: () => model }));
  }
  const v = readPath(model, form);
  if (v === undefined) throw new CommandError(`no value at '${form}' in the state at #${s.cursor}`);
  return fmtValue(v);
}

function forkEdit<S, E extends SimEventBase>(s: DebugSession<S, E>, cmd: 'inject' | 'drop' | 'delay', args: string): string {
  const toks = args.trim().split(/\s+/);
  s.editFork((spec) => {
    const base = s.h.timeOf(spec.seq);
    if (cmd === 'drop') spec.drop.push(int(toks[0], 'the seq of a pending event'));
    else if (cmd === 'delay') spec.delay.push({ seq: int(toks[0], 'the seq of a pending event'), by: dur(toks[1], 'a delay') });
    else {
      const m = /^(\+?)(\S+)\s+(\{.*\})\s*$/.exec(args.trim());
      if (!m) throw new CommandError('usage: inject <time | +dt> <event JSON>');
      const t = m[1] ? base + dur(m[2], 'a delay after the fork point') : dur(m[2], 'a time');
      let event: E;
      try { event = JSON.parse(m[3]) as E; } catch (e) { throw new CommandError(`inject: bad event JSON: ${(e as Error).message}`); }
      const err = s.validate(event);
      if (err) throw new CommandError(`inject: ${err}`);
      spec.inject.push({ event, time: t });
    }
  });
  const f = s.current.fork!;
  return `[${s.current.name}] forked from ${f.parent} at #${f.seq}: ${f.inject.length} injected, ${f.drop.length} dropped, ${f.delay.length} delayed; ${s.h.lastSeq} events${s.complete() ? `, ends t=${fmtTime(s.h.engine.now)}` : " so far ('extend' to run further)"}`;
}

function pending<S, E extends SimEventBase>(s: DebugSession<S, E>, args: string): string {
  const n = args.trim() ? int(args.trim(), 'a count') : 20;
  const list = s.h.pendingAt(s.cursor);
  const lines = list.slice(0, n).map((p) => `${p.seq === null ? '(never ran)' : `#${p.seq}`} t=${fmtTime(p.time)} ${p.event.type}`);
  return [`${list.length} pending after #${s.cursor}`, ...lines, ...(list.length > n ? [`... ${list.length - n} more`] : [])].join('\n');
}

export const COMMANDS: Record<string, Handler<any, any>> = {
  help: (_s, a) => (a.trim() ? helpFor(ALIASES[a.trim()] ?? a.trim()) : HELP),
  where: (s) => where(s),
  step: (s, a) => moveTo(s, Math.min(s.h.lastSeq, s.cursor + (a.trim() ? int(a.trim(), 'a count') : 1))),
  back: (s, a) => moveTo(s, Math.max(0, s.cursor - (a.trim() ? int(a.trim(), 'a count') : 1))),
  goto: (s, a) => {
    const p = parsePoint(s, a.trim());
    s.current = p.timeline;
    return moveTo(s, p.seq);
  },
  next: (s, a, k) => report(s, scanForward(s.h, s.cursor, s.h.lastSeq, [targetTest(s, a)], scanOpts(k, 'next')), 'forward'),
  prev: (s, a, k) => report(s, scanBackward(s.h, s.cursor, [targetTest(s, a)], scanOpts(k, 'prev')), 'back'),
  continue: (s, _a, k) => report(s, scanForward(s.h, s.cursor, s.h.lastSeq, continueTests(s), scanOpts(k, 'continue')), 'forward'),
  'reverse-continue': (s, _a, k) => report(s, scanBackward(s.h, s.cursor, continueTests(s), scanOpts(k, 'reverse-continue')), 'back'),
  print: (s, a) => print(s, a),
  page: (s, a, k) => pageCommand(s, a, scanOpts(k, 'page history')),
  pageblock: (s, a) => pageblockCommand(s, a),
  area: (s, a) => areaCommand(s, a),
  request: (s, a) => requestCommand(s, a),
  cat: (s, a) => {
    if (!s.plugin.files) throw new CommandError('this model has no kernel files');
    const path = a.trim();
    if (!path) throw new CommandError('cat <path>: e.g. cat /proc/meminfo (ls lists the paths)');
    try {
      return s.plugin.files.read(s.h.stateAt(s.cursor).model, path).replace(/\n$/, '');
    } catch (e) {
      throw new CommandError((e as Error).message);
    }
  },
  ls: (s) => {
    if (!s.plugin.files) throw new CommandError('this model has no kernel files');
    return s.plugin.files.list(s.h.stateAt(s.cursor).model).join('\n');
  },
  map: (s, a) => {
    if (!s.plugin.map) throw new CommandError('this model has no map view');
    return s.plugin.map(s.h.stateAt(s.cursor).model, a.trim() || undefined);
  },
  diff: (s, a) => diffPoints(s, a),
  why: (s, a, k) => whyCommand(s, a, scanOpts(k, 'why')),
  watch: (s, a) => {
    const path = a.trim();
    const now = (text: string): string => JSON.stringify(watchTarget(s, text).w.read(s.h.stateAt(s.cursor).model)) ?? 'undefined';
    if (!path) return s.watches.length ? s.watches.map((w) => `${w.path} = ${now(w.path)}`).join('\n') : 'no watches';
    const shown = now(path);
    if (!s.watches.some((w) => w.path === path)) s.watches.push({ path });
    return `watch ${path} = ${shown}`;
  },
  unwatch: (s, a) => {
    const i = s.watches.findIndex((w) => w.path === a.trim());
    if (i < 0) throw new CommandError(`not watching '${a.trim()}'`);
    s.watches.splice(i, 1);
    return `unwatched ${a.trim()}`;
  },
  'back-to-write': (s, a, k) => {
    const text = a.trim() || s.watches[s.watches.length - 1]?.path;
    if (!text) throw new CommandError("back-to-write: give a path or 'watch <path>' first");
    const { label, w: target } = watchTarget(s, text);
    // Strictly before the cursor: at a write, `back-to-write` again goes to the one before it.
    const w = s.cursor > 1 ? lastChange(s.h, s.cursor - 1, target, scanOpts(k, 'back-to-write')) : null;
    if (w === null) throw new CommandError(`no event before #${s.cursor} changed ${label}`);
    const show = (seq: number): string => clip(JSON.stringify(target.read(s.h.stateAt(seq).model)) ?? 'undefined', 200);
    return `${moveTo(s, w)}\n  ${label}: ${show(w - 1)} -> ${show(w)}`;
  },
  break: (s, a) => {
    try {
      const b = s.addBreak(a);
      return `breakpoint ${b.id}: ${b.source}`;
    } catch (e) {
      throw isCommandError(e) ? e : new CommandError((e as Error).message);
    }
  },
  breaks: (s) => (s.breaks.length ? s.breaks.map((b) => `${b.id}: ${b.source}`).join('\n') : 'no breakpoints'),
  delete: (s, a) => { s.deleteBreak(int(a.trim(), 'a breakpoint id')); return `deleted breakpoint ${a.trim()}`; },
  fork: (s, a) => {
    const t = s.fork(a.trim() || undefined);
    return `[${t.name}] forked from ${t.fork!.parent} at #${t.fork!.seq}; now on ${t.name}${s.complete() ? '' : ` (${t.history.lastSeq} events so far; 'extend' to run further)`}`;
  },
  inject: (s, a) => forkEdit(s, 'inject', a),
  drop: (s, a) => forkEdit(s, 'drop', a),
  delay: (s, a) => forkEdit(s, 'delay', a),
  timelines: (s) => s.timelines.map((t) => `${t === s.current ? '*' : ' '} ${t.name}${t.fork ? ` (from ${t.fork.parent} at #${t.fork.seq})` : ''}: ${t.history.lastSeq} events${s.complete(t) ? '' : ' so far (extend to run further)'}, cursor #${t.history.cursor}`).join('\n'),
  extend: (s) => {
    if (!s.current.fork) throw new CommandError('only a fork can be extended; the main timeline is complete');
    const done = s.extend();
    return `[${s.current.name}] ${s.h.lastSeq} events${done ? ', complete' : " so far; 'extend' again to run further"}`;
  },
  timeline: (s, a) => { s.current = s.timeline(a.trim()); return where(s); },
  pending: (s, a) => pending(s, a),
  events: (s, a) => {
    const n = a.trim() ? int(a.trim(), 'a count') : 10;
    const to = Math.min(s.h.lastSeq, s.cursor + n);
    const out: string[] = [];
    for (let q = Math.max(1, s.cursor); q <= to; q++) out.push(`${q === s.cursor ? '>' : ' '} ${fmtEnvelope(s.h.envelope(q))}`);
    return out.join('\n') || 'no events';
  },
  save: (_s, a, hooks) => {
    if (!hooks.save) throw new CommandError('save is not available here');
    if (!a.trim()) throw new CommandError('usage: save <session.jsonl>');
    return hooks.save(a.trim());
  },
};

const ALIASES: Record<string, string> = { s: 'step', b: 'back', n: 'next', p: 'print', c: 'continue', rc: 'reverse-continue', 'tl': 'timelines' };

export const COMMAND_NAMES = Object.keys(COMMANDS).sort();

/** Run one command line; returns its output. Throws CommandError for user mistakes. */
export function runDebugCommand<S, E extends SimEventBase>(s: DebugSession<S, E>, line: string, hooks: CommandHooks = {}): string {
  const m = /^\s*(\S+)\s*([\s\S]*)$/.exec(line);
  if (!m) return '';
  const name = ALIASES[m[1]] ?? m[1];
  const h = COMMANDS[name];
  if (!h) throw new CommandError(`unknown command '${m[1]}' (try 'help')`);
  try {
    return h(s, m[2], hooks);
  } catch (e) {
    if (e instanceof PredicateError || e instanceof RangeError) throw new CommandError(e.message);
    throw e;
  }
}

/** Split `--eval` text or a script into commands at `;` and newlines, outside quotes and braces. */
export function splitCommands(text: string): string[] {
  const out: string[] = [];
  let cur = '', depth = 0, quote = '';
  for (const ch of text) {
    if (quote) { if (ch === quote) quote = ''; cur += ch; continue; }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '{' || ch === '[' || ch === '(') depth++;
    else if (ch === '}' || ch === ']' || ch === ')') depth--;
    else if ((ch === ';' || ch === '\n') && depth <= 0) { out.push(cur); cur = ''; continue; }
    cur += ch;
  }
  out.push(cur);
  return out.map((c) => c.trim()).filter((c) => c !== '' && !c.startsWith('#'));
}
