/** Where commands write: injected so commands are testable without touching the process. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  /** stderr is a terminal (progress bars are drawn only then). */
  readonly errIsTTY: boolean;
  /** Wall-clock milliseconds, for progress and throughput only (never for simulation). */
  readonly clock: () => number;
  /** Columns of the terminal stdout writes to (`COLUMNS`, else the tty's width); absent: not a terminal, tables keep full width. */
  readonly columns?: number;
  /** Interactive input (the debugger's prompt). */
  readonly stdin?: NodeJS.ReadableStream;
}

/** An Io that records everything (tests). */
export function memoryIo(): Io & { stdout: string; stderr: string } {
  const io = {
    stdout: '', stderr: '', errIsTTY: false, clock: () => 0,
    out(t: string) { io.stdout += t; },
    err(t: string) { io.stderr += t; },
  };
  return io;
}
