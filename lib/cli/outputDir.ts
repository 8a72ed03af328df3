import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../io/atomicWrite.ts';
import { InputError } from './errors.ts';

/**
 * An --out directory: created when missing; an existing non-empty one is refused unless --force
 * (then only the files this run writes are replaced, each atomically).
 */
export function prepareOutDir(dir: string, force: boolean): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw new InputError(`--out ${dir}: exists and is not a directory`);
    if (readdirSync(dir).length > 0 && !force) throw new InputError(`--out ${dir}: directory exists and is not empty; pass --force to overwrite its files`);
    return;
  }
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new InputError(`--out ${dir}: cannot create: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export function writeOut(dir: string, name: string, data: string | Iterable<string>): string {
  const file = path.join(dir, name);
  writeFileAtomic(file, data);
  return file;
}
