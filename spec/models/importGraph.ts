import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The models/ folder of this tree. */
export const MODELS_ROOT = path.join(import.meta.dirname, '..', '..', 'models');

const VALUE_IMPORT = /^(?:import|export) (?!type )[^;]*? from '(\.[^']+)'/gm;
const ANY_IMPORT = /^(?:import|export) [^;]*? from '(\.[^']+)'/gm;

/**
 * The relative imports (and re-exports) of every .ts file under `root`, resolved to paths, keeping
 * only those that land under `root`. `types: false` leaves out `import type` / `export type`
 * (they vanish at run time and cannot form a cycle of module evaluation).
 */
export function importGraph(root: string, opts: { readonly types: boolean }): Map<string, string[]> {
  const files = (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => path.join(root, f));
  const re = opts.types ? ANY_IMPORT : VALUE_IMPORT;
  return new Map(files.map((f) => [f, [...readFileSync(f, 'utf8').matchAll(re)]
    .map((m) => path.resolve(path.dirname(f), m[1])).filter((d) => d.startsWith(root + path.sep))]));
}

/** Every cycle of `deps` found by a depth-first walk from each node, as 'a -> b -> a' with names from `name`. */
export function cyclesOf(deps: ReadonlyMap<string, readonly string[]>, name: (node: string) => string): string[] {
  const cycles: string[] = [];
  const visit = (f: string, stack: string[], done: Set<string>): void => {
    for (const d of deps.get(f) ?? []) {
      if (stack.includes(d)) cycles.push([...stack.slice(stack.indexOf(d)), d].map(name).join(' -> '));
      else if (!done.has(d)) { done.add(d); visit(d, [...stack, d], done); }
    }
  };
  for (const f of deps.keys()) visit(f, [f], new Set([f]));
  return cycles;
}

/** The graph between the folders of `root` (models/memory -> models/pagecache, ...) that `deps` induces; files directly in root belong to no folder. */
export function folderGraph(root: string, deps: ReadonlyMap<string, readonly string[]>): Map<string, string[]> {
  const folderOf = (f: string): string | null => {
    const parts = path.relative(root, f).split(path.sep);
    return parts.length > 1 ? parts[0] : null;
  };
  const out = new Map<string, string[]>();
  for (const [f, ds] of deps) {
    const a = folderOf(f);
    if (a === null) continue;
    const to = out.get(a) ?? [];
    out.set(a, to);
    for (const d of ds) {
      const b = folderOf(d);
      if (b !== null && b !== a && !to.includes(b)) to.push(b);
    }
  }
  return out;
}
