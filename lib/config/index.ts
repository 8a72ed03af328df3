/**
 * Configuration as the kernel reads it. Every parser THROWS `ConfigError` (never anything else)
 * and otherwise returns plain-data configuration (lib/config/types.ts); every config type has a
 * printer whose output parses back to an equal value. Invalid *options* (a page size that is not
 * a power of two, a value a printer cannot fit in its cells) are programming errors: RangeError.
 */
export { ConfigError, type ConfigSource, type ConfigErrorInit } from './ConfigError.ts';
export * from './types.ts';
export { DEFAULT_GEOMETRY, cmaMinAlignment } from './geometry.ts';
export { parseMainlineCmdline } from './mainline.ts';
export { deriveMainlineAreas, type MainlineParams } from './mainlineAreas.ts';
export { printMainlineCmdline } from './printMainline.ts';
export { parseCmaRegions } from './cmaRegions.ts';
export { parseCmaMap } from './cmaMap.ts';
export { parseOriginalCmdline, validateOriginalConfig, type OriginalOptions } from './original.ts';
export { printCmaRegions, printCmaMap, printOriginalCmdline, printRegion } from './printOriginal.ts';
export { resolve, effectiveMap, matchPattern } from './resolve.ts';
export { parseReservedMemoryDts, parseDtsTree } from './dts.ts';
export { parseReservedMemoryJson, parseDtJsonTree } from './dtJson.ts';
export { reservedMemoryAreas } from './reservedMemory.ts';
export { printReservedMemoryDts, printReservedMemoryJson, type DtPrintOptions } from './printDt.ts';
export { splitCmdline, type CmdlineParam } from './cmdlineParams.ts';
