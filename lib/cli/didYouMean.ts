import { editDistance } from '../text/editDistance.ts';

/**
 * The candidate `word` was most likely meant to be: the closest within a third of its length (at
 * least one edit), or the only candidate it is a prefix of; null when nothing is close.
 */
function closest(word: string, candidates: readonly string[]): string | null {
  let best: string | null = null;
  let bestD = Math.max(1, Math.floor(word.length / 3)) + 1;
  for (const c of candidates) {
    const dist = editDistance(word.toLowerCase(), c.toLowerCase());
    if (dist < bestD) { best = c; bestD = dist; }
  }
  if (best !== null) return best;
  const prefixed = candidates.filter((c) => c.startsWith(word));
  return word.length >= 2 && prefixed.length === 1 ? prefixed[0] : null;
}

/** `; did you mean 'x'?`, or '' when nothing is close. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const c = closest(word, candidates);
  return c === null ? '' : `; did you mean '${c}'?`;
}
