import { expect } from 'chai';
import { explore } from '../../../lib/explore/explore.ts';
import { runChoices } from '../../../lib/explore/trace.ts';
import { race as race1 } from '../../../examples/races/race1.ts';
import type { Race } from '../../../examples/races/raceKit.ts';

const EBUSY_THEN_RETRY = 'done at area+1 after 1 retry (-16, ok)';
const FIRST_CANDIDATE = 'done at area+0 after 0 retries (ok)';

/** Race 1 with its pin declared tie 'last': at the instant isolation completes it waits for the request's own next step. */
const pinLast: Race = { ...race1, name: 'race1-pin-last', inject: race1.inject.map((i) => (i.event.type === 'page.pin' ? { ...i, tie: 'last' as const } : i)) };

describe("a race whose benign order needs tie 'last' (issue 17)", () => {
  it('race 1 as shipped: the injected pin runs first by default, the -EBUSY path', () => {
    expect(runChoices(race1, [], 0).outcome).to.equal(EBUSY_THEN_RETRY);
  });

  it("with the pin tie 'last' the default run is the benign one, and the explorer still finds the other by a recorded choice", () => {
    const dflt = runChoices(pinLast, [], 0);
    expect(dflt.outcome).to.equal(FIRST_CANDIDATE);
    expect(dflt.choices).to.deep.equal([]);
    const r = explore(pinLast);
    expect(r.complete).to.equal(true);
    expect(r.failures).to.deep.equal([]);
    expect(r.sometimesMissed).to.deep.equal([]);
    expect(r.outcomes.map((o) => o.outcome).sort()).to.deep.equal([FIRST_CANDIDATE, EBUSY_THEN_RETRY]);
    // The found order is a choice away from the new default, and its trace replays it.
    const busy = r.outcomes.find((o) => o.outcome === EBUSY_THEN_RETRY)!;
    expect(busy.example.map((c) => c.type)).to.deep.equal(['page.pin']);
    expect(runChoices(pinLast, busy.example, 0).outcome).to.equal(EBUSY_THEN_RETRY);
  });
});
