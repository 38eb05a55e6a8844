import type { SystemModel } from '../../models/system.js';
import { Hash64, StringSink, type Sink } from './fingerprint.js';
import { Renamer, TAG, walk, walkContext } from './renaming.js';
import type { SystemState } from './state.js';
import { candidatePerms, identityPermutation, shapeOf } from './symmetry.js';
import { lexLess, permuteZone } from './zoneOrder.js';

export { symmetryGroups } from './symmetry.js';
export { permuteZone, unpermuteZone } from './zoneOrder.js';

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
  const perms = options.symmetry ? candidatePerms(shape, input.state) : [identityPermutation(shape)];
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

export interface CanonicalInput {
  state: SystemState;
  timing: Timing | null;
  monitors: readonly unknown[];
}

const hasher = new Hash64();

/** The canonical form as a string (the one with the smallest hash): for tests and debugging. */
export function canonicalString(model: SystemModel, input: CanonicalInput, options: CanonicalOptions): string {
  const shape = shapeOf(model);
  const perms = options.symmetry ? candidatePerms(shape, input.state) : [identityPermutation(shape)];
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

