import { register } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

let typeScript: Promise<void> | null = null;
let esmHooks = false;

/** TypeScript modules outside a package load as ES modules wherever they are (tsEsmHooks.mjs). */
function tsAsEsm(): void {
  if (esmHooks) return;
  esmHooks = true;
  register(new URL('./tsEsmHooks.mjs', import.meta.url));
}

/**
 * Node runs the built JavaScript, which cannot import a `.ts` scenario by itself: tsx's loader is
 * registered the first time one is imported (never before, so JSON and JS scenarios need nothing
 * but Node). From the TypeScript sources (development, tests) a loader is already in place.
 */
function typeScriptLoader(): Promise<void> {
  if (import.meta.url.endsWith('.ts')) return Promise.resolve();
  typeScript ??= import('tsx/esm/api').then(
    (tsx) => { tsx.register(); },
    () => { typeScript = null; throw new Error('a .ts module needs tsx (npm install --save-dev tsx); give a .json or .js scenario otherwise'); },
  );
  return typeScript;
}

/** Import a user's module (scenario, race) by file path; `.ts`, `.mts` and `.cts` go through tsx. */
export async function importModule(file: string): Promise<Record<string, unknown>> {
  if (/\.[mc]?ts$/i.test(file)) {
    await typeScriptLoader();
    tsAsEsm();
  }
  return (await import(pathToFileURL(path.resolve(file)).href)) as Record<string, unknown>;
}
