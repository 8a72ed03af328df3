/**
 * Example 3 -- 3D textures next to a camera and a JPEG codec. A 3D accelerator without an IOMMU
 * loads 1-4 MiB textures (512x512 RGB is about 1 MiB; 1024x1024 RGB about 3 MiB, 4 MiB with its
 * mipmaps) into its region, while a camera keeps three 8-megapixel frames (3264x2448 NV12, 12 MiB
 * each). A JPEG codec wants two 16 MiB buffers, which fit only because it shares the media region
 * with the video codec and runs while the codec is idle: the same request while the codec plays
 * video fails.
 */
import type { DeviceBufferInput } from '../events/index.ts';
import { defineScenario } from '../lib/scenario/index.ts';
import type { SimState } from '../models/state.ts';
import { close, MiB, MS, ms, open, quantile, requests, runExample, summarize, table, type ExampleRun, runIfMain } from './exampleRun.ts';

const FRAME_8MP = 3264 * 2448 * 3 / 2;
const HD = 3_133_440;

const frames = (n: number, size: number, prefix: string): DeviceBufferInput[] =>
  Array.from({ length: n }, (_, i) => ({ name: `${prefix}${i}`, size }));

const playVideo = (t: number) => open(t, 'mfc', frames(10, HD, 'dpb'), { period: 33 * MS, duration: 20 * MS });
const encodeJpeg = (t: number) => open(t, 'jpeg', frames(2, 16 * MiB, 'work'), { period: 50 * MS, duration: 30 * MS });

export const JPEG_WHILE_IDLE = 1600 * MS;
export const JPEG_WHILE_PLAYING = 3000 * MS;

export const scenario = defineScenario({
  name: '03-3d-textures',
  description: '3D textures with mipmaps, an 8 MPix camera, and a JPEG codec borrowing the idle video codec\'s region',
  seed: 3,
  until: '3.5s',
  machine: { ram: '512M' },
  cma: {
    areas: [
      { name: 'gfx', size: '64M', private: true, allocator: 'best-fit' },
      { name: 'camera', size: '40M', private: true, allocator: 'best-fit' },
      { name: 'media', size: '40M', private: true, allocator: 'best-fit' },
    ],
  },
  devices: [
    { name: 'gpu', kinds: { '*': 'gfx' } },
    { name: 'camera', kinds: { '*': 'camera' } },
    { name: 'mfc', kinds: { '*': 'media' } },
    { name: 'jpeg', kinds: { '*': 'media' } },
  ],
  workload: [
    { name: 'textures', generator: 'poisson', rate: 15, alloc: { device: 'gpu', areas: 'gfx', size: ['1M', '4M'], hold: ['300ms', '2s'] } },
    {
      name: 'drivers', generator: 'replay', events: [
        open(0, 'camera', frames(3, FRAME_8MP, 'frame'), { period: 100 * MS, duration: 70 * MS }),
        playVideo(10 * MS), close(1500 * MS, 'mfc'),
        encodeJpeg(JPEG_WHILE_IDLE), close(2200 * MS, 'jpeg'),
        playVideo(2500 * MS),
        encodeJpeg(JPEG_WHILE_PLAYING),
      ],
    },
  ],
});

export interface DeviceOutcome { readonly device: string; readonly ready: number; readonly failed: number; readonly operations: number }

export function deviceOutcomes(state: SimState): DeviceOutcome[] {
  const bs = Object.values(state.devices.buffers);
  return Object.keys(state.devices.devices).filter((d) => d !== 'gpu').map((device) => ({
    device,
    ready: bs.filter((b) => b.owner === device && (b.status === 'ready' || (b.status === 'freed' && b.readyAt !== null))).length,
    failed: bs.filter((b) => b.owner === device && b.status === 'failed').length,
    operations: state.devices.devices[device].counters.operations,
  }));
}

/** JPEG buffers requested at `t`: how many were ready. */
export function jpegReadyAt(state: SimState, t: number): number {
  return Object.values(state.devices.buffers).filter((b) => b.owner === 'jpeg' && b.requestedAt === t && b.readyAt !== null).length;
}

export function report(run: ExampleRun): string {
  const tex = summarize(requests(run.state, (r) => r.requester === 'gpu'));
  return [
    `textures: ${tex.count} loads, ${tex.failed} failed, latency p50 ${ms(quantile(tex.latencyNs, 0.5))}, max ${ms(quantile(tex.latencyNs, 1))}`,
    table([['device', 'buffers ready', 'failed', 'hardware operations'], ...deviceOutcomes(run.state).map((d) => [d.device, d.ready, d.failed, d.operations])]),
    `JPEG with the video codec idle (t=${ms(JPEG_WHILE_IDLE)}): ${jpegReadyAt(run.state, JPEG_WHILE_IDLE)}/2 buffers; ` +
      `while it plays (t=${ms(JPEG_WHILE_PLAYING)}): ${jpegReadyAt(run.state, JPEG_WHILE_PLAYING)}/2`,
  ].join('\n');
}

export function main(): void {
  console.log(report(runExample(scenario)));
}

runIfMain(import.meta.url, main);
