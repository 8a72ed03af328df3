import { createInterface } from 'node:readline';
import type { SimEventBase } from '../engine/types.ts';
import { COMMAND_NAMES, runDebugCommand, type CommandHooks } from './commands.ts';
import { readPath, type DebugSession } from './session.ts';

/** Commands whose argument is a state path, and those whose argument may be an event type. */
const PATH_ARGS = new Set(['print', 'p', 'watch', 'unwatch', 'back-to-write']);
const TYPE_ARGS = new Set(['next', 'n', 'prev', 'break']);

/** Tab completion: command names, then state paths (keys at the typed prefix) or event types. */
export function complete<S, E extends SimEventBase>(s: DebugSession<S, E>, line: string): [string[], string] {
  const m = /^(\s*)(\S*)$/.exec(line);
  if (m) return [COMMAND_NAMES.filter((c) => c.startsWith(m[2])), m[2]];
  const a = /^\s*(\S+)\s+(?:.*\s)?(\S*)$/.exec(line);
  if (!a) return [[], line];
  const [, cmd, word] = a;
  if (TYPE_ARGS.has(cmd) && !word.includes('.') || (TYPE_ARGS.has(cmd) && Object.keys(s.h.engine.model.reducers).some((t) => t.startsWith(word)))) {
    const types = Object.keys(s.h.engine.model.reducers).filter((t) => t.startsWith(word));
    if (types.length) return [types, word];
  }
  if (PATH_ARGS.has(cmd) || TYPE_ARGS.has(cmd)) {
    const dot = word.lastIndexOf('.');
    const parent = dot < 0 ? '' : word.slice(0, dot);
    const v = parent === '' ? s.h.stateAt(s.cursor).model : readPath(s.h.stateAt(s.cursor).model, parent);
    if (v && typeof v === 'object') {
      const keys = Object.keys(v).slice(0, 500).map((k) => (parent ? `${parent}.${k}` : k));
      return [keys.filter((k) => k.startsWith(word)), word];
    }
  }
  return [[], word];
}

/**
 * Ctrl-C at the prompt: clears a half-typed line; at an empty prompt it warns first (naming the
 * forks that would be lost) and leaves only on a second Ctrl-C in a row.
 */
export function interruptHandler<S, E extends SimEventBase>(s: DebugSession<S, E>, err: (t: string) => void, leave: () => void): (line: string) => void {
  let armed = false;
  return (line) => {
    if (line.trim() !== '') { armed = false; return; }
    if (armed) { leave(); return; }
    armed = true;
    const lost = s.unsavedForks();
    err(lost.length
      ? `\n(${lost.length} fork(s) not saved: ${lost.join(', ')}. 'save <file>' keeps them; Ctrl-C again quits without saving)\n`
      : "\n(Ctrl-C again, 'quit' or Ctrl-D to leave)\n");
  };
}

/** The interactive loop: a prompt naming the timeline and seq, history, completion. Resolves on EOF or `quit`. */
export function repl<S, E extends SimEventBase>(
  s: DebugSession<S, E>,
  io: { out(s: string): void; err(s: string): void; stdin?: NodeJS.ReadableStream },
  hooks: CommandHooks,
): Promise<number> {
  const input = io.stdin ?? process.stdin;
  const tty = (input as { isTTY?: boolean }).isTTY === true;
  const rl = createInterface({ input, output: tty ? process.stdout : undefined, terminal: tty, historySize: 1000, completer: (l: string) => complete(s, l) });
  const prompt = () => `(${s.current.name} #${s.cursor}) `;
  const progress = (t: string): void => io.err(`\r${t}\x1b[K`);
  const withProgress: CommandHooks = tty ? { progress, ...hooks } : hooks;
  return new Promise((resolveP) => {
    const ask = (): void => { rl.setPrompt(prompt()); rl.prompt(); };
    const interrupt = interruptHandler(s, io.err, () => rl.close());
    let closed = false;
    rl.on('SIGINT', () => {
      const line = rl.line;
      interrupt(line);
      if (closed) return;
      if (line.trim() !== '') rl.write(null, { ctrl: true, name: 'u' }); // clear the half-typed line
      else ask();
    });
    rl.on('line', (line) => {
      interrupt(line || ' '); // any command disarms a pending Ctrl-C
      const t = line.trim();
      if (t === 'quit' || t === 'exit' || t === 'q') { rl.close(); return; }
      if (t) {
        try {
          const out = runDebugCommand(s, t, withProgress);
          if (tty && withProgress.progress) io.err('\r\x1b[K');
          if (out) io.out(out + '\n');
        } catch (e) {
          io.err(`error: ${(e as Error).message}\n`);
        }
      }
      ask();
    });
    rl.on('close', () => { closed = true; resolveP(0); });
    ask();
  });
}
