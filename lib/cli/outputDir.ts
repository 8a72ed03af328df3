import { closeSync, existsSync, fsyncSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../io/atomicWrite.ts';
import { makeDirs } from '../io/makeDirs.ts';
import { InputError } from './errors.ts';

/** Written last: a set without it is incomplete (the run died while writing). */
export const MANIFEST = 'manifest.json';

/** `--force` of the commands that write an --out directory (OutputSet.open's `force`): one declaration, one help line. */
export const FORCE_OPTION = { force: { type: 'boolean' } } as const;
export const FORCE_HELP = ['--force', 'allow writing into an existing, non-empty --out directory'] as const;

const code = (e: unknown) => (e as NodeJS.ErrnoException).code ?? (e as Error).message;

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}

/**
 * Remove what a killed run left: its staging directory beside `dir` and its half-written files
 * inside `dir`, each named with the pid of the process that wrote it (skipped while that process lives).
 */
function cleanStale(dir: string): void {
  const parent = path.dirname(dir);
  const staging = new RegExp(`^\\.${path.basename(dir).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.cma-sim-(\\d+)\\.tmp$`);
  for (const name of existsSync(parent) ? readdirSync(parent) : []) {
    const m = staging.exec(name);
    if (m && !alive(Number(m[1]))) rmSync(path.join(parent, name), { recursive: true, force: true });
  }
  for (const name of existsSync(dir) && statSync(dir).isDirectory() ? readdirSync(dir) : []) {
    const m = /^\..+\.(\d+)\.tmp$/.exec(name);
    if (m && !alive(Number(m[1]))) rmSync(path.join(dir, name), { force: true });
  }
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try { fsyncSync(fd); } finally { closeSync(fd); }
}

/**
 * An --out directory written as a unit. Files go to a staging directory beside it; `commit`
 * writes the manifest last and renames the staging directory into place, so a killed run leaves
 * either no directory or a complete one (and its staging directory, removed by the next run).
 * An existing non-empty directory is refused unless `force`; then each file is renamed in
 * atomically, the old manifest removed first and the new one renamed in last.
 */
export class OutputSet {
  private readonly staging: string;
  private readonly files: string[] = [];

  /** `dir`: absolute; `shown`: as the user gave it, for the paths `commit` returns. */
  private constructor(readonly dir: string, readonly shown: string, private readonly merge: boolean) {
    this.staging = path.join(path.dirname(dir), `.${path.basename(dir)}.cma-sim-${process.pid}.tmp`);
  }

  /** Check and prepare `dir` before any work is done, so a bad --out fails first. */
  static open(dir: string, force: boolean): OutputSet {
    const abs = path.resolve(dir);
    let merge = false;
    try {
      if (existsSync(abs)) {
        if (!statSync(abs).isDirectory()) throw new InputError(`--out ${dir}: exists and is not a directory`);
        merge = readdirSync(abs).some((n) => !/^\..+\.tmp$/.test(n));
        if (merge && !force) throw new InputError(`--out ${dir}: directory exists and is not empty; pass --force to overwrite its files`);
      }
      makeDirs(path.dirname(abs));
      cleanStale(abs);
      const set = new OutputSet(abs, dir, merge);
      rmSync(set.staging, { recursive: true, force: true });
      makeDirs(set.staging);
      return set;
    } catch (e) {
      if (e instanceof InputError) throw e;
      throw new InputError(`--out ${dir}: cannot create: ${code(e)}`);
    }
  }

  /** Where to write `name` now (inside the staging directory). */
  path(name: string): string {
    this.files.push(name);
    return path.join(this.staging, name);
  }

  write(name: string, data: string | Iterable<string>): void {
    writeFileAtomic(this.path(name), data);
  }

  /** Put the set in place; returns the final paths, in the order written. */
  commit(): string[] {
    try {
      writeFileAtomic(path.join(this.staging, MANIFEST), `${JSON.stringify({ files: this.files }, null, 2)}\n`);
      if (this.merge) {
        rmSync(path.join(this.dir, MANIFEST), { force: true });
        for (const f of this.files) renameSync(path.join(this.staging, f), path.join(this.dir, f));
        renameSync(path.join(this.staging, MANIFEST), path.join(this.dir, MANIFEST));
        rmSync(this.staging, { recursive: true, force: true });
      } else {
        fsyncDir(this.staging);
        // Replaces `dir` when it is an empty directory (POSIX rename), creates it otherwise.
        renameSync(this.staging, this.dir);
      }
      fsyncDir(path.dirname(this.dir));
    } catch (e) {
      throw new InputError(`--out ${this.dir}: cannot write: ${code(e)}`);
    }
    return [...this.files, MANIFEST].map((f) => path.join(this.shown, f));
  }

  /** Drop the staging directory (the run failed before anything was put in place). */
  abort(): void {
    rmSync(this.staging, { recursive: true, force: true });
  }
}
