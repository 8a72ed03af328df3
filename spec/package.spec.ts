import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { buildOnce } from './build.ts';

/**
 * The package as a user gets it: build, `npm pack`, install the tarball into a scratch project and
 * use it from there under plain `node` (no tsx). The install is offline: the scratch project gets a
 * lockfile pinning cma-sim's dependencies to the versions and integrity hashes of this repository's
 * lockfile, so npm takes them from its cache (filled by this repository's `npm install`).
 */

const repo = path.resolve('.');
const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { name: string; version: string; dependencies: Record<string, string> };

interface LockEntry { version: string; integrity?: string; resolved?: string; dependencies?: Record<string, string> }

/** cma-sim's runtime dependencies, transitively, as this repository's lockfile pins them. */
function runtimeLock(): Record<string, LockEntry> {
  const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { packages: Record<string, LockEntry> };
  const out: Record<string, LockEntry> = {};
  const todo = Object.keys(pkg.dependencies);
  while (todo.length > 0) {
    const name = todo.pop()!;
    const key = `node_modules/${name}`;
    if (out[key]) continue;
    const e = lock.packages[key];
    if (!e) throw new Error(`package-lock.json has no ${key}`);
    out[key] = { ...e, resolved: e.resolved ?? `https://registry.npmjs.org/${name}/-/${name.split('/').pop()}-${e.version}.tgz` };
    todo.push(...Object.keys(e.dependencies ?? {}));
  }
  return out;
}

/** The README's API section program (the one ```js block under "## API"). */
function readmeApiProgram(): string {
  const readme = readFileSync('README.md', 'utf8');
  const section = readme.slice(readme.indexOf('\n## API'));
  const m = /```js\n([\s\S]*?)```/.exec(section);
  if (!m) throw new Error('README.md: no ```js block in the API section');
  return m[1];
}

describe('the packed npm package, installed into another project', function () {
  this.timeout(120_000);
  let dir: string;
  let app: string;
  let tarball: string;
  let files: string[];

  const node = (args: string[], input?: string) => {
    const r = spawnSync(process.execPath, args, { cwd: app, encoding: 'utf8', input, env: { ...process.env, NODE_OPTIONS: '' } });
    return { code: r.status, out: r.stdout, err: r.stderr };
  };
  const bin = (...args: string[]) => node([path.join(app, 'node_modules', '.bin', 'cma-sim'), ...args]);

  before(() => {
    buildOnce();
    dir = mkdtempSync(path.join(tmpdir(), 'cma-sim-pack-'));
    // Built just above: skip `prepare` (which would build again).
    const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: repo, encoding: 'utf8' })) as { filename: string; files: { path: string }[] }[];
    tarball = path.join(dir, packed[0].filename);
    files = packed[0].files.map((f) => f.path);
    app = path.join(dir, 'app');
    execFileSync('mkdir', [app]);
    const dep = `file:${tarball}`;
    writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module', dependencies: { [pkg.name]: dep } }));
    const binField = (JSON.parse(readFileSync('package.json', 'utf8')) as { bin: Record<string, string> }).bin;
    writeFileSync(path.join(app, 'package-lock.json'), JSON.stringify({
      name: 'app', lockfileVersion: 3, requires: true,
      packages: {
        '': { name: 'app', dependencies: { [pkg.name]: dep } },
        [`node_modules/${pkg.name}`]: { version: pkg.version, resolved: dep, dependencies: pkg.dependencies, bin: binField },
        ...runtimeLock(),
      },
    }));
    execFileSync('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: app, stdio: ['ignore', 'ignore', 'inherit'] });
  });

  after(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

  it('ships the build, its type declarations and the bin; no tests, fixtures or TypeScript sources', () => {
    expect(files).to.include.members(['bin/cma-sim.js', 'dist/lib/scenario/index.js', 'dist/lib/scenario/index.d.ts', 'dist/lib/cli/main.js', 'README.md', 'package.json']);
    expect(files.filter((f) => f.startsWith('spec/') || /fixtures/.test(f))).to.deep.equal([]);
    expect(files.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).to.deep.equal([]);
    // Development tools stay out of the user's install.
    expect(existsSync(path.join(app, 'node_modules', 'tsx'))).to.equal(false);
    expect(existsSync(path.join(app, 'node_modules', 'typescript'))).to.equal(false);
  });

  it("runs the README's API program under plain node: scenario in code, event stream, report", () => {
    writeFileSync(path.join(app, 'api.mjs'), readmeApiProgram());
    const r = node(['api.mjs']);
    expect(r.err).to.equal('');
    expect(r.code).to.equal(0);
    const lines = r.out.trim().split('\n');
    // Ten frames every 50 ms, each seen on the stream as it completes; the eleventh (at 500 ms) is still in flight.
    expect(lines.filter((l) => /: camera got 2048 pages at pfn \d+$/.test(l))).to.have.length(10);
    // The runner says which bound stopped the run: the scenario's end.
    const stopped = lines.filter((l) => l.startsWith('stopped at '));
    expect(stopped).to.have.length(1);
    expect(stopped[0]).to.match(/^stopped at 500ms \(until\) after \d+ events$/);
    expect(lines.at(-1)).to.match(/^camera: 10 of 11 ok, p99 \S+/);
  });

  it('imports every subpath of the exports map', () => {
    const subpaths = ['', '/scenario', '/engine', '/run', '/history', '/report', '/trace', '/config', '/events', '/models'];
    const prog = `${subpaths.map((s, i) => `import * as m${i} from 'cma-sim${s}';`).join('\n')}\nconsole.log([${subpaths.map((_s, i) => `Object.keys(m${i}).length`).join(',')}].join(' '));`;
    writeFileSync(path.join(app, 'subpaths.mjs'), prog);
    const r = node(['subpaths.mjs']);
    expect(r.err).to.equal('');
    expect(r.out.trim().split(' ').map(Number).every((n) => n > 0)).to.equal(true);
  });

  it('type-checks a TypeScript program against the shipped declarations', () => {
    writeFileSync(path.join(app, 'typed.ts'), [
      "import { defineScenario, runScenario, type RunSummary } from 'cma-sim';",
      "import { collectRunData } from 'cma-sim/report';",
      "const o = runScenario(defineScenario({ name: 'x', machine: { ram: '64M' }, cma: { areas: [{ name: 'a', size: '8M' }] } }));",
      'const s: RunSummary = o.summary;',
      "const d = collectRunData(o.history, { scenario: s.scenario, seed: s.seed });",
      'export const events: number = s.events + d.requests.length;',
      // A deliberate mistake: the declarations must be real for tsc to catch it.
      'export const wrong: string = s.events;',
    ].join('\n'));
    writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, noEmit: true, skipLibCheck: false, types: [] }, files: ['typed.ts'] }));
    const r = spawnSync(path.join(repo, 'node_modules', '.bin', 'tsc'), ['-p', '.'], { cwd: app, encoding: 'utf8' });
    expect(r.stdout.trim().split('\n')).to.deep.equal(["typed.ts(7,14): error TS2322: Type 'number' is not assignable to type 'string'."]);
  });

  it('the bin answers --version and runs a JSON scenario, the report on stdout', () => {
    expect(bin('--version').out).to.equal(`cma-sim ${pkg.version}\n`);
    writeFileSync(path.join(app, 'two.json'), readFileSync('examples/two-devices.json'));
    const r = bin('run', 'two.json', '--format', 'json', '--until', '200ms');
    expect(r.err).to.equal('');
    expect(r.code).to.equal(0);
    const report = JSON.parse(r.out) as { meta: { scenario: string; durationNs: number }; groups: { device: { key: string }[] } };
    expect(report.meta).to.include({ scenario: 'two-devices', durationNs: 200_000_000 });
    expect(report.groups.device.map((g) => g.key)).to.include('camera');
  });

  it('a .ts scenario without tsx installed is a one-line error naming tsx (exit 2)', () => {
    writeFileSync(path.join(app, 'mine.ts'), "export default { name: 'x' } as const;\n");
    const r = bin('run', 'mine.ts');
    expect(r.code).to.equal(2);
    expect(r.out).to.equal('');
    expect(r.err).to.match(/^cma-sim: mine\.ts: cannot load: a \.ts module needs tsx \(npm install --save-dev tsx\)[^\n]*\n$/);
  });
});
