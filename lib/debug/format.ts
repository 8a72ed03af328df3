import type { Envelope } from '../engine/types.ts';

/** "12.5ms"-style text for integer ns (exact to the ns where the unit allows). */
export function fmtTime(ns: number): string {
  for (const [u, k] of [['s', 1e9], ['ms', 1e6], ['us', 1e3]] as const) if (Math.abs(ns) >= k) return `${+(ns / k).toFixed(6)}${u}`;
  return `${ns}ns`;
}

/** The event's fields without its type, as compact JSON, cut at `max` characters. */
export function fmtEventFields(event: { readonly type: string }, max = 160): string {
  const { type: _t, ...rest } = event as Record<string, unknown>;
  return clip(JSON.stringify(rest), max);
}

export function fmtEnvelope(env: Envelope<{ readonly type: string }>): string {
  const cause = env.cause === null ? 'injected' : `cause #${env.cause}`;
  return `#${env.seq} t=${fmtTime(env.time)} ${env.event.type} ${fmtEventFields(env.event)} (${cause})`;
}

export function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, max - 3)}...`;
}

/** Pretty JSON, cut to `maxLines` lines so a huge value never floods the terminal. */
export function fmtValue(v: unknown, maxLines = 60): string {
  if (v === undefined) return 'undefined';
  const lines = JSON.stringify(v, null, 2).split('\n');
  if (lines.length <= maxLines) return lines.join('\n');
  return [...lines.slice(0, maxLines), `... (${lines.length - maxLines} more lines)`].join('\n');
}
