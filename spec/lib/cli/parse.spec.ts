import { expect } from 'chai';
import { runCli } from './runCli.ts';
import { UsageError } from '../../../lib/cli/errors.ts';
import { COMMANDS, findCommand } from '../../../lib/cli/commands.ts';
import { commandHelp } from '../../../lib/cli/help.ts';
import { parseCommandLine } from '../../../lib/cli/parse.ts';

/** argv -> the parsed command and options (or 'help'/'version'), or the usage error message. */
function parsed(argv: string[]): unknown {
  try {
    const p = parseCommandLine(argv);
    if (p.kind === 'command') return { [p.command.name]: p.options };
    if (p.kind === 'help') return `help ${p.command?.name ?? ''}`.trim();
    return p.kind;
  } catch (e) {
    if (e instanceof UsageError) return `error: ${e.message}`;
    throw e;
  }
}

const runDefaults = { scenario: null, sets: [], boot: { cmdline: undefined, dts: undefined }, seed: undefined, until: undefined, out: undefined, formats: ['text'], traceFormat: undefined, checkInvariants: false, checkFull: false, maxEvents: undefined, quiet: false, force: false };

const exploreDefaults = { scenario: 'race1', strategy: 'exhaustive', maxRuns: undefined, preemptionBound: undefined, seed: undefined, depth: undefined, window: undefined, reduction: true, invariants: true, workers: 0, first: false, out: undefined, force: false, progress: false, quiet: false };

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
  // debug and explore parse here like every command; `replay --choices` goes to the explorer's replay.
  [['explore', 'race1', '--max-runs', '10'], { explore: { ...exploreDefaults, maxRuns: 10 } }],
  [['explore', 'race3', '--strategy', 'pct', '--depth', '2', '--seed', '9', '--window', '0', '--preemption-bound', '0', '--workers', '0', '--no-reduction', '--first', '-q', '--out', 'o', '--force', '--progress'],
    { explore: { ...exploreDefaults, scenario: 'race3', strategy: 'pct', depth: 2, seed: 9, window: 0, preemptionBound: 0, reduction: false, first: true, quiet: true, out: 'o', force: true, progress: true } }],
  [['explore', 's.json', '--check', 'full'], { explore: { ...exploreDefaults, scenario: 's.json', check: 'full' } }],
  [['explore'], "error: 'explore' needs a scenario (a module, a JSON scenario or a built-in race: race1 .. race6)"],
  [['explore', 'race1', 'race2'], "error: unexpected argument 'race2' for 'explore'"],
  [['explore', 'race1', '--max-runs', 'x'], "error: --max-runs: expected a positive integer, got 'x'"],
  [['explore', 'race1', '--workers', '-1'], "error: option '--workers' needs a value (write --workers=VALUE for a value starting with '-')"],
  [['explore', 'race1', '--preemption-bound', '1.5'], "error: --preemption-bound: expected a non-negative integer, got '1.5'"],
  [['explore', 'race1', '--window', 'soon'], "error: --window: expected a duration like 0, 10s, 250ms or 5000000 (ns), got 'soon'"],
  [['explore', 'race1', '--strategy', 'bfs'], "error: --strategy: expected one of exhaustive|random|pct|swarm, got 'bfs'"],
  [['explore', 'race1', '--check', 'full', '--no-invariants'], 'error: --check chooses how invariants are checked: it cannot go with --no-invariants'],
  [['explore', 'race1', '--stratgy', 'pct'], "error: unknown option '--stratgy' for 'explore'; did you mean '--strategy'?"],
  [['help', 'debug'], 'help debug'],
  [['debug', 'log.jsonl', '-e', 'goto 5ms', '--eval', 'why', '--target', 'race1', '--check', 'full'],
    { debug: { input: 'log.jsonl', evalText: ['goto 5ms', 'why'], script: null, target: 'race1', checkFull: true } }],
  [['debug', 'race3', '--choices', 'f.json', '--script', 'cmds.txt'], { debug: { input: 'race3', evalText: [], script: 'cmds.txt', choices: 'f.json', checkFull: false } }],
  [['debug'], "error: 'debug' needs a scenario module, log.jsonl or session.jsonl"],
  [['debug', 'a.ts', 'b.ts'], "error: unexpected argument 'b.ts' for 'debug'"],
  [['debug', 'log.jsonl', '--choices', 'f.json'], 'error: --choices takes the scenario or race the trace was recorded from (a module, a JSON scenario or a built-in race name)'],
  [['debug', 'a.ts', '--check', 'fast'], "error: --check: expected one of incremental|full, got 'fast'"],
  [['debug', 'a.ts', '--eval'], "error: option '--eval': needs a value"],
  [['replay', 'race3', '--choices', 't.json'], { replay: { scenario: 'race3', choices: 't.json', shrink: false } }],
  [['replay', 'race3', '--choices=t.json', '--shrink', '--out', 's.json'], { replay: { scenario: 'race3', choices: 't.json', shrink: true, out: 's.json' } }],
  [['replay', 'race3', '--choices', 't.json', '--out', 's.json'], 'error: --out only makes sense with --shrink (it names the shrunk trace)'],
  [['replay', '--choices', 't.json'], "error: 'replay' needs the scenario or race the trace was recorded from"],
  [['schema'], { schema: null }],
  [['schema', 'x'], "error: unexpected argument 'x' for 'schema'"],
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

describe('cma-sim <command> --help: one layout for every command', () => {
  const forms = [...COMMANDS.map((c) => [c.name, '--help']), ['replay', '--choices', 'x.json', '--help']];
  for (const argv of forms) {
    it(argv.join(' '), async () => {
      const r = await runCli(argv);
      expect(r.code).to.equal(0);
      expect(r.out).to.match(new RegExp(`^Usage: cma-sim ${argv[0]}[ \n]`));
      expect(r.out).to.match(/\n\nOptions:\n[\s\S]*  --help, -h +this help\n\nExamples:\n {2}cma-sim /);
    });
  }

  it('replay --help points to the --choices form, whose help lists --shrink and --out', async () => {
    expect((await runCli(['replay', '--help'])).out).to.include('--choices trace.json [--shrink]');
    const choices = (await runCli(['replay', '--choices', 'x.json', '--help'])).out;
    for (const f of ['--choices TRACE', '--shrink', '--out FILE']) expect(choices).to.include(`  ${f}`);
  });
});

describe('cma-sim --help (every command that cma-sim parses)', () => {
  for (const c of [...COMMANDS, findCommand('replay', ['--choices'])!]) {
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
