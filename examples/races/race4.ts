/**
 * Race 4: cm_pin racing a defragmentation pass. Expected, in every ordering: the chunk is never
 * copied while pinned; a pin arriving during the copy waits and is granted at the new address; the
 * owner's record always names the chunk's current address. Two outcomes: pinned in place (the
 * pass skips the pinned chunk) or moved down into the hole, then pinned.
 * The broken teaching variant is race4-defrag-ignores-pins.ts.
 */
import { race4 } from './race4Kit.ts';

export const race = race4('correct');
