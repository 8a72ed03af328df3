import { printable } from '../text/escape.ts';

/**
 * The one error every parser in lib/config throws. It names where (column, line:column for
 * DTS, or a JSON path), the offending token and what was expected, on one line, e.g.
 * `cma_map: column 14: expected '=' after pattern 'video/*', got ';'`. Control characters the
 * input brings are escaped (printable), so the message stays one line.
 */
export type ConfigSource =
  | 'cma'
  | 'cma_pernuma'
  | 'numa_cma'
  | 'hugetlb_cma'
  | 'cma_regions'
  | 'cma_map'
  | 'dts'
  | 'dt_json'
  | 'reserved-memory';

export interface ConfigErrorInit {
  readonly source: ConfigSource;
  /** 1-based column in the text handed to the parser. */
  readonly column?: number;
  /** 1-based line (DTS). */
  readonly line?: number;
  /** JSON path ($.a.b[2]) for JSON input. */
  readonly path?: string;
  /** The offending text; '' means end of input. */
  readonly token: string;
  /** What was expected there, or (with `problem`) the rule that was broken. */
  readonly expected: string;
  /** Replaces "expected X, got Y" when the text is well formed but the kernel rejects it. */
  readonly problem?: string;
}

/**
 * Where and what, as thrown: every field of ConfigErrorInit but `problem` (which is in the
 * message), merged into the class below so the fields are declared once.
 */
export interface ConfigError extends Readonly<Omit<ConfigErrorInit, 'problem'>> {}

export class ConfigError extends Error {
  constructor(init: ConfigErrorInit) {
    super(formatConfigError(init));
    this.name = 'ConfigError';
    const { source, column, line, path, token, expected } = init;
    Object.assign(this, { source, column, line, path, token, expected });
  }
}

export function showToken(token: string): string {
  return token === '' ? 'end of input' : `'${token}'`;
}

function formatConfigError(e: ConfigErrorInit): string {
  const where: string[] = [];
  if (e.line !== undefined) where.push(`line ${e.line}`);
  if (e.column !== undefined) where.push(`column ${e.column}`);
  if (e.path !== undefined) where.push(e.path);
  const detail = e.problem ?? `expected ${e.expected}, got ${showToken(e.token)}`;
  return printable(where.length ? `${e.source}: ${where.join(', ')}: ${detail}` : `${e.source}: ${detail}`);
}
