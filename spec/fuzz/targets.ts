/**
 * What `npm run fuzz` feeds to every parser and loader: per target, seed inputs, how to mutate
 * them, how to run one input, and which errors are the project's own (a one-line rejection).
 * Input i of a target is a pure function of (seed, i), so a failure is reproduced by its index.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ConfigError, parseMainlineCmdline, parseOriginalCmdline, parseReservedMemoryDts, parseReservedMemoryJson } from '../../lib/config/index.ts';
import { Rng, seedRng } from '../../lib/engine/prng.ts';
import { logLines } from '../../lib/history/index.ts';
import { InputError } from '../../lib/cli/errors.ts';
import { loadRunLog } from '../../lib/cli/loadLog.ts';
import { logMeta } from '../../lib/cli/commands/run.ts';
import { ScenarioFileError, scenarioFromJson } from '../../lib/scenario/loadScenario.ts';
import { runScenario } from '../../lib/scenario/runScenario.ts';
import { checkScenario } from '../../lib/scenario/scenario.ts';
import { importTrace } from '../../lib/trace/importTrace.ts';
import { TraceFormatError } from '../../lib/trace/traceError.ts';
import { mutate, pick } from '../lib/config/fuzzKit.ts';
import { rechain } from '../fixtures/rechain.ts';

export interface Target {
  readonly name: string;
  /** The i-th input for `seed`. */
  readonly input: (seed: number, i: number) => string;
  /** Parse/load one input; returns normally when accepted. */
  readonly run: (input: string) => void;
  /** The project's own rejection: one line, the error class the tool reports as a user mistake. */
  readonly ours: (e: unknown) => boolean;
}

/** An independent generator per (seed, target, index). */
function rngFor(seed: number, target: string, i: number): Rng {
  const h = createHash('sha256').update(`${seed}/${target}/${i}`).digest();
  return new Rng(seedRng(h.readUInt32LE(0) ^ (h.readUInt32LE(4) * 7)));
}

const oneLine = (e: unknown): boolean => e instanceof Error && !e.message.includes('\n');

/** Text that breaks parsers: numbers at the edges of precision, reserved keys, deep nesting. */
const HOSTILE = [
  '__proto__', 'constructor', 'prototype', '9007199254740993', '9007199254740991', '1e308', '-1', '-0', '0', '1e-320',
  '0x', '0xffffffffffffffff', '18446744073709551616', '1T', '1P', '1E', '\u0000', '\u001b[2J', '\n', '"', '\\', '{', '}', '[', ']',
  '@', '=', ';', ',', ':', '/', '*', '<', '>', '<0 0>', 'NaN', 'Infinity', 'null', 'true', '💥',
];
const deep = (r: Rng, open: string, close: string): string => { const n = r.int(10, 6000); return open.repeat(n) + close.repeat(n); };

/** Character edits plus splices of hostile tokens. */
function textInput(r: Rng, seeds: readonly string[], alphabet: string): string {
  let s = pick(r, seeds);
  for (let k = r.int(1, 4); k > 0; k--) {
    const what = r.int(0, 9);
    if (what < 6) s = mutate(r, s, alphabet);
    else if (what < 9) { const i = r.int(0, s.length); s = s.slice(0, i) + pick(r, HOSTILE) + s.slice(i); }
    else { const i = r.int(0, s.length); s = s.slice(0, i) + deep(r, pick(r, ['{', '[', 'a { ', '(']), pick(r, ['}', ']', '}; ', ')'])) + s.slice(i); }
  }
  return s;
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Values a structural edit puts somewhere in a JSON document. */
function hostileValue(r: Rng): Json {
  switch (r.int(0, 11)) {
    case 0: return pick(r, [2 ** 53, 2 ** 53 - 1, -1, 0, 1e308, 1e30, -1e308, 0.5, 4096, 2 ** 32, 1e20]);
    case 1: return pick(r, HOSTILE);
    case 2: return pick(r, ['1T', '1024G', '256G', '64M', '0', '16K', '1ns', '1e30s', '99999h', '0.0000001ns']);
    case 3: { let v: Json = 1; for (let i = r.int(10, 3000); i > 0; i--) v = [v]; return v; }
    case 4: return JSON.parse(`{"__proto__": {"pageSize": "16K", "bogus": 1}}`) as Json;
    case 5: return Array.from({ length: r.int(0, 2000) }, (_, i) => `x${i}`);
    case 6: return {};
    case 7: return [];
    case 8: return null;
    case 9: return r.int(0, 1) === 1;
    case 10: return 'x'.repeat(r.int(0, 5000));
    default: return r.int(-5, 100);
  }
}

/** Replace, delete or add one value at a random place in `doc` (in place). */
function editJson(r: Rng, doc: Json): Json {
  const containers: (Json[] | { [k: string]: Json })[] = [];
  const walk = (v: Json, depth: number): void => {
    if (depth > 40 || v === null || typeof v !== 'object') return;
    containers.push(v);
    for (const x of Array.isArray(v) ? v : Object.values(v)) walk(x, depth + 1);
  };
  walk(doc, 0);
  if (containers.length === 0) return hostileValue(r);
  const c = pick(r, containers);
  if (Array.isArray(c)) {
    const i = r.int(0, c.length);
    if (r.int(0, 3) === 0 && c.length > 0) c.splice(Math.min(i, c.length - 1), 1);
    else if (r.int(0, 2) === 0 && c.length > 0) c.push(structuredClone(c[r.int(0, c.length - 1)]));
    else c[Math.min(i, c.length)] = hostileValue(r);
  } else {
    const keys = Object.keys(c);
    const k = keys.length > 0 && r.int(0, 3) > 0 ? pick(r, keys) : pick(r, [...HOSTILE, 'pagecache', 'zone', 'rate', 'count', 'index', 'size', 'ram', 'name', 'machine']);
    if (r.int(0, 4) === 0) delete c[k];
    else Object.defineProperty(c, k, { value: hostileValue(r), enumerable: true, writable: true, configurable: true });
  }
  return doc;
}

function jsonInput(r: Rng, seeds: readonly string[]): string {
  if (r.int(0, 3) === 0) return textInput(r, seeds, '{}[]",:0123456789.eE-+ntrufalsxK');
  let doc = JSON.parse(pick(r, seeds)) as Json;
  for (let k = r.int(1, 3); k > 0; k--) doc = editJson(r, doc);
  return JSON.stringify(doc, null, r.int(0, 1) === 1 ? 1 : undefined) ?? 'null';
}

const MAINLINE_SEEDS = ['cma=64M', 'cma=256M@0x40000000', 'cma=128M@0-0x80000000', 'cma=16M hugetlb_cma=0:64M,1:32M cma_pernuma=8M', 'console=ttyS0 cma=32M quiet', 'cma=64M,128M@1G', 'numa_cma=0:16M,1:16M cma=1G'];
const ORIGINAL_SEEDS = ['cma=r1=64M;r2=32M@256M/1M cma_map=video/a=r1;*=r2', 'cma=banka/foo,bar=30M:bf(x=1) cma_map=foo/*=banka', 'cma=a=1M,b=2M@8M cma_map=*/*=a,b', 'cma=c=4M/64K: cma_map=dev=c'];
const DTS_SEEDS = [
  'reserved-memory { #address-cells = <1>; #size-cells = <1>; ranges;\n linux,cma { compatible = "shared-dma-pool"; reusable; size = <0x4000000>; linux,cma-default; };\n};',
  'reserved-memory { #address-cells = <2>; #size-cells = <2>; ranges;\n video: video@80000000 { compatible = "shared-dma-pool"; reusable; reg = <0 0x80000000 0 0x1000000>; };\n pool { compatible = "shared-dma-pool"; no-map; size = <0 0x100000>; alignment = <0 0x100000>; alloc-ranges = <0 0x40000000 0 0x40000000>; };\n};',
];
const DT_JSON_SEEDS = [
  '{"#address-cells": 1, "#size-cells": 1, "ranges": true, "linux,cma": {"compatible": "shared-dma-pool", "reusable": true, "size": 67108864, "linux,cma-default": true}}',
  '{"#address-cells": 2, "#size-cells": 2, "ranges": true, "video@80000000": {"compatible": ["shared-dma-pool"], "reusable": true, "reg": [0, 2147483648, 0, 16777216]}, "pool": {"compatible": "shared-dma-pool", "no-map": true, "size": [0, 1048576]}}',
];

const here = path.dirname(new URL(import.meta.url).pathname);
const SCENARIO_SEEDS = [
  readFileSync(path.join(here, '../../examples/two-devices.json'), 'utf8'),
  JSON.stringify({
    name: 's', seed: 3, until: '20ms', machine: { ram: '64M', minFreeKbytes: 512 }, pagecache: { dirtyExpire: '5ms' },
    cma: { areas: [{ name: 'r', size: '8M' }, { name: 'v', size: '4M' }] },
    devices: [{ name: 'cam', kinds: { a: 'r' }, buffers: [{ name: 'f', size: '64K', kind: 'a' }] }, { name: 'vpu', kinds: { b: 'v' } }],
    dma: { useCases: [{ name: 'u', devices: ['cam'] }] },
    workload: [
      { generator: 'poisson', rate: 200, alloc: { device: 'cam', kind: 'a', size: ['4K', '64K'], hold: '2ms' } },
      { generator: 'pagecache', rate: 500, files: 2, fileSize: '1M', dirty: 0.3 },
      { generator: 'usecase', dwell: '3ms' },
      { generator: 'replay', events: [{ at: '1ms', event: { type: 'pagecache.fault', file: 'f', index: 3, count: 4 } }] },
    ],
    assertions: [{ metric: 'alloc.failed', op: '<=', value: 100 }],
  }),
];
const TRACE_FILE = path.join(here, '../fixtures/kernel-traces/smoke-3g-misaligned.trace.txt');
let traceSeed: string | null = null;
const theTrace = (): string => (traceSeed ??= `${readFileSync(TRACE_FILE, 'utf8').split('\n').slice(0, 254).join('\n')}\n`);

/** A run's own log: the seed the log targets edit. */
function seedLog(): string {
  const s = checkScenario({ ...JSON.parse(SCENARIO_SEEDS[1]) as object, until: '10ms' });
  const o = runScenario(s);
  return [...logLines(o.history, o.seed, logMeta(s, o, null))].join('');
}

let logDir: string | null = null;
let logSeed: string | null = null;
const theLog = (): string => (logSeed ??= seedLog());
/** The seed log's lines without their hash fields, ready to edit and re-chain. */
export const seedLogBodies = (): string[] => theLog().trimEnd().split('\n').map((l) => l.replace(/,"h":"[0-9a-f]{16}"\}$/, '}'));
function loadLogText(text: string): void {
  logDir ??= mkdtempSync(path.join(tmpdir(), 'cma-fuzz-'));
  const file = path.join(logDir, 'log.jsonl');
  writeFileSync(file, text);
  loadRunLog(file);
}
export function cleanupTargets(): void {
  if (logDir !== null) rmSync(logDir, { recursive: true, force: true });
  logDir = null;
}

const isConfig = (e: unknown): boolean => e instanceof ConfigError && oneLine(e);

export const TARGETS: readonly Target[] = [
  {
    name: 'mainline-cmdline', ours: isConfig, run: (x) => { parseMainlineCmdline(x); },
    input: (seed, i) => textInput(rngFor(seed, 'mainline', i), MAINLINE_SEEDS, 'cma=hugetlb_pernuma:,@-0123456789xKMGT '),
  },
  {
    name: 'series-cma', ours: isConfig, run: (x) => { parseOriginalCmdline(x); },
    input: (seed, i) => textInput(rngFor(seed, 'series', i), ORIGINAL_SEEDS, 'cma_map=;,/@:()*abr0123456789KMx '),
  },
  {
    name: 'dts', ours: isConfig, run: (x) => { parseReservedMemoryDts(x); },
    input: (seed, i) => textInput(rngFor(seed, 'dts', i), DTS_SEEDS, '{};=<>,:"/*#@-0123456789abcdefx \n'),
  },
  {
    name: 'dt-json', ours: isConfig, run: (x) => { parseReservedMemoryJson(x); },
    input: (seed, i) => jsonInput(rngFor(seed, 'dt-json', i), DT_JSON_SEEDS),
  },
  {
    name: 'scenario-json', ours: (e) => e instanceof ScenarioFileError && oneLine(e), run: (x) => { scenarioFromJson(x, 'fuzz.json'); },
    input: (seed, i) => jsonInput(rngFor(seed, 'scenario', i), SCENARIO_SEEDS),
  },
  {
    name: 'log-raw', ours: (e) => e instanceof InputError && oneLine(e), run: loadLogText,
    input: (seed, i) => textInput(rngFor(seed, 'log-raw', i), [theLog()], '{}[]",:0123456789.-abcdefhnt'),
  },
  {
    name: 'log-rechained', ours: (e) => e instanceof InputError && oneLine(e), run: loadLogText,
    input: (seed, i) => {
      const r = rngFor(seed, 'log-rechained', i);
      const lines = seedLogBodies();
      const k = r.int(0, lines.length - 1);
      lines[k] = JSON.stringify(editJson(r, JSON.parse(lines[k]) as Json));
      if (r.int(0, 5) === 0) lines.splice(r.int(1, lines.length - 1), 1);
      return `${rechain(lines)}\n`;
    },
  },
  {
    name: 'ftrace', ours: (e) => e instanceof TraceFormatError && oneLine(e), run: (x) => { importTrace(x); },
    input: (seed, i) => textInput(rngFor(seed, 'ftrace', i), [theTrace()], 'cma_alloc_startfinish:=0123456789x |-[]().\n'),
  },
];
