/**
 * Sizes and durations as people write them in scenarios and on the command line. Both parsers
 * return null for text they cannot read, so callers phrase the error with the path or token at
 * hand. Each has one home (sizes: models/memory/parseSize.ts, which the models use too;
 * durations: lib/text/duration.ts); this module is the scenario layer's name for them.
 */
export { sizeBytes as parseSize, formatSize } from '../../models/memory/parseSize.ts';
export { formatDuration, parseDuration } from '../text/duration.ts';
