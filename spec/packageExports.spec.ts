import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The README's API section against package.json `exports`: every import it names resolves, and
 * every name it lists (in its table or imports in its program) is exported there, so the section
 * cannot drift from the code. The program itself runs against the packed package in
 * package.spec.ts; this spec reads the sources each export is built from (no build needed).
 */

const ROOT = path.resolve(import.meta.dirname, '..');
const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { name: string; exports: Record<string, string | { default: string }> };
const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const api = readme.slice(readme.indexOf('<!-- section:api -->'), readme.indexOf('<!-- /section:api -->'));

/** `cma-sim/run` -> lib/run/index.ts: the source of what the export map's entry ships. */
function sourceOf(specifier: string): string {
  const key = specifier === pkg.name ? '.' : `.${specifier.slice(pkg.name.length)}`;
  const entry = pkg.exports[key];
  if (entry === undefined) throw new Error(`${specifier}: not in package.json exports`);
  const built = typeof entry === 'string' ? entry : entry.default;
  return path.join(ROOT, built.replace(/^\.\/dist\//, '').replace(/\.js$/, '.ts'));
}

/** A name the module exports: a value, or a type its index declares or re-exports by name. */
async function exports(specifier: string, name: string): Promise<boolean> {
  const file = sourceOf(specifier);
  const mod = await import(pathToFileURL(file).href) as Record<string, unknown>;
  if (name in mod) return true;
  const text = readFileSync(file, 'utf8');
  return new RegExp(`export type ${name}\\b|export type \\{[^}]*\\b${name}\\b|type ${name}\\b[^;]*\\} from`).test(text);
}

describe("README's API section against package.json exports", () => {
  it('every row of the table names an export path, and each name in the row is exported there', async () => {
    const rows = api.split('\n').filter((l) => /^\| `cma-sim/.test(l));
    expect(rows.length).to.be.at.least(9);
    const missing: string[] = [];
    for (const row of rows) {
      const [, first, what] = row.split('|');
      const specifiers = [...first.matchAll(/`(cma-sim[^`]*)`/g)].map((m) => m[1]);
      expect(specifiers, row).to.not.deep.equal([]);
      const names = [...what.matchAll(/`([A-Za-z_]\w*)`/g)].map((m) => m[1]);
      expect(names.length, row).to.be.at.least(1);
      for (const s of specifiers) for (const n of names) if (!(await exports(s, n))) missing.push(`${s}: ${n}`);
    }
    expect(missing).to.deep.equal([]);
  });

  it('every export path of package.json has a row', () => {
    const listed = new Set([...api.matchAll(/^\| `(cma-sim[^`]*)`(?: \(= `(cma-sim[^`]*)`\))?/gm)].flatMap((m) => [m[1], m[2]]));
    const paths = Object.keys(pkg.exports).filter((k) => k !== './package.json').map((k) => (k === '.' ? pkg.name : `${pkg.name}${k.slice(1)}`));
    expect(paths.filter((p) => !listed.has(p))).to.deep.equal([]);
  });

  it("the program's imports name exported paths and names", async () => {
    const program = /```js\n([\s\S]*?)```/.exec(api)![1];
    const imports = [...program.matchAll(/^import \{ ([^}]+) \} from '([^']+)';$/gm)];
    expect(imports.map((m) => m[2])).to.include('cma-sim/run');
    const missing: string[] = [];
    for (const [, names, from] of imports) {
      for (const n of names.split(',').map((x) => x.trim())) if (!(await exports(from, n))) missing.push(`${from}: ${n}`);
    }
    expect(missing).to.deep.equal([]);
  });
});
