/**
 * DTS source for the `reserved-memory { ... };` block only (what dtc accepts there, minus
 * expressions, references and byte strings): properties `name;` or `name = <cells>, "str";`,
 * child nodes `name@unit { ... };`, labels `lbl:`, and // or /* comments. Numbers in cells are
 * C literals (0x hex, leading-0 octal, decimal; U/L suffixes allowed). Throws ConfigError.
 */
import { ConfigError } from './ConfigError.ts';
import type { DtChunk, DtNode, DtProp } from './dtTree.ts';
import { MAX_DT_DEPTH, U32_MAX } from './dtTree.ts';
import { reservedMemoryAreas } from './reservedMemory.ts';
import type { DtArea, DtOptions } from './types.ts';

interface Tok {
  readonly kind: 'word' | 'str' | 'punct' | 'eof';
  readonly text: string;
  readonly line: number;
  readonly column: number;
}

const WORD = /[A-Za-z0-9,._+*#?@-]/;

function lex(src: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const err = (at: number, token: string, expected: string): never => {
    throw new ConfigError({ source: 'dts', line, column: at - lineStart + 1, token, expected });
  };
  while (i < src.length) {
    const c = src[i];
    if (c === '\n') {
      i++;
      line++;
      lineStart = i;
    } else if (/\s/.test(c)) i++;
    else if (c === '/' && src[i + 1] === '/') {
      while (i < src.length && src[i] !== '\n') i++;
    } else if (c === '/' && src[i + 1] === '*') {
      const end = src.indexOf('*/', i + 2);
      if (end < 0) err(i, '/*', "'*/' closing the comment");
      for (let k = i; k < end; k++) if (src[k] === '\n') { line++; lineStart = k + 1; }
      i = end + 2;
    } else if (c === '"') {
      const start = i;
      let s = '';
      for (i++; i < src.length && src[i] !== '"'; i++) {
        if (src[i] === '\n') err(start, src.slice(start, i), "'\"' closing the string on the same line");
        if (src[i] === '\\') {
          i++;
          const e = src[i] ?? '';
          s += e === 'n' ? '\n' : e === 't' ? '\t' : e;
        } else s += src[i];
      }
      if (i >= src.length) err(start, src.slice(start, start + 20), "'\"' closing the string");
      i++;
      toks.push({ kind: 'str', text: s, line, column: start - lineStart + 1 });
    } else if ('{};=<>,:'.includes(c)) {
      toks.push({ kind: 'punct', text: c, line, column: i - lineStart + 1 });
      i++;
    } else if (WORD.test(c)) {
      const start = i;
      while (i < src.length && WORD.test(src[i])) i++;
      toks.push({ kind: 'word', text: src.slice(start, i), line, column: start - lineStart + 1 });
    } else {
      err(i, c, 'a name, a string or punctuation ({ } ; = < > , :)');
    }
  }
  toks.push({ kind: 'eof', text: '', line, column: i - lineStart + 1 });
  return toks;
}

class DtsParser {
  private i = 0;
  constructor(private readonly toks: Tok[]) {}

  private peek(): Tok {
    return this.toks[this.i];
  }
  private fail(expected: string, t: Tok = this.peek()): never {
    throw new ConfigError({ source: 'dts', line: t.line, column: t.column, token: t.text, expected });
  }
  private punct(p: string, expected: string): void {
    const t = this.peek();
    if (t.kind !== 'punct' || t.text !== p) this.fail(expected);
    this.i++;
  }
  /** Skips `label:` prefixes, returns the node or property name token. */
  private name(expected: string): Tok {
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'word') this.fail(expected);
      const next = this.toks[this.i + 1];
      if (next.kind === 'punct' && next.text === ':') {
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(t.text)) this.fail('a label (letters, digits, _)', t);
        this.i += 2;
        continue;
      }
      this.i++;
      return t;
    }
  }

  block(): DtNode {
    const nameTok = this.name("the 'reserved-memory' node");
    if (nameTok.text.split('@')[0] !== 'reserved-memory') this.fail("the 'reserved-memory' node", nameTok);
    const node = this.body(nameTok);
    const t = this.peek();
    if (t.kind !== 'eof') this.fail('end of input after the reserved-memory block');
    return node;
  }

  /** `{ props... children... };` after the name token. */
  private body(nameTok: Tok, depth = 0): DtNode {
    if (depth > MAX_DT_DEPTH) this.fail(`at most ${MAX_DT_DEPTH} levels of nested nodes`, nameTok);
    this.punct('{', `'{' after node name '${nameTok.text}'`);
    const props: DtProp[] = [];
    const children: DtNode[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === 'punct' && t.text === '}') break;
      const n = this.name(`a property or child node of '${nameTok.text}', or '}'`);
      const after = this.peek();
      if (after.kind === 'punct' && after.text === '{') {
        children.push(this.body(n, depth + 1));
      } else {
        props.push(this.property(n));
      }
    }
    this.i++;
    this.punct(';', `';' after '}' closing '${nameTok.text}'`);
    return { name: nameTok.text, props, children, where: { line: nameTok.line, column: nameTok.column } };
  }

  private property(n: Tok): DtProp {
    const chunks: DtChunk[] = [];
    const t = this.peek();
    if (t.kind === 'punct' && t.text === '=') {
      this.i++;
      for (;;) {
        chunks.push(this.value(n.text));
        const sep = this.peek();
        if (sep.kind === 'punct' && sep.text === ',') {
          this.i++;
          continue;
        }
        break;
      }
    }
    this.punct(';', chunks.length ? `',' or ';' after the value of '${n.text}'` : `'=' or ';' after property '${n.text}'`);
    return { name: n.text, chunks, where: { line: n.line, column: n.column } };
  }

  private value(propName: string): DtChunk {
    const t = this.peek();
    if (t.kind === 'str') {
      this.i++;
      return { t: 'str', v: t.text };
    }
    if (t.kind !== 'punct' || t.text !== '<') this.fail(`a string or '<' starting the cells of '${propName}'`);
    this.i++;
    const cells: number[] = [];
    for (;;) {
      const c = this.peek();
      if (c.kind === 'punct' && c.text === '>') break;
      if (c.kind !== 'word') this.fail(`a cell value or '>' in '${propName}'`);
      cells.push(this.cell(c));
      this.i++;
    }
    this.i++;
    return { t: 'cells', v: cells };
  }

  private cell(c: Tok): number {
    const m = /^(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)(?:[uU]?[lL]{0,2}|[lL]{1,2}[uU]?)$/.exec(c.text);
    if (!m) this.fail('a cell number (decimal, 0x hex or 0 octal)', c);
    const body = m[1];
    const v = /^0[xX]/.test(body) ? parseInt(body.slice(2), 16) : body.length > 1 && body[0] === '0' ? parseInt(body, 8) : Number(body);
    if (!(v <= U32_MAX)) this.fail('a 32-bit cell value (at most 0xffffffff)', c);
    return v;
  }
}

/** The reserved-memory block as a node tree (no kernel rules applied yet). */
export function parseDtsTree(src: string): DtNode {
  return new DtsParser(lex(src)).block();
}

/** DTS `reserved-memory` block to the areas the kernel would set up. */
export function parseReservedMemoryDts(src: string, opts: DtOptions = {}): DtArea[] {
  return reservedMemoryAreas(parseDtsTree(src), opts);
}
