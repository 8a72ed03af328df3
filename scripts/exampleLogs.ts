/**
 * Byte-for-byte check that a change to the models leaves every example's outputs as they were:
 * the log (events, times, causes, state hashes, hash chain), the summary and every report format.
 *
 *   node --import tsx scripts/exampleLogs.ts write ROOT OUT   # run ROOT's `cma-sim run` on each examples/*.ts
 *   node --import tsx scripts/exampleLogs.ts compare A B      # exit 1 naming each file that differs
 *
 * Typical use: `git archive BASE | tar -x -C /tmp/base`, link node_modules there, `write` both
 * trees, `compare`. Each example runs through the tree's own CLI (`lib/cli/main.ts run --out`),
 * one process each. The log names its scenario module by absolute path (`meta.source`), so both
 * trees are run through one fixed link, LINK below, pointed at the tree being written: run the
 * two `write`s one after the other, not at once (or give each comparison its own EXAMPLE_LOGS_LINK).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** The fixed path both trees are run through; EXAMPLE_LOGS_LINK moves it (one per comparison running at once). */
const LINK = process.env.EXAMPLE_LOGS_LINK ?? path.join(tmpdir(), 'cma-sim-example-logs', 'examples');
const FORMATS = 'text,md,json,csv,html,perfetto,ftrace,sysfs,meminfo,buddyinfo,pagetypeinfo';

/** Scenario modules of examples/: those `cma-sim run` takes (a default export, `scenario` or `runnable`), not shared helpers. */
async function examplesOf(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const f of readdirSync(path.join(root, 'examples')).filter((n) => n.endsWith('.ts')).sort()) {
    const mod = (await import(pathToFileURL(path.join(root, 'examples', f)).href)) as Record<string, unknown>;
    if (mod.default !== undefined || mod.scenario !== undefined || mod.runnable !== undefined) out.push(f);
  }
  return out;
}

async function write(root: string, out: string): Promise<void> {
  const abs = path.resolve(root);
  rmSync(LINK, { force: true });
  mkdirSync(path.dirname(LINK), { recursive: true });
  symlinkSync(path.join(abs, 'examples'), LINK);
  mkdirSync(out, { recursive: true });
  for (const f of await examplesOf(abs)) {
    const dir = path.resolve(out, f.replace(/\.ts$/, ''));
    rmSync(dir, { recursive: true, force: true });
    const t0 = process.hrtime.bigint();
    execFileSync(process.execPath, ['--import', 'tsx', path.join(abs, 'lib/cli/main.ts'), 'run', path.join(LINK, f), '--out', dir, '--format', FORMATS, '--quiet'],
      { cwd: abs, stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 1 << 26 });
    console.log(`${f}: ${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(1)} s`);
  }
}

/** First differing line of two texts, for the message. */
function firstDiff(a: string, b: string): string {
  const la = a.split('\n'), lb = b.split('\n');
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i]) return `line ${i + 1}:\n  - ${(la[i] ?? '<none>').slice(0, 300)}\n  + ${(lb[i] ?? '<none>').slice(0, 300)}`;
  }
  return 'same lines, different bytes';
}

function compare(a: string, b: string): number {
  let bad = 0, same = 0;
  const dirs = [...new Set([...readdirSync(a), ...readdirSync(b)])].sort();
  for (const d of dirs) {
    const files = [...new Set([a, b].flatMap((r) => (existsSync(path.join(r, d)) ? readdirSync(path.join(r, d)) : [])))].sort();
    for (const f of files) {
      const pa = path.join(a, d, f), pb = path.join(b, d, f);
      if (!existsSync(pa) || !existsSync(pb)) {
        console.log(`${d}/${f}: only in ${existsSync(pa) ? a : b}`);
        bad++;
        continue;
      }
      const ba = readFileSync(pa), bb = readFileSync(pb);
      if (ba.equals(bb)) { same++; continue; }
      console.log(`${d}/${f}: differs at ${firstDiff(ba.toString(), bb.toString())}`);
      bad++;
    }
  }
  console.log(`${same} files identical, ${bad} differ`);
  return bad === 0 ? 0 : 1;
}

const [cmd, x, y] = process.argv.slice(2);
if (cmd === 'write' && x && y) await write(x, y);
else if (cmd === 'compare' && x && y) process.exitCode = compare(x, y);
else {
  console.error('usage: exampleLogs.ts write ROOT OUT | compare A B');
  process.exitCode = 2;
}
