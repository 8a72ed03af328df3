/**
 * Mainline CMA parameters from a kernel command line: `cma=`, `cma_pernuma=`, `numa_cma=` and
 * `hugetlb_cma=` (kernel/dma/contiguous.c early_cma/early_cma_pernuma/early_numa_cma,
 * mm/hugetlb.c cmdline_parse_hugetlb_cma). Everything else on the line is ignored.
 *
 * Error policy for all of lib/config: parsers THROW `ConfigError` (and nothing else) on bad
 * input; they never return partial results.
 */
import type { ConfigSource } from './ConfigError.ts';
import { splitCmdline, type CmdlineParam } from './cmdlineParams.ts';
import { deriveMainlineAreas, type ParamSites } from './mainlineAreas.ts';
import { decimal, memparse } from './memparse.ts';
import { atEnd, fail, peek, reject, scanner, type Scanner } from './scanner.ts';
import type { CmaParam, HugetlbCmaParam, MainlineConfig, MainlineOptions, NodeSize } from './types.ts';

const CMA_PARAMS = new Set(['cma', 'cma_pernuma', 'numa_cma', 'hugetlb_cma']);

export function parseMainlineCmdline(line: string, opts: MainlineOptions = {}): MainlineConfig {
  const maxNodes = opts.maxNumNodes ?? 64;
  let cma: CmaParam | undefined;
  let pernuma: number | undefined;
  let numaCma: NodeSize[] | undefined;
  let hugetlbCma: HugetlbCmaParam | undefined;
  const sites: ParamSites = {};
  for (const p of splitCmdline(line)) {
    if (!CMA_PARAMS.has(p.name)) continue;
    const s = valueScanner(p);
    sites[p.name as keyof ParamSites] = s;
    if (p.name === 'cma') cma = parseCmaValue(s, cma);
    else if (p.name === 'cma_pernuma') pernuma = wholeValue(s, () => memparse(s, 'cma_pernuma size'));
    else if (p.name === 'numa_cma') numaCma = parseNodeSizes(s, maxNodes);
    else hugetlbCma = parseHugetlbCma(s, maxNodes);
  }
  const areas = deriveMainlineAreas({ cma, pernuma, numaCma, hugetlbCma }, opts, sites);
  return {
    ...(cma !== undefined && { cma }),
    ...(pernuma !== undefined && { pernuma }),
    ...(numaCma !== undefined && { numaCma }),
    ...(hugetlbCma !== undefined && { hugetlbCma }),
    areas,
  };
}

function valueScanner(p: CmdlineParam): Scanner {
  const source = p.name as ConfigSource;
  if (p.value === null) {
    // The kernel calls early_cma(NULL) here and logs "Config string not provided".
    return fail(scanner(source, '', p.column + p.name.length, [p.column + p.name.length]), `'=' and a value after '${p.name}'`);
  }
  return scanner(source, p.value, 1, p.valueColumns);
}

function wholeValue<T>(s: Scanner, read: () => T): T {
  const v = read();
  if (!atEnd(s)) fail(s, 'end of value');
  return v;
}

/**
 * early_cma(): size, then '@' base, then '-' limit. Like the kernel, fields a later `cma=` does
 * not mention keep what an earlier one set, and `size@base` alone sets limit = base + size.
 * Stricter than the kernel: trailing characters are an error instead of being ignored.
 */
function parseCmaValue(s: Scanner, prev: CmaParam | undefined): CmaParam {
  const size = memparse(s, 'cma size');
  let base = prev?.base ?? 0;
  let limit = prev?.limit ?? 0;
  if (peek(s) === '@') {
    s.pos++;
    base = memparse(s, 'cma base');
    limit = base + size;
    if (peek(s) === '-') {
      s.pos++;
      limit = memparse(s, 'cma limit');
    } else if (!atEnd(s)) fail(s, "'-' before a limit, or end of value after base");
    if (!Number.isSafeInteger(base + size)) reject(s, 0, s.text, `cma base + size '${s.text}' exceeds 2^53 - 1`);
  } else if (!atEnd(s)) {
    fail(s, "'@' before a base, or end of value after size");
  }
  if (!atEnd(s)) fail(s, 'end of value');
  return { size, base, limit };
}

/** `<node>:<size>[,<node>:<size>...]` (numa_cma= and the per-node hugetlb_cma=). */
function parseNodeSizes(s: Scanner, maxNodes: number): NodeSize[] {
  const out: NodeSize[] = [];
  for (;;) {
    const at = s.pos;
    const node = decimal(s, "a node number before ':'");
    if (node >= maxNodes) reject(s, at, String(node), `node ${node} is not below MAX_NUMNODES (${maxNodes})`);
    if (out.some((e) => e.node === node)) reject(s, at, String(node), `node ${node} is given twice`);
    if (peek(s) !== ':') fail(s, `':' after node number ${node}`);
    s.pos++;
    out.push({ node, size: memparse(s, `size of node ${node}`) });
    if (atEnd(s)) return out;
    if (peek(s) !== ',') fail(s, "',' or end of value after a node size");
    s.pos++;
  }
}

function parseHugetlbCma(s: Scanner, maxNodes: number): HugetlbCmaParam {
  // A leading decimal followed by ':' selects the per-node form (as the kernel's sscanf test does).
  const m = /^[0-9]+:/.exec(s.text);
  if (m) return { form: 'per-node', nodes: parseNodeSizes(s, maxNodes) };
  return { form: 'total', size: wholeValue(s, () => memparse(s, 'hugetlb_cma size')) };
}
