import { InputError } from '../../models/inputError.js';
import { tierOf } from '../../models/ids.js';
import { passesThrough } from '../../models/system.js';
import type { Topology } from '../../models/topologies/topology.js';
import type { Violation } from '../explore/property.js';
import type { TraceEvent } from '../kernel/events.js';
import { Arrows } from './arrows.js';
import { collapseRepeats } from './collapse.js';
import { ConnectionLedger } from './connections.js';
import { lanesOf, type Lane, type LaneNames, type LaneSet } from './lanes.js';
import { noteLine, type NoteContext } from './notes.js';
import type { Box, SequenceDiagram, SequenceItem } from './sequenceModel.js';

export interface SequenceOptions {
  /**
   * Draw only these participants, by participant or tier name (`JMETER`,
   * `APIGW`, `EC2`, `connQueue`); the others are collapsed: an arrow then
   * runs from one drawn participant to the next one the message reaches.
   * Default: every tier, and the instance entry (EC2).
   */
  participants?: readonly string[];
  /** Name lifelines as the seed did (`JMETER`, `APIGW`; the default) or by tier (`client`, `gateway`). */
  names?: LaneNames;
  /** Draw only the first N client requests: the diagram stops where request N+1 starts. */
  maxRequests?: number;
  /** Show connection ids on arrows and notes, and request ids on arrows and dividers. */
  ids?: boolean;
  /** Notes for queueing, activation, timeouts, resets, Connection: close and closes (default true). */
  notes?: boolean;
  title?: string | null;
  /**
   * Frame each instance's participants, labelled with this (`{n}` is the
   * instance number); null for no frames. Default: `<EC2> instance {n}`.
   */
  instanceBox?: string | null;
  /** A property violation to mark, as a note after the step that broke it. */
  violation?: Violation | null;
  /** The `violation` is a witness of a reachability property: the note says it was reached. */
  witness?: boolean;
  /**
   * Leave out requests that repeat the one before them (a queue filled by 15
   * identical requests), keeping the first and last of each run and one line
   * for the rest, so that a long counterexample's violation stays in the
   * picture (see collapse.ts). Default false.
   */
  collapse?: boolean;
}

/** 1 -> `1st`, 2 -> `2nd`, 11 -> `11th`, 23 -> `23rd`. */
export function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th';
  return `${n}${suffix}`;
}

const isClientRequest = (topology: Topology, e: TraceEvent) =>
  e.type === 'send' && e.msg === 'request' && tierOf(e.at) === topology.tiers[0]!.name;

/** The events up to (not including) the start of request `max + 1`. */
function firstRequests(topology: Topology, events: readonly TraceEvent[], max: number | undefined): readonly TraceEvent[] {
  if (max === undefined) return events;
  if (!Number.isInteger(max) || max < 1) throw new InputError(`the number of requests to draw must be a whole number >= 1, found ${max}`);
  let seen = 0;
  const cut = events.findIndex((e) => isClientRequest(topology, e) && ++seen > max);
  return cut < 0 ? events : events.slice(0, cut);
}

/**
 * Draws a trace as a sequence diagram, as the seed drew its own: one lifeline
 * per participant in pipeline order, a divider per client request, each
 * arrow labelled with the number of TCP connections open on its hop at that
 * moment ("2 TCP conn."), bold where the hop had to open a new connection,
 * and notes for what happened at a participant. How arrows cross
 * participants that are not drawn: see `Arrows`.
 */
export function sequenceDiagram(topology: Topology, allEvents: readonly TraceEvent[], options: SequenceOptions = {}): SequenceDiagram {
  const events = firstRequests(topology, allEvents, options.maxRequests);
  const lanes = lanesOf(topology, allEvents, options.participants, options.names);
  const ids = options.ids ?? false;
  const tierIndex = (instance: string) => topology.tiers.findIndex((t) => t.name === tierOf(instance));
  const ledger = new ConnectionLedger(tierIndex);
  const clients = new Set(allEvents.filter((e) => isClientRequest(topology, e)).map((e) => e.at));
  // With several clients, requests interleave: each arrow says whose it is (see Arrows).
  const lane = (key: string): Lane => lanes.byKey.get(key)!;
  const passThrough = new Set(topology.tiers.filter(passesThrough).map((t) => t.name));
  const noteContext: NoteContext = {
    ids,
    labelOf: (i) => lanes.byKey.get(i)?.label ?? i,
    isUpstream: (at, peer) => tierIndex(peer) > tierIndex(at),
    passesThrough: (i) => passThrough.has(tierOf(i)),
  };

  const items: (SequenceItem | null)[] = [];
  const arrows = new Arrows(lanes, ledger, items, { ids, requests: clients.size > 1 });
  const requestsOf = new Map<string, number>();
  let lastNote: { step: number; lane: string; item: SequenceItem & { kind: 'note' } } | null = null;
  let idle = new Map<string, TraceEvent>();
  let idleStep = -1;

  // A close towards a participant that is not drawn matters only if the hop leads on to one that is
  // (further along the pipeline, on the same instance): NGINX closing its NODE connection does not
  // matter in a diagram that stops at NGINX; ConnCtrl closing the NLB's does, when APIGW is drawn.
  const drawnHop = (e: TraceEvent) => {
    const peer = e.peer === undefined ? undefined : lanes.byKey.get(e.peer);
    if (!peer || lanes.isVisible(peer.key) || peer.tier === null) return true;
    const [at, to] = [tierIndex(e.at), tierIndex(peer.key)];
    return lanes.visible.some((v) => {
      if (v.tier === null || (v.instance !== null && peer.instance !== null && v.instance !== peer.instance)) return false;
      const i = tierIndex(v.key);
      return to > at ? i > to : i >= 0 && i < to;
    });
  };

  const addNote = (e: TraceEvent) => {
    if (e.step !== idleStep) {
      idle = new Map();
      idleStep = e.step;
    }
    if (e.type === 'idle-close' && e.conn) idle.set(`${e.at}|${e.conn}`, e);
    const line = noteLine(e, noteContext, e.conn ? idle.get(`${e.at}|${e.conn}`) : undefined);
    const l = lanes.byKey.get(e.at);
    if (line === null || !l || !lanes.isVisible(l.key) || !drawnHop(e)) return;
    // Several happenings of one step at one participant read as one note.
    if (lastNote && lastNote.step === e.step && lastNote.lane === l.key && items[items.length - 1] === lastNote.item) {
      lastNote.item.lines.push(line);
      return;
    }
    const item = { kind: 'note' as const, over: [l.id], lines: [line], alert: false, steps: [e.step] };
    items.push(item);
    lastNote = { step: e.step, lane: l.key, item };
  };

  const violation = options.violation ?? null;
  let violationShown = false;
  const showViolation = () => {
    if (!violation || violationShown) return;
    violationShown = true;
    items.push(violationNote(violation, lanes, options.witness ?? false));
  };

  for (const e of events) {
    if (violation && e.step > violation.step) showViolation();
    ledger.observe(e);
    if (isClientRequest(topology, e)) {
      const n = (requestsOf.get(e.at) ?? 0) + 1;
      requestsOf.set(e.at, n);
      const who = clients.size > 1 ? ` of ${lane(e.at).label}` : '';
      items.push({
        kind: 'divider',
        text: `${ordinal(n)} request${who}${ids && e.req ? ` (${e.req})` : ''}`,
        steps: [e.step],
        request: { n, client: clients.size > 1 ? lane(e.at).label : null, req: ids && e.req ? e.req : null },
      });
    }
    if (e.type === 'send' && e.msg && e.peer) arrows.send(e);
    else if (e.type === 'recv' && e.msg) arrows.read(e);
    else if (options.notes ?? true) addNote(e);
  }
  arrows.end();
  showViolation();

  const diagram: SequenceDiagram = {
    title: options.title ?? null,
    participants: lanes.visible.map((l) => ({ id: l.id, label: l.label })),
    boxes: boxesOf(lanes, options.instanceBox === undefined ? `${topology.instanceParticipant} instance {n}` : options.instanceBox),
    items: items.filter((i): i is SequenceItem => i !== null),
  };
  return options.collapse ? collapseRepeats(diagram) : diagram;
}

/** One frame per instance around its drawn participants (they are consecutive: lanes are ordered instance by instance). */
function boxesOf(lanes: LaneSet, template: string | null): Box[] {
  if (template === null) return [];
  const boxes: (Box & { instance: number })[] = [];
  for (const l of lanes.visible) {
    if (l.instance === null) continue;
    const last = boxes[boxes.length - 1];
    if (last && last.instance === l.instance) last.members.push(l.id);
    else boxes.push({ instance: l.instance, label: template.replace(/\{n\}/g, String(l.instance)), members: [l.id] });
  }
  return boxes.map(({ label, members }) => ({ label, members }));
}

/** A note (red for a violation) over the participants of the broken boundary (or all of them): what was violated, and how. */
function violationNote(v: Violation, lanes: LaneSet, witness: boolean): SequenceItem {
  const tiers = v.facet?.split('>') ?? [];
  const on = lanes.visible.filter((l) => l.tier !== null && tiers.includes(l.tier));
  const span = on.length > 0 ? on : lanes.visible;
  const over = [...new Set([span[0]!.id, span[span.length - 1]!.id])];
  const colon = v.message.indexOf(': ');
  const message = colon < 0 ? [v.message] : [v.message.slice(0, colon + 1), v.message.slice(colon + 2)];
  return {
    kind: 'note',
    over,
    lines: [`${v.property} ${witness ? 'REACHED' : 'VIOLATED'}${v.facet ? ` at ${v.facet}` : ''} (step ${v.step})`, ...message],
    alert: !witness,
    steps: [v.step],
  };
}
