/**
 * One-line errors for bad trace input: where (file, line, field) and what was expected. The CLI
 * prints `message` as is, without a stack.
 */
export class TraceFormatError extends Error {
  readonly file: string;
  readonly line: number | null;
  readonly field: string | null;

  constructor(file: string, line: number | null, what: string, field: string | null = null) {
    const where = line === null ? file : `${file}:${line}`;
    super(field === null ? `${where}: ${what}` : `${where}: field '${field}': ${what}`);
    this.name = 'TraceFormatError';
    this.file = file;
    this.line = line;
    this.field = field;
  }
}
