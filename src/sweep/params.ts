import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { InputError } from '../../models/inputError.js';
import { descriptorOf, type Provenance } from '../../models/machines/index.js';
import { formatDuration } from '../../models/params/duration.js';
import { unitOf } from '../../models/params/fields.js';
import type { TierSpec, Topology } from '../../models/topologies/topology.js';

/**
 * Tier parameters as sweeps name them (`gateway.upstreamIdleTimeout`): their
 * schema (from the machine descriptor's `params.fields`), their provenance,
 * values parsed as topology files write them (`20s`, `never`, `[1ms, 20ms]`),
 * the value sets `--assumptions` sweeps, and a topology with one changed.
 */

/** One parameter of one tier and the values a sweep gives it, in order (`null`, "never" or "no limit", last). */
export interface SweptParam {
  tier: string;
  param: string;
  values: unknown[];
}

/** What kind of value a parameter takes, read from its schema. */
type ValueKind =
  | { kind: 'duration'; nullable: boolean }
  | { kind: 'window' }
  | { kind: 'whole'; nullable: boolean; min: number; max: number }
  | { kind: 'choice'; options: string[] }
  | { kind: 'list'; options: string[] }
  | { kind: 'flag' };

interface ZodInternals {
  _zod: { def: { type: string; innerType?: ZodInternals; element?: ZodInternals } };
  minValue?: number | null;
  maxValue?: number | null;
  options?: string[];
}

function kindOf(schema: z.ZodType): ValueKind {
  const unit = unitOf(schema);
  const s = schema as unknown as ZodInternals;
  const nullable = s._zod.def.type === 'nullable';
  const inner = nullable ? s._zod.def.innerType! : s;
  if (unit === 'duration') return { kind: 'duration', nullable };
  if (unit === 'window') return { kind: 'window' };
  const type = inner._zod.def.type;
  if (type === 'number') return { kind: 'whole', nullable, min: inner.minValue ?? 0, max: inner.maxValue ?? Number.MAX_SAFE_INTEGER };
  if (type === 'enum') return { kind: 'choice', options: [...(inner.options ?? [])] };
  if (type === 'boolean') return { kind: 'flag' };
  // A list of choices (the client's request methods): swept one choice at a time.
  const element = inner._zod.def.element;
  if (type === 'array' && element?._zod.def.type === 'enum') return { kind: 'list', options: [...(element.options ?? [])] };
  throw new Error(`sweep: no value kind for a parameter of type ${type}`);
}

function tierNamed(topology: Topology, name: string): TierSpec {
  const t = topology.tiers.find((x) => x.name === name);
  if (!t) throw new InputError(`--param: topology '${topology.name}' has no tier '${name}'; its tiers: ${topology.tiers.map((x) => x.name).join(', ')}`);
  return t;
}

/** The schema of `tier.param`, or one InputError naming the parameters a file may set on that tier. */
export function schemaOf(topology: Topology, tier: string, param: string): z.ZodType {
  const t = tierNamed(topology, tier);
  const fields = descriptorOf(t.kind).params.fields as Record<string, z.ZodType | undefined>;
  const schema = fields[param];
  if (!schema) throw new InputError(`--param: tier '${tier}' (${t.kind}) has no parameter '${param}' to set; allowed: ${Object.keys(fields).join(', ')}`);
  return schema;
}

/** Where the value of `tier.param` comes from: the tier's own sources, else its machine kind's default provenance. */
export function provenanceOf(tier: TierSpec, param: string): Provenance | undefined {
  const own = (tier.sources as Record<string, Provenance | undefined> | undefined)?.[param];
  return own ?? (descriptorOf(tier.kind).params.sources as Record<string, Provenance | undefined>)[param];
}

/** A value as written on the command line (`20s`, `never`, `15`, `[1ms, 20ms]`, `pooled`), parsed and checked by the parameter's schema. */
export function parseValue(topology: Topology, tier: string, param: string, text: string): unknown {
  const schema = schemaOf(topology, tier, param);
  const raw = /^(never|none|null)$/i.test(text.trim()) ? null : (parseYaml(text) as unknown);
  const r = schema.safeParse(raw);
  if (!r.success) throw new InputError(`--param ${tier}.${param}=${text}: ${r.error.issues[0]?.message ?? 'not a value of this parameter'}`);
  return r.data;
}

/** A value as reports print it: `20s`, `never`, `no limit`, `1ms..20ms`, `pooled`. */
export function formatValue(topology: Topology, tier: string, param: string, value: unknown): string {
  const k = kindOf(schemaOf(topology, tier, param));
  // Unset, a parameter that cannot be null means its machine's default (the client's methods: GET).
  if (value === null || value === undefined)
    return (k.kind === 'duration' || k.kind === 'whole') && k.nullable ? (k.kind === 'duration' ? 'never' : 'no limit') : 'default';
  if (k.kind === 'duration') return formatDuration(value as number);
  if (k.kind === 'window') return `[${(value as number[]).map(formatDuration).join(', ')}]`;
  if (k.kind === 'list') return `[${(value as string[]).join(', ')}]`;
  return String(value);
}

/** Whether a parameter's values have an order, so that consecutive ones read as a range `a..b` (not choices or flags). */
export function isOrdered(topology: Topology, tier: string, param: string): boolean {
  const k = kindOf(schemaOf(topology, tier, param)).kind;
  return k !== 'choice' && k !== 'list' && k !== 'flag';
}

/** The order values are swept and reported in: smallest first, null ("never", "no limit") as the largest. */
function compareValues(a: unknown, b: unknown): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  if (Array.isArray(a) && Array.isArray(b)) return (a[1] as number) - (b[1] as number) || (a[0] as number) - (b[0] as number);
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return 0;
}

const unique = (values: unknown[]) => values.filter((v, i) => values.findIndex((w) => JSON.stringify(w) === JSON.stringify(v)) === i);

/**
 * `tier.param=v1,v2,...` or `tier.param=a..b` (every whole number from a to
 * b) as a swept parameter; values are checked by the parameter's schema.
 */
export function parseParamSpec(topology: Topology, spec: string): SweptParam {
  const m = /^([A-Za-z][\w-]*)\.(\w+)=(.+)$/.exec(spec.trim());
  if (!m) throw new InputError(`--param must be TIER.PARAM=VALUES (e.g. gateway.upstreamIdleTimeout=never,20s,60s or connQueue.limit=2..30), found '${spec}'`);
  const [, tier, param, list] = m as unknown as [string, string, string, string];
  const range = /^\s*(\d+)\s*\.\.\s*(\d+)\s*$/.exec(list);
  let texts: string[];
  if (range) {
    const [from, to] = [Number(range[1]), Number(range[2])];
    if (from > to || to - from > 500) throw new InputError(`--param ${tier}.${param}=${list}: a range a..b needs a <= b and at most 501 values`);
    texts = Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
  } else texts = splitValues(list);
  const values = unique(texts.map((t) => parseValue(topology, tier, param, t)));
  if (values.length === 0) throw new InputError(`--param ${spec}: no values`);
  const kind = kindOf(schemaOf(topology, tier, param)).kind;
  return { tier, param, values: kind === 'choice' || kind === 'list' ? values : values.sort(compareValues) };
}

/** Comma-separated values, keeping the commas inside a `[min, max]` window. */
function splitValues(list: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of list) {
    if (ch === '[') depth += 1;
    if (ch === ']') depth -= 1;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim()).filter((s) => s.length > 0);
}

/** The values `--assumptions` tries for a parameter of this kind (and its current value, when the topology sets one). */
function sensibleValues(k: ValueKind, current: unknown): unknown[] {
  const withCurrent = (xs: unknown[]) => unique(current === undefined ? xs : [...xs, current]);
  switch (k.kind) {
    case 'duration':
      return withCurrent([1_000, 5_000, 20_000, 60_000, 350_000, ...(k.nullable ? [null] : [])]).sort(compareValues);
    case 'window':
      return withCurrent([
        [1, 20],
        [100, 500],
        [5_000, 30_000],
      ]).sort(compareValues);
    case 'whole':
      return withCurrent([...[1, 2, 5, 20, 64].filter((n) => n >= k.min && n <= k.max), ...(k.nullable ? [null] : [])]).sort(compareValues);
    case 'choice':
      return k.options;
    case 'list':
      return k.options.map((o) => [o]);
    case 'flag':
      return [false, true];
  }
}

/**
 * The parameters of `topology` whose value is an assumption (provenance
 * `assumption`: no source documents it), each with the values
 * `--assumptions` sweeps: durations from 1 s to 350 s and never, counts from
 * 1 to 64 and no limit, every choice, each choice of a list alone, both
 * flags; and the current value (a parameter the topology leaves unset keeps
 * its machine's default, which is not among the values unless listed).
 */
export function assumptionParams(topology: Topology): SweptParam[] {
  const out: SweptParam[] = [];
  for (const t of topology.tiers) {
    const fields = descriptorOf(t.kind).params.fields as Record<string, z.ZodType | undefined>;
    for (const [param, schema] of Object.entries(fields)) {
      if (!schema || provenanceOf(t, param)?.source !== 'assumption') continue;
      out.push({ tier: t.name, param, values: sensibleValues(kindOf(schema), (t.params as unknown as Record<string, unknown>)[param]) });
    }
  }
  return out;
}

/** `topology` with `tier.param` set to `value` (its provenance: a sweep's choice), named after the change. */
export function withParam(topology: Topology, tier: string, param: string, value: unknown): Topology {
  tierNamed(topology, tier);
  const label = `${tier}.${param}=${formatValue(topology, tier, param, value)}`;
  return {
    ...topology,
    name: `${topology.name}[${label}]`,
    tiers: topology.tiers.map((t) =>
      t.name !== tier
        ? t
        : ({
            ...t,
            params: { ...t.params, [param]: value },
            sources: { ...(t.sources ?? {}), [param]: { source: 'choice', ref: `swept: ${label}` } },
          } as TierSpec),
    ),
  };
}

/** The current value of `tier.param` on `topology`. */
export function currentValue(topology: Topology, tier: string, param: string): unknown {
  return (tierNamed(topology, tier).params as unknown as Record<string, unknown>)[param] ?? null;
}
