import { defineScenario } from '../../../lib/scenario/index.ts';

/**
 * A phone (issue 12): 8 GiB, a camera area of 256 MiB and a video area of 512 MiB, apps reading
 * and writing files (page-cache churn, a fifth of the reads dirtied and written back by the
 * flusher), the camera and the codec opening and closing every few seconds, 10 simulated minutes.
 */
export default defineScenario({
  name: 'bench: phone, 8 GiB, camera 256M + video 512M',
  seed: 1,
  until: '600s',
  machine: { ram: '8G' },
  cma: { lockMode: 'per-area', areas: [{ name: 'camera', size: '256M', default: true }, { name: 'video', size: '512M' }] },
  workload: [
    { generator: 'pagecache', name: 'apps', rate: 400, files: 64, fileSize: '128M', readahead: [8, 32], dirty: 0.2 },
    { generator: 'memory', name: 'anon', rate: 50, kind: 'movable', order: [0, 2], hold: ['1s', '60s'] },
    { generator: 'periodic', name: 'camera', period: '4s', jitter: '1s', alloc: { requester: 'camera', areas: ['camera'], size: ['32M', '96M'], hold: ['1s', '3s'] } },
    { generator: 'periodic', name: 'codec', period: '6s', jitter: '2s', alloc: { requester: 'codec', areas: ['video'], size: ['64M', '256M'], hold: ['2s', '5s'] } },
    { generator: 'pins', name: 'odirect', rate: 50, pages: [1, 8], hold: ['100us', '2ms'] },
  ],
});
