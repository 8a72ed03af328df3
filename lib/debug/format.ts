import type { Envelope } from '../engine/types.ts';
import { formatDuration } from '../text/duration.ts';

/** A time in the debugger: the one duration format, exact to the ns ("12.5ms"). */
export function fmtTime(ns: number): string {
  return formatDuration(ns);
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

/**
 * Pretty JSON, cut after `maxLines` lines. Written by a walk that stops at the limit, so printing
 * a whole 16 GiB machine's state costs no more than printing its first lines.
 */
export function fmtValue(v: unknown, maxLines = 60): string {
  if (v === undefined) return 'undefined';
  const lines: string[] = [];
  let cut = false;
  const emit = (s: string): boolean => {
    if (lines.length >= maxLines) { cut = true; return false; }
    lines.push(s);
    return true;
  };
  const walk = (x: unknown, indent: string, prefix: string, suffix: string): boolean => {
    if (x === null || typeof x !== 'object') return emit(`${indent}${prefix}${JSON.stringify(x) ?? 'null'}${suffix}`);
    const isArr = Array.isArray(x);
    const keys = isArr ? null : Object.keys(x);
    const n = isArr ? (x as unknown[]).length : keys!.length;
    if (n === 0) return emit(`${indent}${prefix}${isArr ? '[]' : '{}'}${suffix}`);
    if (!emit(`${indent}${prefix}${isArr ? '[' : '{'}`)) return false;
    for (let i = 0; i < n; i++) {
      const comma = i + 1 < n ? ',' : '';
      const ok = isArr
        ? walk((x as unknown[])[i], `${indent}  `, '', comma)
        : walk((x as Record<string, unknown>)[keys![i]], `${indent}  `, `${JSON.stringify(keys![i])}: `, comma);
      if (!ok) return false;
    }
    return emit(`${indent}${isArr ? ']' : '}'}${suffix}`);
  };
  walk(v, '', '', '');
  return cut ? [...lines, '... (cut; print a narrower path)'].join('\n') : lines.join('\n');
}
