import { formatAddress, formatBytes } from './memparse.ts';
import type { MainlineConfig, NodeSize } from './types.ts';

const nodeSizes = (list: readonly NodeSize[]): string => list.map((e) => `${e.node}:${formatBytes(e.size)}`).join(',');

/**
 * The command-line words that parseMainlineCmdline() reads back to the same parameters (and so,
 * with the same options, to the same areas). Addresses print in hex, sizes with the largest exact K..E suffix.
 */
export function printMainlineCmdline(c: Pick<MainlineConfig, 'cma' | 'pernuma' | 'numaCma' | 'hugetlbCma'>): string {
  const words: string[] = [];
  if (c.cma) {
    const { size, base, limit } = c.cma;
    let w = `cma=${formatBytes(size)}`;
    if (base !== 0 || limit !== 0) {
      w += `@${formatAddress(base)}`;
      if (limit !== base + size) w += `-${formatAddress(limit)}`;
    }
    words.push(w);
  }
  if (c.pernuma !== undefined) words.push(`cma_pernuma=${formatBytes(c.pernuma)}`);
  if (c.numaCma) words.push(`numa_cma=${nodeSizes(c.numaCma)}`);
  if (c.hugetlbCma) {
    const h = c.hugetlbCma;
    words.push(`hugetlb_cma=${h.form === 'total' ? formatBytes(h.size) : nodeSizes(h.nodes)}`);
  }
  return words.join(' ');
}
