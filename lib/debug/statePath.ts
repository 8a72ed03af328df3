/**
 * State paths as `print`, `watch` and `back-to-write` take them: `cma.areas.video-a.alloc.used`,
 * `memory.pageblocks[256].pages.3`, `cma.requests["7"]`, with an optional `state.` prefix. A name
 * is anything up to the next `.` or `[`, so every key tab completion offers (area names with `-`
 * included) reads back as itself; brackets hold an index or a quoted key.
 */
export type StatePath = readonly (string | number)[];

export class StatePathError extends Error {
  override readonly name = 'CommandError';
}

export function parseStatePath(text: string): StatePath {
  const src = text.trim();
  const out: (string | number)[] = [];
  let i = 0;
  const fail = (what: string): never => { throw new StatePathError(`path: column ${i + 1}: ${what} in ${JSON.stringify(src)}`); };
  while (i < src.length) {
    if (src[i] === '[') {
      const close = src.indexOf(']', i);
      if (close < 0) fail("unclosed '['");
      const inner = src.slice(i + 1, close).trim();
      const q = /^(["'])(.*)\1$/.exec(inner);
      if (q) out.push(q[2]);
      else if (/^\d+$/.test(inner)) out.push(Number(inner));
      else if (/^0x[0-9a-f]+$/i.test(inner)) out.push(parseInt(inner, 16));
      else fail(`expected an index or a quoted key inside [], got '${inner}'`);
      i = close + 1;
      if (i < src.length && src[i] !== '.' && src[i] !== '[') fail("expected '.' or '[' after ']'");
      if (src[i] === '.') i++;
      continue;
    }
    let j = i;
    while (j < src.length && src[j] !== '.' && src[j] !== '[') j++;
    const name = src.slice(i, j);
    if (name === '' || /\s/.test(name)) fail(name === '' ? 'empty name' : `unexpected space in '${name}'`);
    out.push(/^\d+$/.test(name) ? Number(name) : name);
    i = src[j] === '.' ? j + 1 : j;
    if (src[j] === '.' && i === src.length) fail('path ends with .');
  }
  return out[0] === 'state' ? out.slice(1) : out;
}

/** The value at `path`, or undefined. Own properties only: `__proto__` and friends read nothing. */
export function readStatePath(root: unknown, path: StatePath): unknown {
  let cur = root;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if (Array.isArray(cur) && k === 'length') { cur = cur.length; continue; }
    if (!Object.prototype.hasOwnProperty.call(cur, k)) return undefined;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur;
}

/** Dot form where a name allows it, brackets otherwise: how paths are shown and completed. */
export function formatStatePath(path: StatePath): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : /^[^.[\]\s"']+$/.test(k) ? `${i ? '.' : ''}${k}` : `[${JSON.stringify(k)}]`)).join('');
}
