import { expect } from 'chai';
import path from 'node:path';
import { cyclesOf, folderGraph, importGraph, MODELS_ROOT } from './importGraph.ts';

const rel = (f: string): string => path.relative(MODELS_ROOT, f);

describe('models/ import graph', () => {
  it('models/memory imports neither models/pagecache nor the layer above it (models/mm), not even a type', () => {
    const deps = importGraph(MODELS_ROOT, { types: true });
    const up = [...deps].flatMap(([f, ds]) => rel(f).startsWith(`memory${path.sep}`)
      ? ds.filter((d) => /^(pagecache|mm)\//.test(rel(d).split(path.sep).join('/'))).map((d) => `${rel(f)} -> ${rel(d)}`)
      : []);
    expect(deps.get(path.join(MODELS_ROOT, 'pagecache', 'fault.ts'))).to.include(path.join(MODELS_ROOT, 'memory', 'allocator.ts')); // the check sees imports
    expect(up).to.deep.equal([]);
  });

  it('no folder of models/ reaches itself through the value imports of its files', () => {
    const folders = folderGraph(MODELS_ROOT, importGraph(MODELS_ROOT, { types: false }));
    expect(folders.get('mm')).to.include.members(['memory', 'pagecache']); // the check sees imports between folders
    expect(cyclesOf(folders, (x) => x)).to.deep.equal([]);
  });

  it('no module of models/ reaches itself through its value imports', () => {
    const deps = importGraph(MODELS_ROOT, { types: false });
    expect(cyclesOf(deps, rel)).to.deep.equal([]);
  });
});
