/**
 * `.ts` when running from the TypeScript sources (development, tests), `.js` from the build in
 * dist/. Files found by path (worker entry, default scenario) take this extension.
 */
export const sourceExt = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
