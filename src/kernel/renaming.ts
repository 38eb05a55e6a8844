import { boundaryOfConnection, copyOf, parseRequestId, tierOf } from '../../models/ids.js';
import type { IdField } from '../../models/machines/index.js';
import type { Sink } from './fingerprint.js';
import type { Permutation, Shape } from './symmetry.js';

/**
 * Renaming for canonical forms: ids found in strings (connection ids,
 * request ids, instance ids) are renamed by first appearance and by the
 * symmetry permutation; numbers in machine contexts are renamed as the
 * machine's descriptor declares. Values are streamed into a `Sink`.
 */

export const TAG = { arr: -1001, obj: -1002, nul: -1003, undef: -1004, t: -1005, f: -1006, end: -1007, sec: -1008 } as const;

type Token =
  | { kind: 'conn'; boundary: string; raw: string }
  | { kind: 'req'; prefix: string; client: number; k: string }
  | { kind: 'inst'; tier: string; copy: number };

/** A string cut into literal text and id tokens (`idle:gateway>nlb#3`, `r1.2@client.1`); null: no ids at all. */
type Parsed = (string | Token)[] | null;

const SEPARATORS = /([:@|,;/\s()]+)/;

/** Per model shape: every string parsed so far (states repeat the same strings endlessly). */
const parsedStrings = new WeakMap<Shape, Map<string, Parsed>>();

function parse(shape: Shape, raw: string): Parsed {
  let tokens = parsedStrings.get(shape);
  if (!tokens) parsedStrings.set(shape, (tokens = new Map()));
  let t = tokens.get(raw);
  if (t !== undefined) return t;
  const out: (string | Token)[] = [];
  let ids = false;
  for (const piece of raw.split(SEPARATORS)) {
    if (piece === '') continue;
    let tok: Token | null = null;
    const boundary = boundaryOfConnection(piece);
    const req = boundary === null ? parseRequestId(piece) : null;
    if (boundary !== null) tok = { kind: 'conn', boundary, raw: piece };
    else if (req && shape.reqTiers.has(req.prefix)) tok = { kind: 'req', prefix: req.prefix, client: req.copy, k: String(req.n) };
    else if (piece.includes('.') && !piece.includes('>') && shape.copyTiers.has(tierOf(piece)) && copyOf(piece) > 0)
      tok = { kind: 'inst', tier: tierOf(piece), copy: copyOf(piece) };
    if (tok) ids = true;
    out.push(tok ?? piece);
  }
  t = ids ? out : null;
  if (tokens.size < 200_000) tokens.set(raw, t);
  return t;
}

/** One renaming: a permutation of clients and instances, and the names given so far. */
export class Renamer {
  readonly conns = new Map<string, string>();
  readonly counters = new Map<string, number>();
  /** old copy -> new copy (1-based; index 0 unused). */
  readonly cperm: number[];
  readonly iperm: number[];
  constructor(
    readonly shape: Shape,
    readonly symmetry: boolean,
    perm: Permutation,
  ) {
    this.cperm = [0, ...perm.c];
    this.iperm = [0, ...perm.i];
  }
  conn(raw: string, boundary: string): string {
    let c = this.conns.get(raw);
    if (c === undefined) {
      const k = (this.counters.get(boundary) ?? 0) + 1;
      this.counters.set(boundary, k);
      c = `${boundary}#${k}`;
      this.conns.set(raw, c);
    }
    return c;
  }
  copyOf(tier: string, copy: number): number {
    if (!this.symmetry) return copy;
    return tier === this.shape.clientTier ? (this.cperm[copy] ?? copy) : (this.iperm[copy] ?? copy);
  }
  name(raw: string): string {
    const parts = parse(this.shape, raw);
    if (parts === null) return raw;
    let out = '';
    for (const t of parts) {
      if (typeof t === 'string') out += t;
      else if (t.kind === 'conn') out += this.conn(t.raw, t.boundary);
      else if (!this.symmetry) out += t.kind === 'req' ? `${t.prefix}${t.client}.${t.k}` : `${t.tier}.${t.copy}`;
      else if (t.kind === 'req') out += `${t.prefix}${this.copyOf(this.shape.reqTiers.get(t.prefix)!, t.client)}.${t.k}`;
      else out += `${t.tier}.${this.copyOf(t.tier, t.copy)}`;
    }
    return out;
  }
}

export function walk(v: unknown, r: Renamer, out: Sink, sortKeys: boolean): void {
  if (typeof v === 'string') return out.str(r.name(v));
  if (typeof v === 'number') return out.num(v);
  if (typeof v === 'boolean') return out.num(v ? TAG.t : TAG.f);
  if (v === null) return out.num(TAG.nul);
  if (v === undefined) return out.num(TAG.undef);
  if (Array.isArray(v)) {
    out.num(TAG.arr);
    out.num(v.length);
    for (const x of v) walk(x, r, out, sortKeys);
    return;
  }
  const o = v as Record<string, unknown>;
  out.num(TAG.obj);
  if (sortKeys) {
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .map((k) => [r.name(k), k] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    for (const [name, k] of keys) {
      out.str(name);
      walk(o[k], r, out, sortKeys);
    }
  } else {
    for (const k in o) {
      const x = o[k];
      if (x === undefined) continue;
      out.str(k);
      walk(x, r, out, sortKeys);
    }
  }
  out.num(TAG.end);
}

/**
 * A tier machine's context, with the numbers that name clients, instances or
 * workers renamed as its descriptor's `ids` say. Parameters and branching are
 * the same for every state of an instance: left out.
 */
export function walkContext(id: string, ctx: Record<string, unknown>, r: Renamer, out: Sink): void {
  const roles = r.shape.roles.get(id)!;
  const fleet = r.shape.fleet.has(id);
  const workers = r.symmetry && fleet ? new Map<number, number>() : null;
  const renumber = (role: IdField['role'] | undefined, v: unknown): boolean => {
    if (typeof v !== 'number') return false;
    if (role === 'ownCopy') out.num(r.copyOf(tierOf(id), v));
    else if (role === 'instanceIndex' && r.symmetry) out.num(r.iperm[v + 1]! - 1);
    else if (role === 'worker' && workers) {
      let k = workers.get(v);
      if (k === undefined) workers.set(v, (k = workers.size));
      out.num(k);
    } else return false;
    return true;
  };
  out.num(TAG.obj);
  for (const k in ctx) {
    if (k === 'params' || k === 'branching') continue;
    const v = ctx[k];
    if (v === undefined) continue;
    const role = roles.scalar.get(k);
    // A fleet's rotation offset only permutes which branch names which worker; every branch is explored.
    if (role === 'ignore' && fleet) continue;
    out.str(k);
    if (renumber(role, v)) continue;
    const itemRole = roles.scalar.get(`${k}[]`);
    const elementRoles = roles.element.get(k);
    if (itemRole && Array.isArray(v)) {
      out.num(TAG.arr);
      out.num(v.length);
      for (const x of v) if (!renumber(itemRole, x)) walk(x, r, out, false);
    } else if (elementRoles && Array.isArray(v)) {
      out.num(TAG.arr);
      out.num(v.length);
      for (const x of v as Record<string, unknown>[]) {
        out.num(TAG.obj);
        for (const f in x) {
          out.str(f);
          if (!renumber(elementRoles.get(f), x[f])) walk(x[f], r, out, false);
        }
        out.num(TAG.end);
      }
    } else walk(v, r, out, false);
  }
  out.num(TAG.end);
}

