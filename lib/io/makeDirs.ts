import { mkdirSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * `mkdir -p` one component at a time. Node's recursive mkdir never returns for some paths under
 * /proc (it retries forever); here each missing component is one plain mkdir, so an impossible
 * path fails at once with that mkdir's error (ENOENT, EACCES, EPERM, EROFS, ENOTDIR).
 */
export function makeDirs(dir: string): void {
  const abs = path.resolve(dir);
  const missing: string[] = [];
  for (let d = abs; ; d = path.dirname(d)) {
    let isDir: boolean | null = null;
    try { isDir = statSync(d).isDirectory(); } catch { /* missing: create it below */ }
    if (isDir === true) break;
    if (isDir === false) throw Object.assign(new Error(`${d}: not a directory`), { code: 'ENOTDIR' });
    missing.push(d);
    if (path.dirname(d) === d) break;
  }
  for (const d of missing.reverse()) mkdirSync(d);
}
