import { formatDuration } from '../text/duration.ts';
import type { Io } from './io.ts';

/**
 * A one-line progress bar on stderr: simulated time, events per wall-clock second, ETA. Redrawn
 * at most every 100 ms; erased when done so it never mixes with output.
 */
export class ProgressBar {
  private readonly t0: number;
  private last = -Infinity;
  private drawn = false;

  constructor(private readonly io: Io, private readonly label = '') {
    this.t0 = io.clock();
  }

  update(now: number, until: number, dispatched: number): void {
    const t = this.io.clock();
    if (t - this.last < 100) return;
    this.last = t;
    const frac = until > 0 ? Math.min(1, now / until) : 1;
    const width = 24;
    const fill = Math.round(frac * width);
    const secs = (t - this.t0) / 1000;
    const rate = secs > 0 ? dispatched / secs : 0;
    const eta = frac > 0 && frac < 1 ? ` ETA ${Math.ceil((secs * (1 - frac)) / frac)}s` : '';
    const line = `${this.label}[${'#'.repeat(fill)}${'-'.repeat(width - fill)}] ${formatDuration(now, 3)}/${formatDuration(until, 3)} sim  ${humanRate(rate)} ev/s${eta}`;
    this.io.err(`\r${line}\x1b[K`);
    this.drawn = true;
  }

  done(): void {
    if (this.drawn) this.io.err('\r\x1b[K');
  }
}

function humanRate(r: number): string {
  return r >= 1e6 ? `${(r / 1e6).toFixed(1)}M` : r >= 1e3 ? `${(r / 1e3).toFixed(0)}k` : r.toFixed(0);
}

/** A progress sink for runScenario, or undefined when nothing must be drawn. */
export function progressFor(io: Io, quiet: boolean, label?: string): { onProgress?: (p: { now: number; until: number; dispatched: number }) => void; done: () => void } {
  if (quiet || !io.errIsTTY) return { done: () => {} };
  const bar = new ProgressBar(io, label);
  return { onProgress: (p) => bar.update(p.now, p.until, p.dispatched), done: () => bar.done() };
}

/** `12/40 runs, ETA 31s` on stderr while a sweep runs (terminal only), from the wall time per finished run. */
export function runsProgress(io: Io, quiet: boolean, total: number): { onDone?: (n: number) => void; done: () => void } {
  if (quiet || !io.errIsTTY) return { done: () => {} };
  const t0 = io.clock();
  return {
    onDone: (n) => {
      const secs = (io.clock() - t0) / 1000;
      const eta = n < total ? `, ETA ${Math.ceil((secs / n) * (total - n))}s` : '';
      io.err(`\r${n}/${total} runs${eta}\x1b[K`);
    },
    done: () => io.err('\r\x1b[K'),
  };
}

/**
 * A status line on stderr: redrawn in place on a terminal; through a pipe or into a file, where
 * `\r` and the erase code would be junk, one newline-ended line per draw. The caller throttles.
 */
export function statusLine(io: Io): { draw: (text: string) => void; end: (text: string) => void } {
  return io.errIsTTY
    ? { draw: (t) => io.err(`\r${t}\x1b[K`), end: (t) => io.err(`\r${t}\x1b[K\n`) }
    : { draw: (t) => io.err(`${t}\n`), end: (t) => io.err(`${t}\n`) };
}
