import { closest } from '../text/closest.ts';

/** `; did you mean 'x'?` after a usage error, or '' when nothing is close (lib/text/closest.ts). */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const c = closest(word, candidates);
  return c === null ? '' : `; did you mean '${c}'?`;
}
