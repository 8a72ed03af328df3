import { readFileSync } from 'node:fs';
import { InputError, UsageError } from './errors.ts';
import type { SetEdit } from './setOption.ts';
import type { SweepJob, SweepResult } from './sweepRun.ts';
import { printable } from '../text/escape.ts';
import { cannotRead } from '../io/cannotRead.ts';

/** Everything that decides a sweep's report: the same plan and results give the same bytes. */
export interface SweepPlan {
  readonly seeds: readonly number[];
  readonly sets: readonly SetEdit[];
  readonly vary: readonly (readonly [string, readonly unknown[]])[];
  readonly job: SweepJob;
}

export const SHARD_SCHEMA = 'cma-sim-sweep-shard/1';

/** `K/N` (1 <= K <= N): the K-th of N slices. */
export function parseShard(text: string): { readonly k: number; readonly n: number } {
  const m = /^([1-9]\d*)\/([1-9]\d*)$/.exec(text);
  if (!m || Number(m[1]) > Number(m[2])) throw new UsageError(`--shard: expected K/N with 1 <= K <= N, e.g. 2/8, got '${text}'`);
  return { k: Number(m[1]), n: Number(m[2]) };
}

/**
 * The task indices of shard K of N: every N-th task from K-1. Round-robin keeps slow variants
 * spread over the shards; the slice depends only on (K, N, the task count).
 */
export function shardIndices(total: number, k: number, n: number): number[] {
  const out: number[] = [];
  for (let i = k - 1; i < total; i += n) out.push(i);
  return out;
}

/** A shard's file: the plan it ran (so merge can check every shard ran the same sweep) and its results by task index. */
export function shardFile(plan: SweepPlan, k: number, n: number, indices: readonly number[], results: readonly SweepResult[]): string {
  return `${JSON.stringify({ schema: SHARD_SCHEMA, shard: [k, n], plan, results: indices.map((index, j) => ({ index, result: results[j] })) })}\n`;
}

interface ShardData {
  readonly schema: string;
  readonly shard: [number, number];
  readonly plan: SweepPlan;
  readonly results: { readonly index: number; readonly result: SweepResult }[];
}

function readShard(file: string): ShardData {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(`${file}: ${cannotRead(e)}`);
  }
  let d: ShardData;
  try {
    d = JSON.parse(text) as ShardData;
  } catch {
    throw new InputError(`${file}: expected a shard file written by 'cma-sim sweep --shard K/N', got text that is not JSON`);
  }
  if (d === null || typeof d !== 'object' || d.schema !== SHARD_SCHEMA || !Array.isArray(d.shard) || !Array.isArray(d.results) || typeof d.plan !== 'object' || d.plan === null) {
    throw new InputError(`${file}: expected a shard file (schema ${SHARD_SCHEMA}) written by 'cma-sim sweep --shard K/N'`);
  }
  return d;
}

/**
 * Shard files back into one sweep: every shard of the same plan, each exactly once, every task
 * covered. The results come back in task order, as the unsharded sweep has them.
 */
export function mergeShards(files: readonly string[]): { plan: SweepPlan; results: SweepResult[] } {
  const shards = files.map((f) => ({ file: f, d: readShard(f) }));
  const first = shards[0];
  const planText = JSON.stringify(first.d.plan);
  const n = first.d.shard[1];
  const seen = new Map<number, string>();
  for (const { file, d } of shards) {
    if (JSON.stringify(d.plan) !== planText) throw new InputError(`${file}: a shard of a different sweep than ${first.file} (scenario, seeds, --set, --vary or bounds differ)`);
    if (d.shard[1] !== n) throw new InputError(`${file}: shard ${d.shard.join('/')} of a sweep split ${d.shard[1]} ways; ${first.file} is split ${n} ways`);
    const other = seen.get(d.shard[0]);
    if (other !== undefined) throw new InputError(`${file}: shard ${d.shard.join('/')} again (also ${other})`);
    seen.set(d.shard[0], file);
  }
  const missing = Array.from({ length: n }, (_, i) => i + 1).filter((k) => !seen.has(k));
  if (missing.length > 0) throw new InputError(`merge: missing shard${missing.length > 1 ? 's' : ''} ${missing.map((k) => `${k}/${n}`).join(', ')}`);
  const total = first.d.plan.job.variants.length * first.d.plan.seeds.length;
  const results: SweepResult[] = new Array(total);
  for (const { file, d } of shards) {
    for (const r of d.results) {
      if (!Number.isInteger(r.index) || r.index < 0 || r.index >= total || results[r.index] !== undefined) throw new InputError(`${file}: result for task ${r.index}, which is out of range or already given`);
      results[r.index] = r.result;
    }
  }
  const gap = results.findIndex((r) => r === undefined);
  if (gap >= 0) {
    // Results run variant by variant, each over every seed (renderSweep reads them the same way).
    const { seeds, job } = first.d.plan;
    const label = job.variants[Math.floor(gap / seeds.length)].label;
    throw new InputError(`merge: no result for seed ${seeds[gap % seeds.length]}${label ? ` of variant ${printable(label)}` : ''}; a shard file is missing or incomplete`);
  }
  return { plan: first.d.plan, results };
}
