/**
 * The prefix of one ftrace event line, as printed by `/sys/kernel/tracing/trace`, `trace_pipe`
 * and `trace-cmd report`:
 *
 *   `<comm>-<pid> [(<tgid>)] [<cpu>] [<flags>] <seconds>.<fraction>: <event>: <fields>`
 *
 * comm may hold spaces and dashes (`kworker/0:1-events`, `Binder:12_3`), so the pid is the last
 * `-<digits>` before the CPU column. trace-cmd pads the event name and may omit the flags.
 */
export interface TraceLine {
  readonly comm: string;
  readonly pid: number;
  readonly cpu: number;
  /** irqs-off / need-resched / hardirq / preempt columns ('' when not printed). */
  readonly flags: string;
  /** Integer nanoseconds since boot (the kernel's trace clock). */
  readonly time: number;
  readonly event: string;
  /** Everything after `<event>:`, trimmed. */
  readonly body: string;
}

const PREFIX =
  /^\s*(.*?)-(\d+)\s+(?:\(\s*[-\d]+\)\s+)?\[(\d+)\]\s+(?:([.a-zA-Z0-9]{4,5})\s+)?(\d+)\.(\d{1,9}):\s+([A-Za-z_][\w]*):\s*(.*)$/;

/** ns from the `<seconds>.<fraction>` text (6 digits for µs clocks, 9 for ns clocks). */
export function parseTimestamp(seconds: string, fraction: string): number {
  return Number(seconds) * 1e9 + Number(fraction.padEnd(9, '0'));
}

/** The parsed prefix, or null when the line is not an event line (comments, headers, blank). */
export function parseTraceLine(line: string): TraceLine | null {
  const m = PREFIX.exec(line);
  if (!m) return null;
  return {
    comm: m[1],
    pid: Number(m[2]),
    cpu: Number(m[3]),
    flags: m[4] ?? '',
    time: parseTimestamp(m[5], m[6]),
    event: m[7],
    body: m[8].trim(),
  };
}
