import type { Ctx } from '../context.ts';
import type { Arrival, Range } from './state.ts';

/** Uniform integer draw over an inclusive range (no draw when it is a single value). */
export function draw(ctx: Ctx, r: Range): number {
  return r[0] === r[1] ? r[0] : ctx.randomInt(r[0], r[1]);
}

/**
 * Delay (integer ns) from one tick to the next, and the burst position after it. Poisson gaps are
 * exponential (inverse transform of one uniform draw); bursts fire `size` ticks `spacing` apart,
 * one burst every `every` (start to start).
 */
export function nextDelay(ctx: Ctx, a: Arrival, cursor: number): { delay: number; cursor: number } {
  switch (a.process) {
    case 'periodic':
      return { delay: a.period + (a.jitter > 0 ? ctx.randomInt(0, a.jitter) : 0), cursor };
    case 'poisson': {
      const u = ctx.random();
      return { delay: Math.max(1, Math.round((-Math.log(1 - u) * 1e9) / a.rate)), cursor };
    }
    case 'burst':
      if (cursor + 1 < a.size) return { delay: a.spacing, cursor: cursor + 1 };
      return { delay: a.every - (a.size - 1) * a.spacing, cursor: 0 };
  }
}
