/** JSON paths as errors print them: `devices[2].kinds.a`, `workload[0]["odd key"]`. */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  const k = /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
  if (k.startsWith('"')) return `${parent}[${k}]`;
  return parent === '' ? k : `${parent}.${k}`;
}

/** Split `costs.migratePerPage` / `workload[1].rate` into keys (for --set). Null when malformed. */
export function splitPath(path: string): (string | number)[] | null {
  const out: (string | number)[] = [];
  const re = /(?:^|\.)([A-Za-z_$][\w$-]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/y;
  let i = 0;
  while (i < path.length) {
    re.lastIndex = i;
    const m = re.exec(path);
    if (!m) return null;
    out.push(m[1] ?? (m[2] !== undefined ? Number(m[2]) : JSON.parse(`"${m[3]}"`)));
    i = re.lastIndex;
  }
  return out.length > 0 ? out : null;
}
