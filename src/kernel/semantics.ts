import { instanceId } from '../../models/ids.js';
import { REQUESTER_ROLES } from '../../models/machines/descriptor.js';
import type { Effect, TierEvent } from '../../models/machines/vocabulary.js';
import { stepMachine } from './machineStep.js';
import type { InstanceState, Pending, Wire } from './state.js';
import type { KernelStore, TraceFields } from './store.js';
import { boundaryOf, connEvent, neighbour, nextConnFor } from './wire.js';

/**
 * The kernel's semantics, once, for every driver: how a machine's effects
 * become connections, wire messages, timers and trace events; that TCP keeps
 * each direction of a connection in order; that data reaching an end that
 * has closed is answered with an RST; when a connection is forgotten. `check`
 * and exhaustive search run these over immutable states (step.ts), the
 * simulation over its mutable event-queue state (src/simulate): the same
 * functions, so the same semantics.
 */

function log(store: KernelStore, type: Parameters<KernelStore['log']>[0], at: string, fields: TraceFields) {
  if (store.tracing) store.log(type, at, fields);
}

function originOf(store: KernelStore, req: string | undefined): string | undefined {
  return req === undefined ? undefined : store.origin(req);
}

/** What a `send` or `recv` trace event says about a request or response on the wire. */
function messageFields(store: KernelStore, m: Extract<Wire, { kind: 'request' | 'response' }>): TraceFields {
  return {
    msg: m.kind,
    req: m.req,
    method: m.kind === 'request' ? m.method : undefined,
    origin: originOf(store, m.req),
    status: m.kind === 'response' ? m.status : undefined,
    close: m.kind === 'response' && m.close ? true : undefined,
  };
}

/** Puts a message on the wire within `latency` from now, never ahead of an earlier one in the same direction. */
function enqueue(store: KernelStore, conn: string, from: string, to: string, wire: Wire, latency: readonly [number, number], ownLatency = false) {
  let earliest = store.clock + latency[0];
  let latest = store.clock + latency[1];
  // TCP is FIFO per direction: never let a later message overtake an earlier one.
  const last = store.lastOnChannel(conn, from, to);
  if (last) {
    earliest = Math.max(earliest, last.earliest);
    latest = Math.max(latest, last.latest);
  }
  store.addPending({ seq: store.nextSeq(), conn, from, to, wire, earliest, latest }, ownLatency);
}

/** `instance` is done with `connId`; forget the connection once every end is and nothing is left on the wire. */
function markDone(store: KernelStore, connId: string, instance: string) {
  const c = store.conn(connId);
  if (!c || c.done.includes(instance)) return;
  const done = [...c.done, instance];
  if (done.length >= c.path.length && !store.hasPending(connId)) store.deleteConn(connId);
  else store.setConn({ ...c, done });
}

function forgetIfFinished(store: KernelStore, connId: string) {
  const c = store.conn(connId);
  if (c && c.done.length >= c.path.length && !store.hasPending(connId)) store.deleteConn(connId);
}

/** Runs `event` through the instance's machine and carries out the effects it emits, in order. */
export function react(store: KernelStore, instance: string, event: TierEvent) {
  const { before, next, effects } = reactFirst(store, instance, event);
  applyEffects(store, instance, event, before, next, effects);
}

/** The machine's half of a reaction: it steps, its new state is kept; its effects are returned, not yet carried out. */
function reactFirst(store: KernelStore, instance: string, event: TierEvent) {
  store.onReact?.(instance, event);
  const spec = store.model.byId.get(instance)!;
  const before = store.instance(instance);
  const taken = store.onTaken ? [] : undefined;
  const { next, effects } = stepMachine(spec.machine, before, event, taken);
  store.setInstance(instance, next);
  if (taken) store.onTaken!(instance, taken);
  return { before, next, effects };
}

/** The kernel's half: the effects carried out in order. */
function applyEffects(store: KernelStore, instance: string, event: TierEvent, before: InstanceState, next: InstanceState, effects: readonly Effect[]) {
  for (const e of effects) applyEffect(store, instance, event, e);
  store.onReaction?.(instance, before, next);
}

/** Carries out one effect `at` emitted while reacting to `cause`. An effect type the kernel does not know is an error, never ignored. */
export function applyEffect(store: KernelStore, at: string, cause: TierEvent, e: Effect) {
  store.onEffect?.(at, cause, e);
  const model = store.model;
  const latency = model.topology.latency;
  switch (e.type) {
    case 'open': {
      if (e.conn !== cause.nextConn) throw new Error(`${at} opened ${e.conn}, expected ${cause.nextConn}`);
      const boundary = boundaryOf(model, at)!;
      const peer = model.nextHop(at)!;
      store.setCounter(boundary, store.counter(boundary) + 1);
      store.setConn({ id: e.conn, path: [at, peer], done: [] });
      log(store, 'connect', at, { peer, conn: e.conn, req: e.req, origin: originOf(store, e.req), detail: e.detail });
      enqueue(store, e.conn, at, peer, { kind: 'syn' }, latency);
      return;
    }
    case 'passThrough': {
      const c = store.conn(e.conn)!;
      const peer = model.nextHop(at, e.target)!;
      store.setConn({ ...c, path: [...c.path, peer] });
      log(store, 'connect', at, { peer, conn: e.conn, detail: `target ${e.target + 1}` });
      enqueue(store, e.conn, at, peer, { kind: 'syn' }, latency);
      return;
    }
    case 'send': {
      const c = store.conn(e.conn);
      const peer = c && neighbour(c, at, e.to);
      if (!c || !peer) throw new Error(`${at} sent on ${e.conn}, which has no ${e.to} side`);
      const m = e.msg;
      if (m.kind === 'request' && c.path[0] === at && REQUESTER_ROLES.has(model.byId.get(at)!.descriptor.role)) store.setOrigin(m.req, e.conn);
      if (store.tracing)
        store.log('send', at, { peer, conn: e.conn, ...messageFields(store, m) });
      enqueue(store, e.conn, at, peer, m, e.latency ?? latency, e.latency !== undefined);
      return;
    }
    case 'close':
    case 'reset': {
      const c = store.conn(e.conn);
      const peer = c && neighbour(c, at, e.to);
      if (!c || !peer) throw new Error(`${at} closed ${e.conn}, which has no ${e.to} side`);
      log(store, e.type, at, { peer, conn: e.conn, detail: e.detail });
      // A refused RST tells the opener that nothing listens there (it may try again).
      const wire: Wire = e.type === 'close' ? { kind: 'fin' } : e.refused ? { kind: 'rst', refused: true } : { kind: 'rst' };
      enqueue(store, e.conn, at, peer, wire, latency);
      markDone(store, e.conn, at);
      return;
    }
    case 'notify': {
      // The control plane: delivered at once, to a shared tier (a load balancer), as an event of its own.
      const to = instanceId(e.to, 0);
      if (!model.byId.has(to)) throw new Error(`${at} notified ${e.to}, which is not a shared tier of this topology`);
      log(store, 'notify', at, { peer: to, detail: e.detail });
      react(store, to, { type: 'NOTIFY', what: 'targetHealth', target: e.target, healthy: e.healthy, from: at, pick: 0, nextConn: nextConnFor(model, store, to) });
      return;
    }
    case 'setTimer':
      store.setTimer(at, e.key, store.clock + e.after);
      return;
    case 'cancelTimer':
      store.cancelTimer(at, e.key);
      return;
    case 'log':
      log(store, e.what, at, { conn: e.conn, req: e.req, origin: originOf(store, e.req), status: e.status, detail: e.detail });
      return;
    default:
      throw new Error(`${at} emitted an effect the kernel does not know: ${JSON.stringify(e)} (models/machines/vocabulary.ts lists the effects)`);
  }
}

/** Delivers a message in flight to its receiver; an end that has closed answers data with an RST and drops FIN and RST. */
export function deliver(store: KernelStore, p: Pending, pick: number) {
  store.removePending(p);
  const c = store.conn(p.conn);
  const w = p.wire;
  if (!c || c.done.includes(p.to)) {
    if (w.kind === 'fin' || w.kind === 'rst') {
      log(store, w.kind === 'fin' ? 'closed' : 'aborted', p.to, { peer: p.from, conn: p.conn, detail: 'already closed here' });
    } else {
      log(store, 'reset', p.to, { peer: p.from, conn: p.conn, req: 'req' in w ? w.req : undefined, detail: `${w.kind} arrived after this end closed` });
      if (c) enqueue(store, p.conn, p.to, p.from, { kind: 'rst' }, store.model.topology.latency);
    }
    if (c) forgetIfFinished(store, p.conn);
    return;
  }
  const event = connEvent(store.model, store, p, pick);
  const fields = { peer: p.from, conn: p.conn };
  if (store.tracing) {
    if (w.kind === 'fin') store.log('closed', p.to, fields);
    else if (w.kind === 'rst') store.log('aborted', p.to, w.refused ? { ...fields, detail: 'connection refused' } : fields);
    else if (w.kind !== 'syn')
      store.log('recv', p.to, { ...fields, ...messageFields(store, w) });
  }
  const r = reactFirst(store, p.to, event);
  // A handshake is accepted unless the tier refused it (an RST answering the SYN); logged before what the tier did in reply.
  if (w.kind === 'syn' && store.tracing && !r.effects.some((e) => e.type === 'reset' && e.refused === true && e.conn === p.conn)) store.log('accept', p.to, fields);
  applyEffects(store, p.to, event, r.before, r.next, r.effects);
  if (w.kind === 'fin' || w.kind === 'rst') markDone(store, p.conn, p.to);
  forgetIfFinished(store, p.conn);
}

/**
 * A control-plane event from outside the pipeline (a simulation scenario's
 * operator: a target marked unhealthy, a throttle changed) reaches the shared
 * instance `to` at once, as a health checker's `notify` does. `check` has no
 * occurrence for it: only a simulation sends one, and never inside a trace
 * window.
 */
export function control(store: KernelStore, to: string, event: Extract<TierEvent, { type: 'NOTIFY' | 'THROTTLE' }>) {
  log(store, 'notify', event.from, { peer: to, detail: event.type === 'THROTTLE' ? `throttle ${event.rate ?? 'off'}` : `target ${event.target + 1} ${event.healthy ? 'healthy' : 'unhealthy'}` });
  react(store, to, event);
}

/** A timer fires at its deadline. */
export function fire(store: KernelStore, instance: string, key: string) {
  store.cancelTimer(instance, key);
  log(store, 'timer', instance, { key });
  react(store, instance, { type: 'TIMER', key, pick: 0, nextConn: nextConnFor(store.model, store, instance) });
}

/** A requester acts: a client sends its next request, a health checker starts. */
export function act(store: KernelStore, client: string, pick: number) {
  react(store, client, { type: 'ACT', pick, nextConn: nextConnFor(store.model, store, client) });
}
