import type { z } from 'zod';
import { InputError } from '../../models/inputError.js';

/** A path into a document: `['tiers', 3, 'limit']`. */
export type DocPath = readonly (string | number)[];

/** One thing wrong with a topology file: where (file, path, line) and what. */
export interface FileProblem {
  source: string;
  path: DocPath;
  /** 1-based line and column, when the file's text says where. */
  line?: number;
  col?: number;
  message: string;
}

/** Shown at most; the rest are counted. */
const MAX_SHOWN = 40;

/** `tiers[3].limit`, `tiers.nginx.downstreamIdleTimeout`, `bounds.clients`; `(top level)` for the root. */
export function formatPath(path: DocPath): string {
  if (path.length === 0) return '(top level)';
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(p)) out += out === '' ? p : `.${p}`;
    else out += `[${JSON.stringify(p.length > 40 ? `${p.slice(0, 40)}…` : p)}]`;
  }
  return out;
}

/**
 * A value as the error message's "found": short, never recursive (the value
 * may be deeply nested or huge), never throwing.
 */
export function describeFound(value: unknown): string {
  const short = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);
  switch (typeof value) {
    case 'undefined':
      return 'nothing';
    case 'string':
      return value.length === 0 ? 'an empty string' : JSON.stringify(short(value));
    case 'number':
      return Number.isNaN(value) ? 'NaN (.nan)' : Number.isFinite(value) ? String(value) : value > 0 ? 'infinity (.inf)' : '-infinity (-.inf)';
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'object':
      break;
    default:
      return `a ${typeof value}`;
  }
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    const prim = value.length <= 4 && value.every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v));
    if (prim) return short(`[${value.map((v) => (typeof v === 'string' ? JSON.stringify(short(v)) : String(v))).join(', ')}]`);
    return `a list of ${value.length} item${value.length === 1 ? '' : 's'}`;
  }
  if (value instanceof Date) return 'a date';
  if (Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null) return 'a value of an unsupported type';
  const keys = Object.keys(value);
  if (keys.length === 0) return 'an empty mapping';
  return short(`a mapping with ${keys.slice(0, 4).join(', ')}${keys.length > 4 ? ', …' : ''}`);
}

/** Edit distance counting a swap of two neighbours as one edit (so `ngnix` is 1 from `nginx`). */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    let best = Infinity;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
      best = Math.min(best, v);
    }
    if (best > max) return max + 1;
  }
  return d[a.length]![b.length]!;
}

/**
 * Words people write for a field or kind, in the words of other tools (NGINX,
 * Node.js, Envoy, the machine names of the TypeScript model): suggested, never accepted.
 */
const synonyms: Record<string, string> = {
  keepalivetimeout: 'downstreamIdleTimeout',
  keepalive: 'downstreamIdleTimeout',
  clientidletimeout: 'downstreamIdleTimeout',
  keepaliverequests: 'downstreamMaxRequests',
  maxrequests: 'downstreamMaxRequests',
  maxrequestsperconnection: 'downstreamMaxRequests',
  policy: 'upstreamPolicy',
  pooling: 'upstreamPolicy',
  pool: 'maxUpstream',
  poolmax: 'maxUpstream',
  maxconnections: 'maxUpstream',
  poolidle: 'upstreamIdleTimeout',
  upstreamkeepalivetimeout: 'upstreamIdleTimeout',
  integrationtimeout: 'requestTimeout',
  readtimeout: 'requestTimeout',
  proxyreadtimeout: 'requestTimeout',
  responsetimeout: 'requestTimeout',
  querytime: 'responseTime',
  processingtime: 'responseTime',
  activelimit: 'limit',
  maxactive: 'limit',
  waittimeout: 'idleTimeout',
  targets: 'instances',
  params: '(the parameters go directly on the tier)',
  l7proxy: 'proxy',
  gateway: 'proxy',
  reverseproxy: 'proxy',
  l4loadbalancer: 'loadBalancer',
  loadbalancer: 'loadBalancer',
  lb: 'loadBalancer',
  nlb: 'loadBalancer',
  connectionlimiter: 'limiter',
  queue: 'limiter',
  connqueue: 'limiter',
  database: 'server',
  db: 'server',
};

/** The closest allowed word to `word`, if one is close enough to be a likely typo (or a known synonym). */
export function closest(word: string, allowed: readonly string[]): string | undefined {
  if (word.length > 100) return undefined;
  const norm = (s: string) => s.toLowerCase().replace(/[-_\s]/g, '');
  const n = norm(word);
  const syn = synonyms[n] ?? synonyms[`${n}s`] ?? (n.endsWith('s') ? synonyms[n.slice(0, -1)] : undefined);
  if (syn !== undefined && allowed.includes(syn)) return syn;
  const exact = allowed.find((a) => norm(a) === norm(word));
  if (exact !== undefined) return exact;
  const max = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestD = max + 1;
  for (const a of allowed) {
    const d = distance(norm(word), norm(a), max);
    if (d < bestD) {
      best = a;
      bestD = d;
    }
  }
  return best;
}

/** ` (did you mean 'x'?)` or nothing. */
export function didYouMean(word: unknown, allowed: readonly string[]): string {
  if (typeof word !== 'string') return '';
  const c = closest(word, allowed);
  return c === undefined ? '' : `; did you mean '${c}'?`;
}

/** The parse-level error map: messages for issues whose schema gave none ("expected ..."; found is added later). */
export const fallbackMessages: z.core.$ZodErrorMap = (iss) => {
  switch (iss.code) {
    case 'invalid_type':
      return `expected ${({ object: 'a mapping', array: 'a list', string: 'a string', number: 'a number', int: 'a whole number', boolean: 'true or false' } as Record<string, string>)[iss.expected] ?? iss.expected}`;
    case 'too_small':
      return iss.origin === 'array' ? `expected at least ${iss.minimum} item${iss.minimum === 1 ? '' : 's'}` : `expected at least ${iss.minimum}`;
    case 'too_big':
      return iss.origin === 'array' ? `expected at most ${iss.maximum} items` : `expected at most ${iss.maximum}`;
    case 'invalid_value':
      return `expected one of: ${iss.values.map((v) => String(v)).join(', ')}`;
    default:
      return undefined;
  }
};

/**
 * Zod issues as file problems, every one with its full path: one problem per
 * unknown key (with the closest allowed key), and `found` values added.
 */
export function problemsFromIssues(
  issues: readonly z.core.$ZodIssue[],
  source: string,
  prefix: DocPath,
  allowedKeys: (path: DocPath) => readonly string[],
): FileProblem[] {
  const out: FileProblem[] = [];
  for (const iss of issues) {
    const path = [...prefix, ...(iss.path as (string | number)[])];
    if (iss.code === 'unrecognized_keys') {
      const allowed = allowedKeys(iss.path as (string | number)[]);
      for (const key of iss.keys) {
        const hint = closest(key, allowed);
        out.push({
          source,
          path: [...path, key],
          message:
            hint === 'instances' && key.toLowerCase() === 'targets'
              ? "unknown field: a load balancer's targets are the topology's `instances`"
              : hint?.startsWith('(')
                ? `unknown field ${hint}`
                : `unknown field${hint ? `; did you mean '${hint}'?` : `; allowed: ${allowed.join(', ')}`}`,
        });
      }
      continue;
    }
    const input = (iss as { input?: unknown }).input;
    let message = iss.message;
    if (iss.code === 'invalid_value') message += didYouMean(input, iss.values.map(String));
    if (iss.code === 'invalid_union' && message === 'Invalid input') message = 'expected a value of another type';
    if (!/found/.test(message)) message += input === undefined ? ', found nothing (the field is required)' : `, found ${describeFound(input)}`;
    out.push({ source, path, message });
  }
  return out;
}

/** What the problems are in, and where its format is described: a topology file by default. */
export interface ProblemsIn {
  what: string;
  format: string;
}
export const TOPOLOGY_FILE: ProblemsIn = {
  what: 'the topology file',
  format: 'The format: docs/topology-files.md in the connmodel package; a commented starter file: connmodel init FILE.yaml',
};

/** Bad topology file(s) (or another file checked the same way: a scenario file): every problem found, with where it is. The CLI prints the message and exits 2. */
export class TopologyFileError extends InputError {
  readonly problems: readonly FileProblem[];
  constructor(source: string, problems: readonly FileProblem[], inWhat: ProblemsIn = TOPOLOGY_FILE) {
    super(formatProblems(source, problems, inWhat));
    this.problems = problems;
  }
}

function location(p: FileProblem): string {
  return p.line !== undefined ? `${p.source}:${p.line}:${p.col ?? 1}` : p.source;
}

/** One clear block: a headline, then one line per problem, `file:line:col: path: message`. */
export function formatProblems(source: string, problems: readonly FileProblem[], inWhat: ProblemsIn = TOPOLOGY_FILE): string {
  const n = problems.length;
  const lines = [`${source}: ${n === 1 ? 'a problem' : `${n} problems`} in ${inWhat.what} (nothing was run or written):`];
  for (const p of problems.slice(0, MAX_SHOWN)) lines.push(`  ${location(p)}: ${p.path.length > 0 || p.line === undefined ? `${formatPath(p.path)}: ` : ''}${p.message}`);
  if (n > MAX_SHOWN) lines.push(`  … and ${n - MAX_SHOWN} more`);
  lines.push(inWhat.format);
  return lines.join('\n');
}
