/**
 * One integer per page, so a pageblock's pages are a plain array of numbers.
 *   code < 0: free. -1 - order for the head of a free buddy block, FREE_TAIL for its other pages.
 *   code > 0: in use, kind + 8 * ref (kind in the low 3 bits):
 *     UNMOVABLE / RECLAIMABLE / ANON: ref = allocation serial (MemoryState.allocs);
 *     PAGECACHE: ref = flags + 8 * fileId (flags: DIRTY, WRITEBACK, REFERENCED);
 *     TAKEN / RESERVED: ref = index into MemoryState.owners.
 */
export const FREE_TAIL = -100;
export const K_UNMOVABLE = 1;
export const K_RECLAIMABLE = 2;
export const K_ANON = 3;
export const K_PAGECACHE = 4;
export const K_TAKEN = 5;
export const K_RESERVED = 6;

export const PC_DIRTY = 1;
export const PC_WRITEBACK = 2;
/** Accessed since the LRU last looked at it (second chance in reclaim, as PG_referenced). */
export const PC_REFERENCED = 4;

export type PageKindName = 'free' | 'unmovable' | 'reclaimable' | 'anon' | 'pagecache' | 'taken' | 'reserved';
export const KIND_NAMES: readonly PageKindName[] = ['free', 'unmovable', 'reclaimable', 'anon', 'pagecache', 'taken', 'reserved'];

export const headCode = (order: number): number => -1 - order;
export const isFree = (code: number): boolean => code < 0;
/** Order of a free head, -1 when the code is not a free head. */
export const headOrder = (code: number): number => (code < 0 && code !== FREE_TAIL ? -1 - code : -1);
export const kindOf = (code: number): number => (code < 0 ? 0 : code & 7);
export const refOf = (code: number): number => Math.floor(code / 8);
export const useCode = (kind: number, ref: number): number => kind + 8 * ref;
export const pcCode = (fileId: number, flags: number): number => K_PAGECACHE + 8 * (flags + 8 * fileId);
export const pcFileId = (code: number): number => Math.floor(code / 64);
export const pcFlags = (code: number): number => Math.floor(code / 8) & 7;
/** Movable in the migration sense: page cache and anonymous pages. */
export const isMovableKind = (kind: number): boolean => kind === K_ANON || kind === K_PAGECACHE;
