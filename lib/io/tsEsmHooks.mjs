// Module hooks: TypeScript files outside any package that declares a module type load as ES
// modules. tsx would compile them as CommonJS (privatenumber/tsx#761), so a race written next to
// no package.json fails on top-level await or import.meta.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The nearest package.json's "type", or null when there is none or it names no type. */
function packageType(file) {
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const pj = join(dir, 'package.json');
    if (existsSync(pj)) {
      try { return JSON.parse(readFileSync(pj, 'utf8')).type ?? null; } catch { return null; }
    }
    if (dirname(dir) === dir) return null;
  }
}

export async function resolve(specifier, context, next) {
  const r = await next(specifier, context);
  if (r.format !== 'commonjs' || !r.url.startsWith('file:')) return r;
  // tsx marks imports from a module it compiled as CommonJS with a query (in the path, encoded).
  const file = fileURLToPath(r.url).split('?')[0];
  if (!/\.tsx?$/.test(file) || file.includes('/node_modules/') || packageType(file) !== null) return r;
  return { ...r, url: pathToFileURL(file).href, format: 'module' };
}
