import { expect } from 'chai';
import { UsageError } from '../../../lib/cli/errors.ts';
import { COMMANDS } from '../../../lib/cli/commands.ts';
import { commandHelp } from '../../../lib/cli/help.ts';
import { parseCommandLine } from '../../../lib/cli/parse.ts';
import { isRaw } from '../../../lib/cli/rawCommand.ts';

/** argv -> the parsed command and options (or 'help'/'version'), or the usage error message. */
function parsed(argv: string[]): unknown {
  try {
    const p = parseCommandLine(argv);
    if (p.kind === 'command') return { [p.command.name]: p.options };
    if (p.kind === 'help') return `help ${p.command?.name ?? ''}`.trim();
    if (p.kind === 'raw') return { raw: p.command.raw.name, argv: p.argv };
    return p.kind;
  } catch (e) {
    if (e instanceof UsageError) return `error: ${e.message}`;
    throw e;
  }
}

const runDefaults = { scenario: null, sets: [], boot: { cmdline: undefined, dts: undefined }, seed: undefined, until: undefined, out: undefined, formats: ['text'], traceFormat: undefined, checkInvariants: false, checkFull: false, maxEvents: undefined, quiet: false, force: false };

const table: [string[], unknown][] = [
  [[], 'help'],
  [['--help'], 'help'],
  [['-V'], 'version'],
  [['--version'], 'version'],
  [['run', '--help'], 'help run'],
  [['help', 'sweep'], 'help sweep'],
  [['run'], { run: runDefaults }],
  [['run', 's.json', '--seed', '7', '--until', '10s'], { run: { ...runDefaults, scenario: 's.json', seed: 7, until: 10e9 } }],
  [['run', 's.json', '-o', 'out', '-f', 'text,json', '--format', 'json', '--format', 'csv', '--force', '-q', '--check-invariants'],
    { run: { ...runDefaults, scenario: 's.json', out: 'out', formats: ['text', 'json', 'csv'], force: true, quiet: true, checkInvariants: true } }],
  [['run', '--check', 'full'], { run: { ...runDefaults, checkInvariants: true, checkFull: true } }],
  [['run', '--check', 'incremental'], { run: { ...runDefaults, checkInvariants: true } }],
  [['run', '--check', 'all'], "error: --check: expected one of incremental|full, got 'all'"],
  [['run', '--until', '12.5ms'], { run: { ...runDefaults, until: 12_500_000 } }],
  [['run', '--max-events', '1000'], { run: { ...runDefaults, maxEvents: 1000 } }],
  [['run', '-o', 'o', '-f', 'ftrace', '--trace-format', '6.1'], { run: { ...runDefaults, out: 'o', formats: ['ftrace'], traceFormat: '6.1' } }],
  [['run', '--trace-format', 'errorno'], { run: { ...runDefaults, traceFormat: 'errorno' } }],
  [['run', '--trace-format', '5.4'], "error: --trace-format: expected one of single|6.1|errorno|latest, got '5.4'"],
  [['run', '--seed', 'x'], "error: --seed: expected an integer in 0..4294967295, got 'x'"],
  [['run', '--seed', '-1'], "error: option '--seed' needs a value (write --seed=VALUE for a value starting with '-')"],
  [['run', '--seed'], "error: option '--seed': needs a value"],
  [['run', '--force=yes', '--out', 'o'], "error: option '--force': takes no value"],
  [['run', '--until', 'soon'], "error: --until: expected a duration like 10s, 250ms or 5000000 (ns), got 'soon'"],
  [['run', '--format', 'pdf'], "error: --format: expected one of text|md|json|csv|html|perfetto|ftrace|sysfs|meminfo|buddyinfo|pagetypeinfo, got 'pdf'"],
  [['run', '--format', 'text,json'], 'error: several --format values need --out DIR'],
  [['run', '--force'], 'error: --force only makes sense with --out DIR'],
  [['run', 'a.json', 'b.json'], "error: unexpected argument 'b.json' for 'run'"],
  [['run', '--bogus'], "error: unknown option '--bogus' for 'run'"],
  [['frobnicate'], "error: unknown command 'frobnicate'"],
  [['rnu'], "error: unknown command 'rnu'; did you mean 'run'?"],
  [['help', 'swep'], "error: unknown command 'swep'; did you mean 'sweep'?"],
  [['replay-tarce', 't.txt'], "error: unknown command 'replay-tarce'; did you mean 'replay-trace'?"],
  [['run', '--sede', '3'], "error: unknown option '--sede' for 'run'; did you mean '--seed'?"],
  [['sweep', '--seed', '3'], "error: unknown option '--seed' for 'sweep'; did you mean '--seeds'?"],
  [['run', '--froce=1'], "error: unknown option '--froce' for 'run'; did you mean '--force'?"],
  [['--seed', '3'], "error: unknown option '--seed' (expected a command first)"],
  [['replay'], "error: 'replay' needs a log file (log.jsonl written by run --out)"],
  [['replay', 'log.jsonl'], { replay: { log: 'log.jsonl', foldOnly: false, quiet: false } }],
  [['replay', 'log.jsonl', '--fold-only', '-q'], { replay: { log: 'log.jsonl', foldOnly: true, quiet: true } }],
  [['report', 'log.jsonl', '--format', 'md'], { report: { log: 'log.jsonl', formats: ['md'], traceFormat: undefined, out: undefined, force: false } }],
  [['sweep', 's.json', '--seeds', '1..3,7', '--set', 'costs.migrateAnon=2us', '--set', 'workload[0].rate=50', '--workers', '2'],
    { sweep: { scenario: 's.json', seeds: [1, 2, 3, 7], sets: [['costs.migrateAnon', '2us'], ['workload[0].rate', 50]], vary: [], workers: 2, until: undefined, maxEvents: undefined, format: 'text', checkInvariants: false, quiet: false, perRequest: false } }],
  [['sweep', '--seeds', '1', '--vary', 'cma.lockMode=global,split', '--workers', '1'],
    { sweep: { scenario: null, seeds: [1], sets: [], vary: [['cma.lockMode', ['global', 'split']]], workers: 1, until: undefined, maxEvents: undefined, format: 'text', checkInvariants: false, quiet: false, perRequest: false } }],
  [['sweep', '--vary', 'a=1,,2'], "error: --vary a: empty value in '1,,2'"],
  [['sweep', '--seeds', '5..2'], 'error: --seeds: range 5..2 goes backwards'],
  [['sweep', '--seeds', '1-3'], "error: --seeds: expected N, A..B or a comma list of them, got '1-3'"],
  [['sweep', '--set', 'novalue'], "error: --set: expected path=value (e.g. costs.migratePerPage=2us), got 'novalue'"],
  [['sweep', '--workers', '0', '--seeds', '1'], { sweep: { scenario: null, seeds: [1], sets: [], vary: [], workers: 0, until: undefined, maxEvents: undefined, format: 'text', checkInvariants: false, quiet: false, perRequest: false } }],
  // Commands that parse their own argv get it untouched; `replay --choices` goes to the explorer.
  [['explore', 'race1', '--max-runs', '10'], { raw: 'exploreCommand', argv: ['race1', '--max-runs', '10'] }],
  [['help', 'debug'], { raw: 'debugCommand', argv: ['--help'] }],
  [['replay', 'race3', '--choices', 't.json'], { raw: 'replayChoicesCommand', argv: ['race3', '--choices', 't.json'] }],
  [['import', 't.txt', '--area', 'a=1M@0', '--area', 'b=2M@0x100000', '-o', 's.json'],
    { import: { file: 't.txt', sets: [], area: ['a=1M@0', 'b=2M@0x100000'], dmesg: undefined, allowUnfinished: false, out: 's.json', force: false } }],
  [['replay-trace'], "error: 'replay-trace' needs a trace file (ftrace text, trace_pipe or trace-cmd report; '-' for standard input)"],
  [['run', '-', '--set', 'until=1ms', '--set', 'cma.areas=[]'], { run: { ...runDefaults, scenario: '-', sets: [['until', '1ms'], ['cma.areas', []]] } }],
  [['replay-trace', '-', '--set', 'costs.migratePerPage=2us'], { 'replay-trace': { file: '-', sets: [['costs.migratePerPage', '2us']], area: [], dmesg: undefined, allowUnfinished: false, calibrate: false, applyCalibration: false } }],
  [['sweep', '--workers', 'many'], "error: --workers: expected a positive integer, got 'many'"],
];

describe('cma-sim command line (argv -> options)', () => {
  for (const [argv, want] of table) {
    it(`${argv.join(' ') || '(nothing)'}`, () => {
      expect(parsed(argv)).to.deep.equal(want);
    });
  }
});

describe('cma-sim --help (every command that cma-sim parses)', () => {
  for (const c of COMMANDS) {
    if (isRaw(c)) continue;
    it(`${c.name} --help lists every option it accepts, each once, with its short form`, () => {
      const help = commandHelp(c);
      const lines = help.split('\n').filter((l) => /^ {2}--/.test(l));
      const listed = lines.map((l) => /^ {2}--([\w-]+)/.exec(l)![1]);
      expect([...listed].sort()).to.deep.equal(Object.keys(c.options).sort());
      for (const [name, o] of Object.entries(c.options)) {
        if (o.short) expect(lines.find((l) => l.startsWith(`  --${name}`)), name).to.match(new RegExp(`, -${o.short} `));
      }
      expect(help).to.match(new RegExp(`^Usage: cma-sim ${c.name}[ \n]`));
      expect(help).to.match(/\nOptions:\n[\s\S]*\nExamples:\n {2}cma-sim /);
    });
  }
});
