import { boundaryOfConnection, copyOf, instanceId, parseRequestId, tierOf } from '../../models/ids.js';
import type { IdField } from '../../models/machines/index.js';
import type { SystemModel } from '../../models/system.js';
import { Hash64, StringSink, type Sink } from './fingerprint.js';
import type { SystemState } from './state.js';

/**
 * Canonical forms of system states, for exhaustive search.
 *
 * Two states that differ only in the names the kernel happened to hand out
 * behave the same: connection numbers (`gateway>nlb#7` vs `#2`), message
 * sequence numbers, the order of messages on different channels, and, under
 * symmetry reduction, which client, which instance behind the load balancer
 * and which gateway worker is which. A canonical form writes a state with
 * fresh names given in a fixed traversal order, so that such states write
 * the same, and is streamed into a 64-bit hash (or a string, for tests).
 *
 * What is renamed, and how:
 * - connection ids: renumbered per boundary in order of first appearance
 *   (tier contexts in model order, then messages, timers, connections,
 *   request origins, monitor snapshots); the kernel's counter for a boundary
 *   becomes the number of names given, so the next connection id is fresh;
 * - message sequence numbers: dropped; messages are written grouped by
 *   channel (per-channel order is kept: TCP is FIFO), channels in canonical order;
 * - with symmetry: client copies, per-instance tier copies (one permutation
 *   for all per-instance tiers: an instance is a column of tiers) and, inside
 *   a `fleet` proxy, worker numbers (relabelled by first appearance). Request
 *   ids `r<client>.<k>`, instance ids `tier.<copy>`, client `index`, load
 *   balancer flow targets and proxy workers follow the permutation. The form
 *   is the one, over the permutations that respect a cheap per-copy signature,
 *   with the smallest hash: a function of the orbit, not of the member.
 * Times are not written here: the caller passes the clock/zone part (see
 * `Timing`), which is written in the canonical order of messages and timers.
 *
 * Soundness rests on two facts, tested in test/exhaustive: the kernel and
 * the tier machines treat ids as opaque names (they compare them, never order
 * them by number), and everything that is not renamed is written verbatim.
 */

/**
 * The clock part of a symbolic state, written in canonical order: for each
 * pending message (state order) its guard clock, deadline clock, earliest
 * offset and deadline bound; for each timer (state order) its clock and delay;
 * and the zone over those clocks (dimension n, matrix d, clock 0 the reference).
 */
export interface Timing {
  pend: Int32Array;
  tim: Int32Array;
  n: number;
  d: Int32Array;
}

export interface CanonicalOptions {
  symmetry: boolean;
  /** Write the zone too (default). Without it the form is the discrete state and clock references only. */
  zone?: boolean;
}

/** A canonical fingerprint, and the canonical order of the clocks: order[k] is the clock written k-th (order[0] = 0). */
export interface CanonicalForm {
  hi: number;
  lo: number;
  order: number[];
}

const TAG = { arr: -1001, obj: -1002, nul: -1003, undef: -1004, t: -1005, f: -1006, end: -1007, sec: -1008 } as const;

type Token =
  | { kind: 'conn'; boundary: string; raw: string }
  | { kind: 'req'; prefix: string; client: number; k: string }
  | { kind: 'inst'; tier: string; copy: number };

/** A string cut into literal text and id tokens (`idle:gateway>nlb#3`, `r1.2@client.1`); null: no ids at all. */
type Parsed = (string | Token)[] | null;

/** How a machine's context fields are renamed: scalar fields, and fields of the elements of array fields. */
interface FieldRoles {
  scalar: Map<string, IdField['role']>;
  element: Map<string, Map<string, IdField['role']>>;
}

function rolesOf(ids: readonly IdField[]): FieldRoles {
  const roles: FieldRoles = { scalar: new Map(), element: new Map() };
  for (const { path, role } of ids) {
    const [field, sub] = path.split('[].') as [string, string | undefined];
    if (sub === undefined) roles.scalar.set(field, role);
    else {
      let m = roles.element.get(field);
      if (!m) roles.element.set(field, (m = new Map()));
      m.set(sub, role);
    }
  }
  return roles;
}

type Signature = (value: unknown, context: Readonly<Record<string, unknown>>) => string;

/** Symmetry structure of a model, computed once. */
interface Shape {
  clientTier: string;
  /** Request-id prefix (`r`, `h`) -> the tier whose copies send them. */
  reqTiers: Map<string, string>;
  clients: number;
  copyTiers: Set<string>;
  instances: number;
  /** Instance ids in model order. */
  ids: string[];
  /** Per instance id: how its machine's context names copies, targets and workers (its descriptor's `ids`). */
  roles: Map<string, FieldRoles>;
  /** Instances whose workers are interchangeable (a fleet): worker numbers are relabelled by first appearance. */
  fleet: Set<string>;
  /** Per instance id: its descriptor's name-independent signature of a requester's state, if any. */
  signature: Map<string, Signature>;
  perms: { c: number[]; i: number[] }[];
  tokens: Map<string, Parsed>;
}

const shapes = new WeakMap<SystemModel, Shape>();

function permutations(n: number): number[][] {
  if (n <= 1) return [Array.from({ length: n }, (_, i) => i + 1)];
  const out: number[][] = [];
  for (const p of permutations(n - 1))
    for (let k = 0; k <= p.length; k++) out.push([...p.slice(0, k), n, ...p.slice(k)]);
  return out;
}

function shapeOf(model: SystemModel): Shape {
  let s = shapes.get(model);
  if (s) return s;
  const clientTier = model.topology.tiers[0]!.name;
  const copyTiers = new Set(model.instances.filter((i) => i.copy > 0).map((i) => i.tier.name));
  const reqTiers = new Map<string, string>();
  for (const i of model.instances) {
    const prefix = i.descriptor.requestPrefix?.(i.tier.params);
    if (prefix !== undefined) reqTiers.set(prefix, i.tier.name);
  }
  const fleet = new Set(model.instances.filter((i) => (i.descriptor.workers?.(i.tier.params) ?? null) !== null).map((i) => i.id));
  const hasPerInstance = model.instances.some((i) => i.copy > 0 && i.tier.name !== clientTier);
  const instances = hasPerInstance ? model.topology.instances : 1;
  const perms: Shape['perms'] = [];
  for (const c of permutations(model.clients)) for (const i of permutations(instances)) perms.push({ c, i });
  const signature = new Map<string, Signature>();
  for (const i of model.instances) if (i.descriptor.signature) signature.set(i.id, i.descriptor.signature);
  s = {
    clientTier,
    reqTiers,
    clients: model.clients,
    copyTiers,
    instances,
    ids: model.instances.map((i) => i.id),
    roles: new Map(model.instances.map((i) => [i.id, rolesOf(i.descriptor.ids)])),
    fleet,
    signature,
    perms,
    tokens: new Map(),
  };
  shapes.set(model, s);
  return s;
}

const SEPARATORS = /([:@|,;/\s()]+)/;

function parse(shape: Shape, raw: string): Parsed {
  let t = shape.tokens.get(raw);
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
  if (shape.tokens.size < 200_000) shape.tokens.set(raw, t);
  return t;
}

/** One renaming: a permutation of clients and instances, and the names given so far. */
class Renamer {
  readonly conns = new Map<string, string>();
  readonly counters = new Map<string, number>();
  /** old copy -> new copy (1-based; index 0 unused). */
  readonly cperm: number[];
  readonly iperm: number[];
  constructor(
    readonly shape: Shape,
    readonly symmetry: boolean,
    perm: { c: number[]; i: number[] },
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

function walk(v: unknown, r: Renamer, out: Sink, sortKeys: boolean): void {
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
function walkContext(id: string, ctx: Record<string, unknown>, r: Renamer, out: Sink): void {
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

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Writes one canonical form of `state` under one renaming. */
function writeState(
  model: SystemModel,
  state: SystemState,
  timing: Timing | null,
  monitors: readonly unknown[],
  r: Renamer,
  out: Sink,
  withZone = true,
): number[] {
  const shape = r.shape;
  // 1. tier instances, in canonical order: the instance now called ids[p] is the raw one mapped onto it.
  const rawAt = new Map<string, string>();
  for (const id of shape.ids) rawAt.set(r.name(id), id);
  for (const id of shape.ids) {
    const raw = rawAt.get(id)!;
    const inst = state.instances[raw]!;
    out.str(id);
    walk(inst.value, r, out, false);
    walkContext(raw, inst.context, r, out);
  }
  // 2. messages, grouped by channel in canonical channel order, FIFO within a channel.
  out.num(TAG.sec);
  const pending = state.pending;
  const chans = pending.map((p, i) => ({ i, key: `${r.name(p.conn)}|${r.name(p.from)}|${r.name(p.to)}` }));
  chans.sort((a, b) => cmp(a.key, b.key) || a.i - b.i);
  const clockName = new Map<number, number>();
  const clock = (c: number) => {
    let k = clockName.get(c);
    if (k === undefined) clockName.set(c, (k = clockName.size + 1));
    return k;
  };
  out.num(pending.length);
  for (const { i, key } of chans) {
    const p = pending[i]!;
    out.str(key);
    walk(p.wire, r, out, false);
    if (timing) {
      out.num(clock(timing.pend[4 * i]!));
      out.num(clock(timing.pend[4 * i + 1]!));
      out.num(timing.pend[4 * i + 2]!);
      out.num(timing.pend[4 * i + 3]!);
    }
  }
  // 3. timers, by (instance, key).
  out.num(TAG.sec);
  const timers = state.timers.map((t, i) => ({ i, key: `${r.name(t.instance)}|${r.name(t.key)}` }));
  timers.sort((a, b) => cmp(a.key, b.key));
  out.num(timers.length);
  for (const { i, key } of timers) {
    out.str(key);
    if (timing) {
      out.num(clock(timing.tim[2 * i]!));
      out.num(timing.tim[2 * i + 1]!);
    }
  }
  // 4. connections, by canonical id.
  out.num(TAG.sec);
  const conns = Object.keys(state.conns).map((raw) => ({ raw, id: r.name(raw) }));
  conns.sort((a, b) => cmp(a.id, b.id));
  out.num(conns.length);
  for (const { raw, id } of conns) {
    const c = state.conns[raw]!;
    out.str(id);
    out.num(c.path.length);
    for (const x of c.path) out.str(r.name(x));
    const done = c.done.map((x) => r.name(x)).sort(cmp);
    out.num(done.length);
    for (const x of done) out.str(x);
  }
  // 5. request origins, by canonical request id.
  out.num(TAG.sec);
  const origins = Object.keys(state.origins).map((raw) => ({ raw, id: r.name(raw) }));
  origins.sort((a, b) => cmp(a.id, b.id));
  out.num(origins.length);
  for (const { raw, id } of origins) {
    out.str(id);
    out.str(r.name(state.origins[raw]!));
  }
  // 6. monitor snapshots: objects are maps keyed by ids (renamed, then sorted), arrays are sequences.
  out.num(TAG.sec);
  out.num(monitors.length);
  for (const m of monitors) walk(m, r, out, true);
  // 7. the kernel's connection counters, now the number of names given per boundary.
  out.num(TAG.sec);
  const boundaries = [...r.counters.keys()].sort(cmp);
  for (const b of boundaries) {
    out.str(b);
    out.num(r.counters.get(b)!);
  }
  // 8. the zone, clocks in canonical order.
  out.num(TAG.sec);
  const order = [0];
  for (const [raw, k] of clockName) order[k] = raw;
  if (timing && withZone) {
    const n = timing.n;
    out.num(n);
    for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) out.num(timing.d[order[a]! * n + order[b]!]!);
  }
  return order;
}

/** The zone's matrix with its clocks in `order`. */
export function permuteZone(n: number, d: Int32Array, order: readonly number[]): Int32Array {
  const out = new Int32Array(n * n);
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) out[a * n + b] = d[order[a]! * n + order[b]!]!;
  return out;
}

/** The inverse: a matrix in canonical order back to the clocks of a state whose canonical order is `order`. */
export function unpermuteZone(n: number, d: Int32Array, order: readonly number[]): Int32Array {
  const out = new Int32Array(n * n);
  for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) out[order[a]! * n + order[b]!] = d[a * n + b]!;
  return out;
}

function lexLess(a: Int32Array, b: Int32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

/**
 * The canonical fingerprint of a state and its clocks' canonical order. With
 * symmetry, the smallest fingerprint over the permutations that respect the
 * copies' signatures; when the zone is not hashed, ties (symmetric states)
 * go to the permutation that writes the zone smallest, so that zones of
 * equal fingerprints line up clock for clock.
 */
export function canonicalForm(model: SystemModel, input: CanonicalInput, options: CanonicalOptions): CanonicalForm {
  const shape = shapeOf(model);
  const withZone = options.zone !== false;
  const identity = { c: Array.from({ length: shape.clients }, (_, k) => k + 1), i: Array.from({ length: shape.instances }, (_, k) => k + 1) };
  const perms = options.symmetry ? candidatePerms(shape, input.state) : [identity];
  let best: CanonicalForm | null = null;
  let bestZone: Int32Array | null = null;
  for (const perm of perms) {
    hasher.reset();
    const order = writeState(model, input.state, input.timing, input.monitors, new Renamer(shape, options.symmetry, perm), hasher, withZone);
    const [hi, lo] = hasher.digest();
    if (best === null || hi < best.hi || (hi === best.hi && lo < best.lo)) {
      best = { hi, lo, order };
      bestZone = null;
    } else if (hi === best.hi && lo === best.lo && !withZone && input.timing) {
      const t = input.timing;
      bestZone ??= permuteZone(t.n, t.d, best.order);
      const z = permuteZone(t.n, t.d, order);
      if (lexLess(z, bestZone)) {
        best = { hi, lo, order };
        bestZone = z;
      }
    }
  }
  return best!;
}

/** Signatures of each client copy and instance copy that do not depend on names: they prune permutations. */
function signatures(state: SystemState, shape: Shape): { c: string[]; i: string[] } {
  const c: string[] = [];
  const i: string[] = [];
  for (let k = 1; k <= shape.clients; k++) {
    const id = instanceId(shape.clientTier, k);
    const inst = state.instances[id];
    const sign = shape.signature.get(id);
    c.push(inst && sign ? sign(inst.value, inst.context) : genericSignature([id], state));
  }
  for (let k = 1; k <= shape.instances; k++)
    i.push(genericSignature(shape.ids.filter((id) => copyOf(id) === k && tierOf(id) !== shape.clientTier), state));
  return { c, i };
}

/** The sizes of every list in the instances' contexts, and their state values: nothing here depends on names. */
function genericSignature(ids: readonly string[], state: SystemState): string {
  const parts: string[] = [];
  for (const id of ids) {
    const inst = state.instances[id];
    if (!inst) continue;
    for (const f in inst.context) {
      const v = inst.context[f];
      if (Array.isArray(v)) parts.push(`${f}:${v.length}`);
    }
    parts.push(JSON.stringify(inst.value));
  }
  return parts.join(',');
}

/** Permutations (old copy -> new copy) that put copies in signature order. */
function candidatePerms(shape: Shape, state: SystemState): { c: number[]; i: number[] }[] {
  if (shape.perms.length === 1) return shape.perms;
  const sig = signatures(state, shape);
  const ok = (perm: number[], s: string[]) => {
    // the copy renamed k must have a signature <= the one renamed k+1
    const inv: number[] = [];
    perm.forEach((to, from) => (inv[to] = from));
    for (let k = 1; k < perm.length; k++) if (s[inv[k]!]! > s[inv[k + 1]!]!) return false;
    return true;
  };
  return shape.perms.filter((p) => ok(p.c, sig.c) && ok(p.i, sig.i));
}

export interface CanonicalInput {
  state: SystemState;
  timing: Timing | null;
  monitors: readonly unknown[];
}

const hasher = new Hash64();

/** The canonical form as a string (the one with the smallest hash): for tests and debugging. */
export function canonicalString(model: SystemModel, input: CanonicalInput, options: CanonicalOptions): string {
  const shape = shapeOf(model);
  const identity = { c: Array.from({ length: shape.clients }, (_, k) => k + 1), i: Array.from({ length: shape.instances }, (_, k) => k + 1) };
  const perms = options.symmetry ? candidatePerms(shape, input.state) : [identity];
  let best: { h: [number, number]; s: string } | null = null;
  for (const perm of perms) {
    const s = new StringSink();
    writeState(model, input.state, input.timing, input.monitors, new Renamer(shape, options.symmetry, perm), s);
    hasher.reset();
    writeState(model, input.state, input.timing, input.monitors, new Renamer(shape, options.symmetry, perm), hasher);
    const h = hasher.digest();
    if (best === null || h[0] < best.h[0] || (h[0] === best.h[0] && h[1] < best.h[1])) best = { h, s: s.toString() };
  }
  return best!.s;
}

/** How many symmetric copies the model has: clients, instances, fleet workers (for reports). */
export function symmetryGroups(model: SystemModel): { clients: number; instances: number; fleetWorkers: number } {
  const shape = shapeOf(model);
  const fleetWorkers = model.instances
    .filter((i) => shape.fleet.has(i.id))
    .reduce((n, i) => n + (i.descriptor.workers?.(i.tier.params) ?? 0), 0);
  return { clients: shape.clients, instances: shape.instances, fleetWorkers };
}
