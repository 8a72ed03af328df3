import { editDistance } from './editDistance.ts';

/**
 * The one "did you mean" policy (command line, scenario fields and enum values): the candidate
 * closest to `word`, case aside, within a third of its letters and at most two edits (at least
 * one); else the only candidate `word` is a prefix of (two letters or more); null when nothing is
 * close. Long inputs and long lists are not searched: a hostile input must not cost seconds.
 */
export function closest(word: string, candidates: readonly string[]): string | null {
  if (word.length > 64 || candidates.length > 200) return null;
  let best: string | null = null;
  let bestD = Infinity;
  for (const c of candidates) {
    const dist = editDistance(word.toLowerCase(), c.toLowerCase());
    if (dist < bestD) { best = c; bestD = dist; }
  }
  if (best !== null && bestD <= Math.min(2, Math.max(1, Math.floor(word.length / 3)))) return best;
  const prefixed = candidates.filter((c) => c.startsWith(word));
  return word.length >= 2 && prefixed.length === 1 ? prefixed[0] : null;
}
