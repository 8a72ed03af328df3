import { expect } from 'chai';
import { ConfigError, parseReservedMemoryJson, parseMainlineCmdline } from '../../../lib/config/index.ts';

describe('ConfigError messages stay one line', () => {
  it('control characters from the input are escaped (found by npm run fuzz: a newline in a DT JSON key)', () => {
    for (const run of [() => parseReservedMemoryJson('{"#address-cells": 1, "a\\nb": 1}'), () => parseMainlineCmdline('cma=\u001b[2J')]) {
      try {
        run();
        expect.fail('expected a ConfigError');
      } catch (e) {
        expect(e).to.be.instanceOf(ConfigError);
        const m = (e as Error).message;
        expect(m, m).to.not.match(/[\u0000-\u001f]/);
      }
    }
    expect(() => parseReservedMemoryJson('{"#address-cells": 1, "a\\nb": 1}')).to.throw(ConfigError, '$["a\\nb"]: expected a device-tree property or node name, got \'a\\nb\'');
  });
});
