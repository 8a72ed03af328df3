/** One `name=value` word of a kernel command line, with the line columns of its value. */
export interface CmdlineParam {
  /** Name with '-' read as '_' (the kernel's parameq() treats them alike). */
  readonly name: string;
  /** null for a bare word (`quiet`). */
  readonly value: string | null;
  /** 1-based column of each value character in the line (length value.length + 1). */
  readonly valueColumns: readonly number[];
  readonly column: number;
}

/**
 * Split a command line into parameters as the kernel's next_arg() does: words are separated by
 * white space, double quotes group words and are dropped, and `--` ends the kernel's part
 * (what follows belongs to init).
 */
export function splitCmdline(line: string): CmdlineParam[] {
  const out: CmdlineParam[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i])) i++;
    if (i >= line.length) break;
    const chars: string[] = [];
    const cols: number[] = [];
    const start = i;
    let quoted = false;
    for (; i < line.length && (quoted || !/\s/.test(line[i])); i++) {
      if (line[i] === '"') quoted = !quoted;
      else {
        chars.push(line[i]);
        cols.push(i + 1);
      }
    }
    const word = chars.join('');
    if (word === '--') break;
    const eq = word.indexOf('=');
    const name = (eq < 0 ? word : word.slice(0, eq)).replace(/-/g, '_');
    const valueColumns = eq < 0 ? [] : cols.slice(eq + 1);
    valueColumns.push(eq < 0 ? start + 1 : (cols[cols.length - 1] ?? start) + 1);
    out.push({ name, value: eq < 0 ? null : word.slice(eq + 1), valueColumns, column: start + 1 });
  }
  return out;
}
