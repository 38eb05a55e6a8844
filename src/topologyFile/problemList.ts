import type { z } from 'zod';
import { closest, fallbackMessages, problemsFromIssues, TOPOLOGY_FILE, TopologyFileError, type DocPath, type ProblemsIn, type FileProblem } from './problems.js';
import type { ParsedText } from './text.js';

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
export const has = (o: object, k: string) => Object.hasOwn(o, k);

/** The problems found in one file, each placed at its path's line and column once the text is parsed. */
export class ProblemList {
  readonly list: FileProblem[] = [];
  /** The parsed text, which knows where each path is. */
  parsed: ParsedText | null = null;

  constructor(
    readonly source: string,
    readonly kind: ProblemsIn = TOPOLOGY_FILE,
  ) {}

  problem(path: DocPath, message: string) {
    this.list.push({ source: this.source, path, ...(this.parsed?.position(path) ?? {}), message });
  }

  private zodProblems(issues: readonly z.core.$ZodIssue[], prefix: DocPath, allowed: (p: DocPath) => readonly string[]) {
    for (const p of problemsFromIssues(issues, this.source, prefix, allowed)) this.problem(p.path, p.message);
  }

  /**
   * Validates the fields of `obj` one by one with the zod schemas of `shape`,
   * so that good fields are kept when others are wrong (and every problem is
   * reported). Keys not in `shape` (nor in `extraKeys`) are unknown fields.
   */
  fields(obj: Record<string, unknown>, shape: Record<string, z.ZodType>, prefix: DocPath, extraKeys: readonly string[] = []): Record<string, unknown> {
    const allowed = [...extraKeys, ...Object.keys(shape)];
    const topLevel = prefix.length === 0;
    for (const key of Object.keys(obj))
      // Top-level `x-…` keys are free (docker-compose style), a place for YAML anchors: `x-envoy: &envoy {...}`.
      if (!allowed.includes(key) && !(topLevel && key.startsWith('x-'))) {
        const hint = closest(key, allowed);
        this.problem(
          [...prefix, key],
          key.toLowerCase() === 'targets' && allowed.includes('idleTimeout')
            ? "unknown field: a load balancer's targets are the topology's top-level `instances`"
            : key === 'params'
              ? 'unknown field: parameters go directly on the tier (`limit: 15`, not `params: {limit: 15}`)'
              : `unknown field${hint ? `; did you mean '${hint}'?` : `; allowed here: ${allowed.join(', ')}${topLevel ? ' (and x-… keys, for YAML anchors)' : ''}`}`,
        );
      }
    const out: Record<string, unknown> = {};
    for (const [key, schema] of Object.entries(shape)) {
      if (!has(obj, key)) continue;
      const r = schema.safeParse(obj[key], { reportInput: true, error: fallbackMessages });
      if (r.success) out[key] = r.data;
      else this.zodProblems(r.error.issues, [...prefix, key], (p) => keysAt(schema, p));
    }
    return out;
  }

  fail(): never {
    const order = (p: FileProblem) => (p.source === this.source ? 0 : 1) * 1e9 + (p.line ?? 1e8) * 1000 + (p.col ?? 0);
    const sorted = this.list.map((p, i) => ({ p, i })).sort((a, b) => order(a.p) - order(b.p) || a.i - b.i);
    throw new TopologyFileError(this.source, sorted.map((x) => x.p), this.kind);
  }
}

export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  if (typeof v === 'object') return 'a mapping';
  return typeof v === 'number' || typeof v === 'boolean' ? String(v) : `a ${typeof v}`;
}

/** The keys a zod object schema allows at `path` inside `schema` (for "did you mean"). */
export function keysAt(schema: z.ZodType, path: DocPath): readonly string[] {
  let s: unknown = schema;
  const unwrap = () => {
    for (let n = 0; n < 8; n++) {
      const def = (s as { def?: { type?: string; innerType?: unknown } }).def;
      if (def && (def.type === 'optional' || def.type === 'nullable' || def.type === 'default') && def.innerType) s = def.innerType;
      else break;
    }
  };
  unwrap();
  for (const seg of path) {
    const shape = (s as { shape?: Record<string, unknown> }).shape;
    if (!shape || typeof seg !== 'string' || !Object.hasOwn(shape, seg)) return [];
    s = shape[seg];
    unwrap();
  }
  const shape = (s as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}
