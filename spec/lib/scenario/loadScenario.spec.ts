import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadScenarioFile, scenarioFromJson, ScenarioFileError } from '../../../lib/scenario/loadScenario.ts';
import { smallScenario } from './fixtures.ts';

describe('scenario files', () => {
  it('points a validation error at file:line:column of the offending value', () => {
    const s = smallScenario() as any;
    s.devices[1].kinds.b = 42;
    const text = JSON.stringify(s, null, 2);
    const line = text.split('\n').findIndex((l) => l.includes('"b": 42')) + 1;
    const col = text.split('\n')[line - 1].indexOf('42') + 1;
    expect(() => scenarioFromJson(text, 'sc.json')).to.throw(ScenarioFileError, `sc.json:${line}:${col}: devices[1].kinds.b: expected a region name, got 42`);
  });

  it('points a missing field at its enclosing object', () => {
    expect(() => scenarioFromJson('{\n  "name": "x"\n}', 'm.json')).to.throw(ScenarioFileError, 'm.json:1:1: machine: missing required field');
  });

  it('maps JSON syntax errors to line:column', () => {
    expect(() => scenarioFromJson('{\n  "machine": { "ram": "1G", }\n}', 'bad.json')).to.throw(ScenarioFileError, 'bad.json:2:29: invalid JSON: expected a string key, got "}"');
  });

  it('loads .json and .ts files to the same scenario', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cma-sim-sc-'));
    try {
      writeFileSync(path.join(dir, 's.json'), JSON.stringify(smallScenario()));
      const lib = path.resolve('lib/scenario/index.ts');
      writeFileSync(path.join(dir, 's.ts'), `import { defineScenario } from ${JSON.stringify(lib)};\nexport default defineScenario(${JSON.stringify(smallScenario())});\n`);
      const a = await loadScenarioFile(path.join(dir, 's.json'));
      const b = await loadScenarioFile(path.join(dir, 's.ts'));
      expect(b).to.deep.equal(a);
      await loadScenarioFile(path.join(dir, 'nope.json')).then(() => { throw new Error('expected failure'); }, (e: Error) => expect(e.message).to.match(/nope\.json: cannot read: ENOENT$/));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
