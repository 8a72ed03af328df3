import { TOOL_VERSION } from '../version.ts';

/**
 * `.ts` when running from the TypeScript sources (development, tests), `.js` from the build in
 * dist/. Files found by path (worker entry, default scenario) take this extension.
 */
export const sourceExt = import.meta.url.endsWith('.ts') ? '.ts' : '.js';

/** The package root: lib/cli sits two levels below it in the sources, three in dist/lib/cli. */
export const packageRoot = new URL(sourceExt === '.ts' ? '../../' : '../../../', import.meta.url);

export function version(): string {
  return TOOL_VERSION;
}
