/**
 * Race 4, teaching variant `defrag: { mode: 'manual', variant: 'defrag-ignores-pins' }`: the pass
 * moves chunks even while pinned. When the pin wins the race, the chunk is copied under the pin
 * holder's feet: it keeps using the old address while the owner's record moves on (a lost update).
 * The explorer finds that ordering; the other ordering is still fine.
 */
import { race4 } from './race4Kit.ts';

export const race = race4('defrag-ignores-pins');
