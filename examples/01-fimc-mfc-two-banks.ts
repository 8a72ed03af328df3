/**
 * Example 1 -- Samsung S5PV210: three FIMC devices and the MFC video codec on two DRAM banks.
 *
 * The MFC takes firmware and bitstream buffers from bank A ('a' kind) and frame buffers from bank
 * B ('b' kind), the original framework's per-kind regions. HD decode (one MFC instance + FIMC0
 * for display) and a video call (2 x SD decode + SD encode, FIMC1 capturing, FIMC2 previewing) are
 * mutually exclusive use cases sharing the same regions. Between them the codec is idle and the
 * page cache spreads into the regions (MIGRATE_CMA pageblocks are lent to movable pages), so
 * every switch pays to migrate or drop those pages first: the report shows that cost per switch.
 */
import { pathToFileURL } from 'node:url';
import type { DeviceBufferInput } from '../events/index.ts';
import { defineScenario } from '../lib/scenario/index.ts';
import type { SimState } from '../models/state.ts';
import { close, MiB, ms, MS, open, quantile, requests, runExample, summarize, table, type ExampleRun } from './exampleRun.ts';

const S = 1000 * MS;
/** 1920x1088 NV12 frame and 720x576 NV12 frame, rounded up to whole pages. */
const HD = 3_133_440;
const SD = 622_592;

const bufs = (prefix: string, n: number, size: number, kind: string): DeviceBufferInput[] =>
  Array.from({ length: n }, (_, i) => ({ name: `${prefix}${i}`, size, kind }));

/** HD decode: one instance, a decoded-picture buffer of 8 HD frames; FIMC0 converts for display. */
const hdDecode = (t: number) => [
  open(t, 'mfc', [{ name: 'fw', size: MiB, kind: 'a' }, { name: 'bitstream', size: 2 * MiB, kind: 'a' }, ...bufs('dpb', 8, HD, 'b')],
    { period: 33 * MS, duration: 25 * MS }),
  open(t, 'fimc0', bufs('out', 3, HD, 'b'), { period: 33 * MS, duration: 6 * MS }),
];

/** Video call: two SD decoders and one SD encoder in the MFC; FIMC1 captures, FIMC2 previews. */
const videoCall = (t: number) => [
  open(t, 'mfc', [
    { name: 'fw', size: MiB, kind: 'a' }, ...bufs('bitstream', 3, MiB, 'a'),
    ...bufs('dec0-dpb', 5, SD, 'b'), ...bufs('dec1-dpb', 5, SD, 'b'), ...bufs('enc-ref', 3, SD, 'b'),
  ], { period: 33 * MS, duration: 28 * MS }),
  open(t, 'fimc1', bufs('cap', 4, SD, 'b'), { period: 33 * MS, duration: 10 * MS }),
  open(t, 'fimc2', bufs('prev', 3, SD, 'b'), { period: 33 * MS, duration: 5 * MS }),
];

const closeAll = (t: number, devs: string[]) => devs.map((d) => close(t, d));

/** When each use case starts; the codec is idle in between. */
export const SWITCHES = [
  { at: 1 * S, to: 'HD decode' },
  { at: 3 * S, to: 'video call' },
  { at: 5 * S, to: 'HD decode' },
] as const;

export const scenario = defineScenario({
  name: '01-fimc-mfc-two-banks',
  description: 'S5PV210: FIMC x3 + MFC on two DRAM banks; HD decode and video call share the regions; page cache fills them while idle',
  seed: 7,
  until: '6.5s',
  machine: { banks: [{ name: 'bank0', base: '0x20000000', size: '128M' }, { name: 'bank1', base: '0x40000000', size: '128M' }] },
  cma: {
    lockMode: 'series',
    areas: [
      { name: 'video-a', size: '16M', bank: 'bank0', allocator: 'best-fit' },
      { name: 'video-b', size: '48M', bank: 'bank1', allocator: 'best-fit' },
    ],
  },
  devices: [
    { name: 'mfc', kinds: { a: 'video-a', b: 'video-b' } },
    { name: 'fimc0', kinds: { b: 'video-b' } },
    { name: 'fimc1', kinds: { b: 'video-b' } },
    { name: 'fimc2', kinds: { b: 'video-b' } },
  ],
  workload: [
    { name: 'files', generator: 'pagecache', rate: 2500, files: 8, fileSize: '48M', readahead: [32, 96], dirty: 0.2 },
    {
      name: 'use-cases', generator: 'replay', events: [
        ...hdDecode(SWITCHES[0].at), ...closeAll(2 * S, ['fimc0', 'mfc']),
        ...videoCall(SWITCHES[1].at), ...closeAll(4 * S, ['fimc2', 'fimc1', 'mfc']),
        ...hdDecode(SWITCHES[2].at),
      ],
    },
  ],
});

export interface SwitchCost {
  readonly at: number;
  readonly to: string;
  readonly requests: number;
  readonly failed: number;
  readonly pages: number;
  readonly migrated: number;
  readonly dropped: number;
  readonly migrationNs: number;
  readonly worstLatencyNs: number;
  /** From the switch until the last buffer of the use case was ready. */
  readonly readyNs: number;
}

/** The CMA work each switch caused: requests submitted in the second after it. */
export function switchCosts(state: SimState): SwitchCost[] {
  return SWITCHES.map((sw) => {
    const rs = requests(state, (r) => r.submittedAt >= sw.at && r.submittedAt < sw.at + S);
    const s = summarize(rs);
    const lastReady = Math.max(sw.at, ...rs.map((r) => r.finishedAt ?? sw.at));
    return {
      at: sw.at, to: sw.to, requests: s.count, failed: s.failed, pages: s.pages, migrated: s.migrated, dropped: s.dropped,
      migrationNs: s.migrationNs, worstLatencyNs: quantile(s.latencyNs, 1), readyNs: lastReady - sw.at,
    };
  });
}

export function report(run: ExampleRun): string {
  const st = run.state;
  const rows = switchCosts(st).map((c) => [
    `${(c.at / S).toFixed(1)} s -> ${c.to}`, c.requests, c.failed, c.pages, c.migrated, c.dropped, ms(c.migrationNs), ms(c.worstLatencyNs), ms(c.readyNs),
  ]);
  const placed = st.devices.counters.placedBy;
  return [
    `${scenario.name}: ${run.events} events, ${ms(run.now)} simulated`,
    '',
    'Migration cost per use-case switch (page cache had spread into the regions while the codec was idle):',
    table([['switch', 'requests', 'failed', 'pages', 'migrated', 'dropped', 'migration', 'worst alloc', 'all ready'], ...rows]),
    '',
    `MFC buffers by bank region: video-a (bank0) ${placed['cma:video-a'] ?? 0}, video-b (bank1) ${placed['cma:video-b'] ?? 0}` +
      ` (all devices); buffer failures: ${st.devices.counters.failures}`,
    `hardware operations: ${Object.entries(st.devices.devices).map(([n, d]) => `${n} ${d.counters.operations}`).join(', ')}`,
  ].join('\n');
}

export function main(): void {
  console.log(report(runExample(scenario)));
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
