import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SimEventBase } from '../engine/types.ts';
import type { Runnable } from './runnable.ts';

/** A bad command-line argument or input file: one line, exit code 2. */
export class UsageError extends Error {}

/** Where a command prints; `stdin` feeds the debugger's prompt. */
export interface CommandIo {
  out(s: string): void;
  err(s: string): void;
  stdin?: NodeJS.ReadableStream;
}

export function isRunnable(v: unknown): v is Runnable<unknown, SimEventBase> {
  const r = v as Runnable<unknown, SimEventBase> | null;
  return typeof r === 'object' && r !== null && typeof r.model === 'object' && Array.isArray(r.inject) && typeof r.seed === 'number';
}

/**
 * A Runnable from a module: its `runnable`, `race` or default export (or a function returning
 * one). Race scenarios, examples and test fixtures all export one.
 */
export async function loadRunnable(file: string): Promise<{ runnable: Runnable<any, any>; source: string }> {
  const abs = isAbsolute(file) ? file : resolve(file);
  if (!existsSync(abs)) throw new UsageError(`${file}: no such file`);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(abs).href)) as Record<string, unknown>;
  } catch (e) {
    throw new UsageError(`${file}: cannot load: ${(e as Error).message.split('\n')[0]}`);
  }
  for (const key of ['runnable', 'race', 'default']) {
    let v = mod[key];
    if (typeof v === 'function') v = (v as () => unknown)();
    if (isRunnable(v)) return { runnable: v, source: abs };
  }
  throw new UsageError(`${file}: expected a module exporting 'runnable', 'race' or a default Runnable { model, initial, seed, inject }`);
}
