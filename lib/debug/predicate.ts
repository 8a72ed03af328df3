/**
 * A small, safe expression language for `next`, `prev`, `break` and the explorer's checks:
 * `type == 'cma.alloc.request' && event.count > 512`, `cma.areas.video.used >= 1024`,
 * `len(seen) > 3`. Nothing is evaluated as JavaScript: the text is tokenised and parsed into a
 * closure tree that can only read paths and compare values.
 *
 * Names: `type`, `seq`, `time`, `cause`, `event.<path>` read the current envelope; `state.<path>`
 * or any other bare path reads the model state after the event.
 */

export interface PredicateInput {
  readonly seq: number;
  readonly time: number;
  readonly cause: number | null;
  readonly event: { readonly type: string };
  /** The model state after the event; only called when the expression reads state. */
  state(): unknown;
}

export interface Predicate {
  readonly source: string;
  /** Whether the expression reads the model state (the slow path). */
  readonly usesState: boolean;
  test(input: PredicateInput): boolean;
  value(input: PredicateInput): unknown;
}

export class PredicateError extends Error {
  constructor(readonly source: string, readonly column: number, detail: string) {
    super(`predicate: column ${column}: ${detail} in ${JSON.stringify(source)}`);
  }
}

type Tok = { k: 'num' | 'str' | 'id' | 'op' | 'end'; v: string; col: number };

const OPS = ['&&', '||', '==', '!=', '<=', '>=', '<', '>', '!', '(', ')', '[', ']', '.', ',', '+', '-'];

function tokenize(src: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) { i++; continue; }
    const col = i + 1;
    const num = /^(0x[0-9a-fA-F]+|\d+(?:\.\d+)?)/.exec(src.slice(i));
    if (num) { out.push({ k: 'num', v: num[1], col }); i += num[1].length; continue; }
    if (c === "'" || c === '"') {
      const j = src.indexOf(c, i + 1);
      if (j < 0) throw new PredicateError(src, col, 'unterminated string');
      out.push({ k: 'str', v: src.slice(i + 1, j), col });
      i = j + 1;
      continue;
    }
    // After '.', a field name may contain '-' (area names such as video-a); elsewhere '-' is minus.
    const afterDot = out.length > 0 && out[out.length - 1].k === 'op' && out[out.length - 1].v === '.';
    const id = (afterDot ? /^[A-Za-z_$][\w$]*(?:-[\w$]+)*/ : /^[A-Za-z_$][\w$]*/).exec(src.slice(i));
    if (id) { out.push({ k: 'id', v: id[0], col }); i += id[0].length; continue; }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new PredicateError(src, col, `unexpected character '${c}'`);
    out.push({ k: 'op', v: op, col });
    i += op.length;
  }
  out.push({ k: 'end', v: '', col: src.length + 1 });
  return out;
}

type Node = (x: PredicateInput) => unknown;

function getIn(v: unknown, key: unknown): unknown {
  if (v === null || typeof v !== 'object') return undefined;
  if (typeof key !== 'string' && typeof key !== 'number') return undefined;
  if (Array.isArray(v) && key === 'length') return v.length;
  return Object.prototype.hasOwnProperty.call(v, key) ? (v as Record<string, unknown>)[key] : undefined;
}

function equal(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return a === null || b === null;
  if (typeof a === 'object' && typeof b === 'object' && a !== null && b !== null) return JSON.stringify(a) === JSON.stringify(b);
  return false;
}

function order(op: string, a: unknown, b: unknown): boolean {
  const ok = (typeof a === 'number' && typeof b === 'number') || (typeof a === 'string' && typeof b === 'string');
  if (!ok) return false;
  const x = a as number, y = b as number;
  return op === '<' ? x < y : op === '<=' ? x <= y : op === '>' ? x > y : x >= y;
}

const FUNCS: Record<string, (args: unknown[]) => unknown> = {
  len: ([v]) => (Array.isArray(v) ? v.length : typeof v === 'string' ? v.length : v && typeof v === 'object' ? Object.keys(v).length : 0),
  keys: ([v]) => (v && typeof v === 'object' ? Object.keys(v) : []),
  has: ([v, k]) => getIn(v, k) !== undefined,
};

const ENVELOPE_ROOTS: Record<string, Node> = {
  type: (x) => x.event.type,
  seq: (x) => x.seq,
  time: (x) => x.time,
  cause: (x) => x.cause,
  event: (x) => x.event,
  true: () => true,
  false: () => false,
  null: () => null,
};

class Parser {
  private i = 0;
  usesState = false;
  constructor(private readonly src: string, private readonly toks: Tok[]) {}

  private peek(): Tok { return this.toks[this.i]; }
  private next(): Tok { return this.toks[this.i++]; }
  private isOp(v: string): boolean { const t = this.peek(); return t.k === 'op' && t.v === v; }
  private expect(v: string): void {
    const t = this.next();
    if (t.k !== 'op' || t.v !== v) throw new PredicateError(this.src, t.col, `expected '${v}', got ${t.k === 'end' ? 'end of input' : `'${t.v}'`}`);
  }

  parse(): Node {
    const n = this.or();
    const t = this.peek();
    if (t.k !== 'end') throw new PredicateError(this.src, t.col, `unexpected '${t.v}'`);
    return n;
  }

  private or(): Node {
    let l = this.and();
    while (this.isOp('||')) { this.next(); const a = l, b = this.and(); l = (x) => truthy(a(x)) || truthy(b(x)); }
    return l;
  }

  private and(): Node {
    let l = this.not();
    while (this.isOp('&&')) { this.next(); const a = l, b = this.not(); l = (x) => truthy(a(x)) && truthy(b(x)); }
    return l;
  }

  private not(): Node {
    if (this.isOp('!')) { this.next(); const a = this.not(); return (x) => !truthy(a(x)); }
    return this.cmp();
  }

  private cmp(): Node {
    const l = this.sum();
    const t = this.peek();
    if (t.k === 'op' && ['==', '!=', '<', '<=', '>', '>='].includes(t.v)) {
      this.next();
      const r = this.sum();
      const op = t.v;
      if (op === '==') return (x) => equal(l(x), r(x));
      if (op === '!=') return (x) => !equal(l(x), r(x));
      return (x) => order(op, l(x), r(x));
    }
    return l;
  }

  private sum(): Node {
    let l = this.unary();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.next().v;
      const a = l, b = this.unary();
      l = (x) => {
        const p = a(x), q = b(x);
        if (typeof p !== 'number' || typeof q !== 'number') return op === '+' && typeof p === 'string' && typeof q === 'string' ? p + q : undefined;
        return op === '+' ? p + q : p - q;
      };
    }
    return l;
  }

  private unary(): Node {
    if (this.isOp('-')) { this.next(); const a = this.unary(); return (x) => { const v = a(x); return typeof v === 'number' ? -v : undefined; }; }
    return this.postfix(this.primary());
  }

  private primary(): Node {
    const t = this.next();
    if (t.k === 'num') { const v = t.v.startsWith('0x') ? parseInt(t.v, 16) : Number(t.v); return () => v; }
    if (t.k === 'str') { const v = t.v; return () => v; }
    if (t.k === 'op' && t.v === '(') { const n = this.or(); this.expect(')'); return n; }
    if (t.k === 'id') {
      if (this.isOp('(')) return this.call(t);
      const root = ENVELOPE_ROOTS[t.v];
      if (root) return root;
      this.usesState = true;
      if (t.v === 'state') return (x) => x.state();
      const key = t.v;
      return (x) => getIn(x.state(), key);
    }
    throw new PredicateError(this.src, t.col, t.k === 'end' ? 'unexpected end of input' : `unexpected '${t.v}'`);
  }

  private call(t: Tok): Node {
    const f = FUNCS[t.v];
    if (!f) throw new PredicateError(this.src, t.col, `unknown function '${t.v}' (known: ${Object.keys(FUNCS).join(', ')})`);
    this.expect('(');
    const args: Node[] = [];
    if (!this.isOp(')')) {
      args.push(this.or());
      while (this.isOp(',')) { this.next(); args.push(this.or()); }
    }
    this.expect(')');
    return (x) => f(args.map((a) => a(x)));
  }

  private postfix(n: Node): Node {
    for (;;) {
      if (this.isOp('.')) {
        this.next();
        const t = this.next();
        if (t.k !== 'id' && t.k !== 'num') throw new PredicateError(this.src, t.col, `expected a field name after '.', got ${t.k === 'end' ? 'end of input' : `'${t.v}'`}`);
        const key: string | number = t.k === 'num' ? Number(t.v) : t.v;
        const base = n;
        n = (x) => getIn(base(x), key);
      } else if (this.isOp('[')) {
        this.next();
        const k = this.or();
        this.expect(']');
        const base = n;
        n = (x) => getIn(base(x), k(x));
      } else {
        return n;
      }
    }
  }
}

function truthy(v: unknown): boolean {
  return v !== undefined && v !== null && v !== false && v !== 0 && v !== '';
}

/** Parse `source`; throws a PredicateError naming the column on bad input. */
export function compilePredicate(source: string): Predicate {
  const p = new Parser(source, tokenize(source));
  const node = p.parse();
  return { source, usesState: p.usesState, test: (x) => truthy(node(x)), value: node };
}
