import { readFileSync } from 'node:fs';
import { LogFormatError } from '../../history/jsonl.ts';
import { InputError } from '../../io/inputError.ts';
import type { DebugPlugin } from '../../run/runnable.ts';
import { pluginFor } from '../../debug/cmaPlugin.ts';
import { runDebugCommand, splitCommands, where, type CommandHooks } from '../../debug/commands.ts';
import { repl } from '../../debug/repl.ts';
import { DebugSession, isCommandError } from '../../debug/session.ts';
import { OLD_SESSION_FORMAT, saveSession, type Opened } from '../../debug/sessionFile.ts';
import { CHECK_MODES } from '../../scenario/invariants.ts';
import { headerOf, openChoices, openLogOrSession, openTarget, readText } from '../debugTarget.ts';
import { UsageError } from '../errors.ts';
import type { CommandIo } from '../io.ts';
import { scenarioPath } from '../loadExploreScenario.ts';
import { cannotRead } from '../../io/cannotRead.ts';

interface DebugArgs { input: string; evalText: string[]; script: string | null; target: string | undefined; choices: string | undefined; checkFull: boolean }

function parseArgs(argv: string[]): DebugArgs {
  const a: DebugArgs = { input: '', evalText: [], script: null, target: undefined, choices: undefined, checkFull: false };
  for (let i = 0; i < argv.length; i++) {
    const t = argv[i];
    const val = (): string => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${t}: expected a value`);
      return v;
    };
    if (t === '--eval' || t === '-e') a.evalText.push(val());
    else if (t === '--script') a.script = val();
    else if (t === '--target') a.target = val();
    else if (t === '--choices') a.choices = val();
    else if (t === '--check') {
      const m = val();
      if (!(CHECK_MODES as readonly string[]).includes(m)) throw new UsageError(`--check: expected one of ${CHECK_MODES.join(', ')}, got '${m}'`);
      a.checkFull = m === 'full';
    }
    else if (t.startsWith('-')) throw new UsageError(`unknown option '${t}'`);
    else if (a.input) throw new UsageError(`unexpected argument '${t}' (already debugging ${a.input})`);
    else a.input = t;
  }
  if (!a.input) throw new UsageError('expected a scenario module, log.jsonl or session.jsonl');
  return a;
}

/**
 * `cma-sim debug`: open a run, then run commands from --eval / --script, or interactively.
 * Exit code 0 when every command ran, 2 on bad usage or the first failing scripted command.
 */
/** `cma`: what the caller adds to the CMA model's debugger plugin (the command line adds the kernel files). */
export async function debugCommand(argv: string[], io: CommandIo, cma: Partial<DebugPlugin<any>> = {}): Promise<number> {
  let session: DebugSession<any, any>;
  let opened: Opened<any, any>;
  let args: DebugArgs;
  try {
    args = parseArgs(argv);
    if (args.choices !== undefined) {
      if (args.input.endsWith('.jsonl') || args.target) throw new UsageError('--choices takes the scenario or race the trace was recorded from (a module, a JSON scenario or a built-in race name)');
      const c = await openChoices(scenarioPath(args.input), args.choices);
      opened = c.opened;
      session = new DebugSession(opened.history, pluginFor(opened.runnable, cma), opened.runnable.model.validateEvent);
      session.h.seek(c.at);
      io.out(`${c.notes.join('\n')}\n${where(session)}\n`);
    } else if (args.input.endsWith('.jsonl')) {
      const text = readText(args.input);
      if (headerOf(text)?.format === OLD_SESSION_FORMAT) throw new UsageError(`${args.input}:1: a session of the first format, which named a module to import; it is no longer read: open the original log or scenario and save again`);
      ({ session, opened } = await openLogOrSession(args.input, text, args.target, cma));
    } else {
      opened = await openTarget(args.input, args.target);
      session = new DebugSession(opened.history, pluginFor(opened.runnable, cma), opened.runnable.model.validateEvent);
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof InputError) { io.err(`cma-sim debug: ${e.message}\n`); return 2; }
    throw e;
  }
  session.fullChecks = args.checkFull;
  const hooks: CommandHooks = {
    save: (file: string) => saveSession(file, session, opened),
    // Long searches in a script say how far they got on a terminal; piped output stays clean.
    ...(process.stderr.isTTY ? { progress: (t: string) => io.err(`${t}\n`) } : {}),
  };
  const scripted: string[] = [];
  try {
    if (args.script) scripted.push(...splitCommands(readFileSync(args.script, 'utf8')));
  } catch (e) {
    io.err(`cma-sim debug: ${args.script}: ${cannotRead(e)}\n`);
    return 2;
  }
  for (const t of args.evalText) scripted.push(...splitCommands(t));
  if (!args.script && args.evalText.length === 0) return repl(session, io, hooks);
  for (let i = 0; i < scripted.length; i++) {
    const cmd = scripted[i];
    io.out(`> ${cmd}\n`);
    try {
      const out = runDebugCommand(session, cmd, hooks);
      if (out) io.out(out + '\n');
    } catch (e) {
      // LogFormatError: a lazily replayed log found wrong where the command took it (lib/history).
      if (!isCommandError(e) && !(e instanceof RangeError) && !(e instanceof LogFormatError)) throw e;
      io.err(`cma-sim debug: command ${i + 1} '${cmd}': ${e.message}\n`);
      return 2;
    }
  }
  return 0;
}
