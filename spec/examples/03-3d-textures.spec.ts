import { expect } from 'chai';
import { deviceOutcomes, JPEG_WHILE_IDLE, JPEG_WHILE_PLAYING, jpegReadyAt, scenario } from '../../examples/03-3d-textures.ts';
import { requests, runExample } from '../../examples/exampleRun.ts';

describe('examples/03-3d-textures', () => {
  it('textures and 8 MPix frames fit; the JPEG codec gets its buffers only while the video codec is idle', () => {
    const { state } = runExample(scenario);
    const tex = requests(state, (r) => r.requester === 'gpu');
    expect(tex.length).to.be.greaterThan(30);
    // 1-4 MiB textures: 256..1024 pages each.
    expect(tex.every((r) => r.count >= 256 && r.count <= 1024)).to.equal(true);
    const byDev = Object.fromEntries(deviceOutcomes(state).map((d) => [d.device, d]));
    expect(byDev.camera).to.deep.include({ ready: 3, failed: 0 });
    expect(byDev.mfc.failed).to.equal(0);
    expect(jpegReadyAt(state, JPEG_WHILE_IDLE)).to.equal(2);
    expect(jpegReadyAt(state, JPEG_WHILE_PLAYING)).to.equal(0);
  });
});
