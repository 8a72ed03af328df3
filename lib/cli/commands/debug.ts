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
import type { SimState } from '../../../models/state.ts';
import { kernelFile, kernelPaths } from '../../report/kernelFiles.ts';
import { COMMON_OPTIONS, read, type Command } from '../command.ts';
import { headerOf, openChoices, openLogOrSession, openTarget, readText } from '../debugTarget.ts';
import { UsageError } from '../errors.ts';
import type { Io } from '../io.ts';
import { scenarioPath } from '../loadExploreScenario.ts';
import { cannotRead } from '../../io/cannotRead.ts';

export interface DebugCliOptions {
  /** A scenario module, JSON scenario or race; a log.jsonl; or a saved session.jsonl. */
  readonly input: string;
  /** --eval texts in order, each one or more `;`-separated debugger commands. */
  readonly evalText: string[];
  readonly script: string | null;
  /** The module a log or session was recorded from (a log never names code to run). */
  readonly target?: string;
  /** An explorer choice trace: open its run at the failing event. */
  readonly choices?: string;
  /** `--check full`: 'break invariant' walks the whole state after every event. */
  readonly checkFull: boolean;
}

/** The debugger's `cat` and `ls`: the report's kernel files, joined here so lib/debug need not import lib/report. */
const KERNEL_FILES: Partial<DebugPlugin<SimState>> = {
  files: {
    read: kernelFile,
    // Only the files the run's kernel profile has (6.1's sysfs, say, lacks total_pages).
    list: (s: SimState) => kernelPaths(s).filter((p) => { try { kernelFile(s, p); return true; } catch { return false; } }),
  },
};

/**
 * `cma-sim debug`: open a run, then run commands from --eval / --script, or interactively.
 * Exit code 0 when every command ran, 2 on the first failing scripted command.
 */
export const debugCommand: Command<DebugCliOptions> = {
  name: 'debug',
  summary: 'step backward and forward through a run, inspect state, fork timelines',
  usage: 'debug <scenario | log.jsonl | session.jsonl> [options]   (or <scenario | race> --choices failure.json)',
  options: {
    ...COMMON_OPTIONS,
    eval: { type: 'string', short: 'e', multiple: true },
    script: { type: 'string' },
    target: { type: 'string' },
    choices: { type: 'string' },
    check: { type: 'string' },
  },
  optionHelp: [
    ['--eval "cmd; cmd"', 'run these debugger commands and exit (repeatable); without --eval or --script: an interactive prompt (`help` lists the commands)'],
    ['--script FILE', 'run the commands in FILE, one per line, and exit'],
    ['--target MODULE', 'the scenario module (a race, a .ts runnable) a log or session was recorded from: a log never names code to run; logs of JSON scenarios carry their scenario'],
    ['--choices TRACE', 'open the run an explorer choice trace describes, at its failing event'],
    ['--check full', "'break invariant' walks the whole state after every event instead of what it changed"],
  ],
  examples: ['cma-sim debug examples/basic.ts', 'cma-sim debug results/log.jsonl --eval "goto 5ms; print workload; why"'],
  parse(v, pos) {
    read.maxPositionals(pos, 1, 'debug');
    const input = read.requiredPositional(pos, 0, 'a scenario module, log.jsonl or session.jsonl', 'debug');
    const choices = v.choices as string | undefined;
    if (choices !== undefined && (input.endsWith('.jsonl') || v.target !== undefined)) {
      throw new UsageError('--choices takes the scenario or race the trace was recorded from (a module, a JSON scenario or a built-in race name)', 'debug');
    }
    return {
      input,
      evalText: (v.eval as string[] | undefined) ?? [],
      script: (v.script as string | undefined) ?? null,
      ...(v.target !== undefined ? { target: String(v.target) } : {}),
      ...(choices !== undefined ? { choices } : {}),
      checkFull: read.choices(v.check, '--check', CHECK_MODES, ['incremental'])[0] === 'full',
    };
  },
  run: (o, io) => debug(o, io),
};

async function debug(args: DebugCliOptions, io: Io): Promise<number> {
  const cma = KERNEL_FILES;
  let session: DebugSession<any, any>;
  let opened: Opened<any, any>;
  if (args.choices !== undefined) {
    const c = await openChoices(scenarioPath(args.input), args.choices);
    opened = c.opened;
    session = new DebugSession(opened.history, pluginFor(opened.runnable, cma), opened.runnable.model.validateEvent);
    session.h.seek(c.at);
    io.out(`${c.notes.join('\n')}\n${where(session)}\n`);
  } else if (args.input.endsWith('.jsonl')) {
    const text = readText(args.input);
    if (headerOf(text)?.format === OLD_SESSION_FORMAT) throw new InputError(`${args.input}:1: a session of the first format, which named a module to import; it is no longer read: open the original log or scenario and save again`);
    ({ session, opened } = await openLogOrSession(args.input, text, args.target, cma));
  } else {
    opened = await openTarget(args.input, args.target);
    session = new DebugSession(opened.history, pluginFor(opened.runnable, cma), opened.runnable.model.validateEvent);
  }
  session.fullChecks = args.checkFull;
  const hooks: CommandHooks = {
    save: (file: string) => saveSession(file, session, opened),
    // Long searches in a script say how far they got on a terminal; piped output stays clean.
    ...(io.errIsTTY ? { progress: (t: string) => io.err(`${t}\n`) } : {}),
  };
  const scripted: string[] = [];
  try {
    if (args.script) scripted.push(...splitCommands(readFileSync(args.script, 'utf8')));
  } catch (e) {
    throw new InputError(`${args.script}: ${cannotRead(e)}`);
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
