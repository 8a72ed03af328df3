/** A broken invariant: which one, a one-line message, and the pfn or pageblock concerned. The caller adds seq. */
export interface Violation {
  readonly invariant: string;
  readonly message: string;
  readonly pfn?: number;
  readonly pageblock?: number;
  readonly seq?: number;
}
