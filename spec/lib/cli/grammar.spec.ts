import { expect } from 'chai';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { smallScenario } from '../scenario/fixtures.ts';
import { TRACE_DIR } from '../trace/fixtures.ts';
import { runCli, tempScenario } from './runCli.ts';

const trace = `${TRACE_DIR}smoke-3g-misaligned.trace.txt`;
const dmesg = `${TRACE_DIR}smoke-3g-misaligned.dmesg.txt`;

const run = runCli;

describe('one command-line grammar', () => {
  let dir: string;
  let scenario: string;
  tempScenario('cma-sim-grammar-', '50ms', (d, f) => { dir = d; scenario = f; });

  describe('--max-memory SIZE (issue 18 item 2)', () => {
    it('run: a machine over the default 4G budget is one line naming the field and exit 2; a larger budget admits it', async () => {
      const big = path.join(dir, 'big.json');
      writeFileSync(big, JSON.stringify({ machine: { ram: '512G' }, until: '1ms' }));
      const refused = await run(['run', big, '-q']);
      expect(refused.code).to.equal(2);
      expect(refused.err).to.match(/^cma-sim: [^\n]*big\.json:1:\d+: machine\.ram: 512G of RAM needs about 8G of model state [^\n]*over the memory budget of 4G[^\n]*\n$/);
      const bad = await run(['run', big, '--max-memory', 'lots']);
      expect(bad).to.include({ code: 2, out: '' });
      expect(bad.err).to.match(/^cma-sim: --max-memory: expected a size like 8G, 512M or 4096, got 'lots'/);
      // Only the check is exercised: with a bigger budget the scenario passes it (and fails nowhere else before boot).
      const { checkScenario } = await import('../../../lib/scenario/scenario.ts');
      expect(checkScenario({ machine: { ram: '512G' } }, { maxMemory: 16 * 2 ** 30 }).machine.banks[0].size).to.equal(512 * 2 ** 30);
    });

    it('run and sweep: the budget also covers --set edits (the 256M scenario fits 4M of state; --set machine.ram=512M does not)', async () => {
      const edited = ['--set', 'machine.ram=512M', '--max-memory', '4M'];
      for (const argv of [['run', scenario, '-q'], ['sweep', scenario, '--seeds', '1', '--workers', '0', '-q']]) {
        expect((await run([...argv, '--max-memory', '4M'])).code, argv[0]).to.equal(0);
        const r = await run([...argv, ...edited]);
        expect(r).to.include({ code: 2, out: '' });
        expect(r.err, argv[0]).to.match(/^cma-sim: --set: [^\n]*machine\.ram: 512M of RAM needs about 8M of model state[^\n]*budget of 4M[^\n]*\n$/);
      }
    });

    it('sweep: --max-memory is refused when it is not a size, and names its flag', async () => {
      const r = await run(['sweep', scenario, '--seeds', '1', '--max-memory', 'lots']);
      expect(r).to.include({ code: 2, out: '' });
      expect(r.err).to.match(/^cma-sim: --max-memory: expected a size like 8G/);
    });
  });

  describe('--set path=value', () => {
    it('run: edits the scenario before it runs, and the written scenario.json carries the edit', async () => {
      const plain = await run(['run', scenario, '-q']);
      const r = await run(['run', scenario, '--set', 'until=20ms', '--set', 'workload[0].rate=5', '-q']);
      expect(r.code).to.equal(0);
      expect(plain.out).to.match(/simulated {2}50ms of 50ms/);
      expect(r.out).to.match(/simulated {2}20ms of 20ms/);
      const out = path.join(dir, 'set-out');
      expect((await run(['run', scenario, '--set', 'until=20ms', '--out', out, '-q'])).code).to.equal(0);
      expect(JSON.parse(readFileSync(path.join(out, 'scenario.json'), 'utf8'))).to.include({ until: 20_000_000 });
    });

    it('a --set that breaks the scenario or is malformed is one line, exit 2', async () => {
      const bad = await run(['run', scenario, '--set', 'cma.lockMode=perarea']);
      expect(bad.code).to.equal(2);
      expect(bad.err).to.match(/^cma-sim: --set: cma\.lockMode: [^\n]*perarea[^\n]*\n$/);
      const malformed = await run(['run', scenario, '--set', 'until']);
      expect(malformed).to.deep.equal({ code: 2, out: '', err: "cma-sim: --set: expected path=value (e.g. costs.migratePerPage=2us), got 'until' (see cma-sim run --help)\n" });
    });

    it('sweep: a --set or --vary value the scenario refuses names its flag', async () => {
      const set = await run(['sweep', scenario, '--seeds', '1', '--set', 'cma.lockMode=perarea', '--workers', '0']);
      expect(set.code).to.equal(2);
      expect(set.err).to.match(/^cma-sim: --set: cma\.lockMode: [^\n]*"perarea" \(did you mean 'per-area'\?\)\n$/);
      const vary = await run(['sweep', scenario, '--seeds', '1', '--vary', 'cma.lockMode=global,perarea', '--workers', '0']);
      expect(vary.code).to.equal(2);
      expect(vary.err).to.match(/^cma-sim: --vary: cma\.lockMode: [^\n]*"perarea" \(did you mean 'per-area'\?\)\n$/);
    });

    it('import: the written scenario carries the edit', async () => {
      const r = await run(['import', trace, '--dmesg', dmesg, '--set', 'costs.migratePerPage=3us', '--set', 'seed=99']);
      expect(r.code).to.equal(0);
      const s = JSON.parse(r.out) as { seed: number; costs: { migratePerPage: unknown } };
      expect(s.seed).to.equal(99);
      expect(s.costs.migratePerPage).to.equal('3us');
    });

    it('import --out where nothing can be written is one line naming --out, exit 2', async () => {
      for (const [out, why] of [['/proc/cma-sim-x/s.json', 'ENOENT'], ['/sys/cma-sim-s.json', 'EACCES']]) {
        const r = await run(['import', trace, '--dmesg', dmesg, '--out', out]);
        expect(r).to.deep.equal({ code: 2, out: '', err: `cma-sim: --out ${out}: cannot write: ${why}\n` });
      }
    });

    it('replay-trace: the simulation runs the edited scenario', async () => {
      const plain = await run(['replay-trace', trace, '--dmesg', dmesg]);
      const slow = await run(['replay-trace', trace, '--dmesg', dmesg, '--set', 'costs.isolatePerPageblock=1ms']);
      expect(plain.code).to.equal(0);
      expect(slow.code).to.equal(0);
      // Slower isolation in the model: the simulated latencies grow against the trace's.
      const geomean = (t: string) => Number(/latency ratio sim\/trace [^\n]* geomean ([\d.]+)/.exec(t)![1]);
      expect(geomean(slow.out)).to.be.greaterThan(geomean(plain.out) * 5);
      // --follow-busy's conditioned run uses the edited scenario too, not the trace's unedited one.
      const geomeans = (t: string) => [...t.matchAll(/latency ratio sim\/trace [^\n]* geomean ([\d.]+)/g)].map((m) => Number(m[1]));
      const plainBoth = geomeans((await run(['replay-trace', trace, '--dmesg', dmesg, '--follow-busy'])).out);
      const slowBoth = geomeans((await run(['replay-trace', trace, '--dmesg', dmesg, '--follow-busy', '--set', 'costs.isolatePerPageblock=1ms'])).out);
      expect(slowBoth).to.have.length(2);
      expect(slowBoth[1]).to.be.greaterThan(plainBoth[1] * 5);
      const bad = await run(['replay-trace', trace, '--dmesg', dmesg, '--set', 'costs.migratePerPage=soon']);
      expect(bad.code).to.equal(2);
      expect(bad.err).to.match(/^cma-sim: --set: costs\.migratePerPage: [^\n]+\n$/);
    });
  });

  it('replay-trace --calibrate --apply reports the agreement with the fit, the same as giving its --set lines back', async function () {
    this.timeout(60_000);
    const r = await run(['replay-trace', trace, '--dmesg', dmesg, '--calibrate', '--apply']);
    expect(r.code).to.equal(0);
    const sets = /\nsuggested: (--set [^\n]+)\n/.exec(r.out)![1].split(' ').filter((w) => w !== '--set');
    expect(sets.length).to.be.greaterThan(0);
    const after = r.out.slice(r.out.indexOf('with the suggested costs applied:\n') + 'with the suggested costs applied:\n'.length);
    const byHand = await run(['replay-trace', trace, '--dmesg', dmesg, ...sets.flatMap((x) => ['--set', x])]);
    expect(byHand.out.endsWith(after)).to.equal(true);
    // The fitted costs bring the simulated latencies nearer the trace's (geometric mean of sim/trace nearer 1).
    const geomeans = [...r.out.matchAll(/geomean ([\d.]+)/g)].map((m) => Math.abs(Math.log(Number(m[1]))));
    expect(geomeans).to.have.length(2);
    expect(geomeans[1]).to.be.lessThan(geomeans[0]);
    expect((await run(['replay-trace', trace, '--apply'])).err).to.equal("cma-sim: --apply applies the fit of --calibrate; give both (see cma-sim replay-trace --help)\n");
    expect((await run(['replay-trace', trace, '--check-on', trace])).err).to.equal("cma-sim: --check-on checks the fit of --calibrate; give both (see cma-sim replay-trace --help)\n");
  });

  describe("'-' reads standard input", () => {
    it('run - takes a JSON scenario', async () => {
      const r = await run(['run', '-', '-q'], JSON.stringify({ ...smallScenario(), until: '30ms' }));
      expect(r.code).to.equal(0);
      expect(r.out).to.match(/^cma-sim report: small\n/);
      expect(r.out).to.match(/simulated {2}30ms of 30ms/);
    });

    it('a bad scenario on stdin names <stdin>, line and column', async () => {
      const r = await run(['run', '-'], '{\n  "until": "forever",\n  "machine": { "ram": "64M" }\n}\n');
      expect(r.code).to.equal(2);
      expect(r.err).to.match(/^cma-sim: <stdin>:2:12: until: [^\n]+\n$/);
    });

    it('import - and replay-trace - take the trace', async () => {
      const text = readFileSync(trace, 'utf8');
      const fromFile = await run(['import', trace, '--dmesg', dmesg]);
      const fromStdin = await run(['import', '-', '--dmesg', dmesg], text);
      expect(fromStdin.code).to.equal(0);
      // The same scenario; only its name and description say where the trace came from.
      const body = (json: string) => { const { name: _n, description: _d, ...rest } = JSON.parse(json) as Record<string, unknown>; return rest; };
      expect(body(fromStdin.out)).to.deep.equal(body(fromFile.out));
      expect(JSON.parse(fromStdin.out)).to.include({ name: '<stdin>' });
      const replay = await run(['replay-trace', '-', '--dmesg', dmesg], text);
      expect(replay.code).to.equal(0);
      expect(replay.out).to.match(/^<stdin>: ftrace text, /);
    });
  });

  describe('booting from what the kernel reads: run --cmdline, --dts', () => {
    const boardScenario = (area: string) => ({
      name: 'boot', until: '30ms', machine: { ram: '512M' },
      cma: { areas: [{ name: area, size: '16M', default: true }] },
      devices: [{ name: 'cam', area }],
      workload: [{ generator: 'periodic', name: 'f', period: '10ms', alloc: { device: 'cam', areas: [area], size: '4M', hold: '5ms' } }],
    });
    const areasOf = (json: string) => (JSON.parse(json) as { areas: { name: string; pages: number; basePfn: number }[] }).areas;

    it('--cmdline replaces the areas with those cma= declares (size, placement window)', async () => {
      const f = path.join(dir, 'boot.json');
      writeFileSync(f, JSON.stringify(boardScenario('reserved')));
      const r = await run(['run', f, '--cmdline', 'console=ttyS0 cma=64M@0-0x10000000 quiet', '-f', 'json']);
      expect(r.err).to.equal('');
      const [a] = areasOf(r.out);
      expect(a.name).to.equal('reserved');
      expect(a.pages).to.equal(64 * 256);
      // Placed below the 256 MiB limit the line gave.
      expect((a.basePfn + a.pages) * 4096).to.be.at.most(0x10000000);
      const bad = await run(['run', f, '--cmdline', 'cma=64Q']);
      expect(bad).to.deep.equal({ code: 2, out: '', err: "cma-sim: --cmdline: cma: column 7: expected '@' before a base, or end of value after size, got 'Q'\n" });
    });

    it('--dts takes the reusable shared-dma-pool nodes of /reserved-memory', async () => {
      const dts = path.join(dir, 'board.dts');
      writeFileSync(dts, [
        'reserved-memory {', '  #address-cells = <1>;', '  #size-cells = <1>;', '  ranges;',
        '  linux,cma { compatible = "shared-dma-pool"; reusable; size = <0x2000000>; linux,cma-default; };',
        '  video@10000000 { compatible = "shared-dma-pool"; reusable; reg = <0x10000000 0x800000>; };',
        '  fw@11000000 { reg = <0x11000000 0x100000>; no-map; };',
        '};', ''].join('\n'));
      const f = path.join(dir, 'dt.json');
      writeFileSync(f, JSON.stringify(boardScenario('linux,cma')));
      const r = await run(['run', f, '--dts', dts, '-f', 'json']);
      expect(r.err).to.equal('');
      expect(areasOf(r.out).map((a) => [a.name, a.pages])).to.deep.equal([['linux,cma', 32 * 256], ['video@10000000', 8 * 256]]);
      expect(areasOf(r.out)[1].basePfn).to.equal(0x10000000 / 4096);
      const bad = await run(['run', f, '--dts', path.join(dir, 'nope.dts')]);
      expect(bad.err).to.equal(`cma-sim: --dts ${path.join(dir, 'nope.dts')}: cannot read: ENOENT\n`);
    });
  });
});
