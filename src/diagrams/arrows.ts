import type { TraceEvent } from '../kernel/events.js';
import type { ConnectionLedger, Hop } from './connections.js';
import type { LaneSet } from './lanes.js';
import type { SequenceItem } from './sequenceModel.js';

/** An arrow being drawn: it started at a drawn participant and has not yet reached the next one. */
interface OpenArrow {
  req: string;
  dir: 'request' | 'response';
  from: string;
  /** The lane the message has reached so far (a collapsed one while the arrow is open). */
  reached: string;
  hops: Hop[];
  /** The lane it reached has read it: a message that stops at a participant not drawn is not drawn on. */
  delivered: boolean;
  status?: number;
  close?: boolean;
  /** Where the arrow goes in the item list: where it started. */
  slot: number;
  /** The kernel steps of its sends. */
  steps: number[];
}

export interface ArrowLabels {
  /** Connection ids on labels. */
  ids: boolean;
  /** Request ids on labels (several clients interleave). */
  requests: boolean;
}

/**
 * Turns the `send`s of a trace into arrows between drawn participants. A
 * message crosses one hop per send; when participants in between are not
 * drawn, the arrow starts where a drawn participant sent it and ends at the
 * next drawn one it reaches, however many sends later. It takes its place in
 * the diagram where it started.
 *
 * An arrow between L (left) and R (right) is labelled with the hop next to L,
 * in both directions: with CloudFront not drawn, JMETER -> APIGW still counts
 * the client's own connections, there and back.
 */
export class Arrows {
  private readonly open: OpenArrow[] = [];

  constructor(
    private readonly lanes: LaneSet,
    private readonly ledger: ConnectionLedger,
    /** The diagram's items; a null is a place kept for an arrow not yet finished. */
    private readonly items: (SequenceItem | null)[],
    private readonly labels: ArrowLabels,
  ) {}

  /** A `send` event: the message crosses one hop (two lanes across an instance entry). */
  send(e: TraceEvent): void {
    const dir = e.msg!;
    const hop = this.ledger.hopOf(e);
    const path = this.lanes.path(e.at, e.peer!);
    for (let i = 0; i + 1 < path.length; i++) {
      const [x, y] = [path[i]!, path[i + 1]!];
      let a: OpenArrow | undefined;
      if (this.lanes.isVisible(x)) {
        a = { req: e.req ?? '', dir, from: x, reached: x, hops: [], delivered: false, slot: this.items.length, steps: [] };
        this.items.push(null);
        this.open.push(a);
      } else {
        a = this.open.find((o) => o.req === e.req && o.dir === dir && o.reached === x);
        if (!a) continue; // it started at a participant that is not drawn
      }
      a.reached = y;
      a.delivered = false;
      a.hops.push(hop);
      if (!a.steps.includes(e.step)) a.steps.push(e.step);
      a.status = e.status;
      a.close = e.close;
      if (this.lanes.isVisible(y)) this.finish(a, y);
    }
  }

  /** A `recv` event: the message arrived where it had reached. */
  read(e: TraceEvent): void {
    const a = this.open.find((o) => o.req === e.req && o.dir === e.msg && o.reached === e.at);
    if (a) a.delivered = true;
  }

  /**
   * The trace is over. A message still on the wire (a counterexample stops at
   * its violation) is drawn to the next drawn participant on its way, saying
   * so; one that stopped at a participant not drawn is left out.
   */
  end(): void {
    const order = new Map(this.lanes.all.map((l, i) => [l.key, i]));
    for (const a of [...this.open]) {
      const at = order.get(a.reached)!;
      const ahead = this.lanes.visible.filter((l) => (a.dir === 'request' ? order.get(l.key)! > at : order.get(l.key)! < at));
      const to = a.dir === 'request' ? ahead[0] : ahead[ahead.length - 1];
      if (to && !a.delivered) this.finish(a, to.key, true);
      else this.open.splice(this.open.indexOf(a), 1);
    }
  }

  private finish(a: OpenArrow, to: string, inFlight = false): void {
    const hop = a.dir === 'request' ? a.hops[0]! : a.hops[a.hops.length - 1]!;
    const conns = `${hop.open} TCP conn.${this.labels.ids ? ` (${hop.conn})` : ''}`;
    const who = this.labels.requests && a.req ? `${a.req}: ` : '';
    const text = a.dir === 'request' ? `${who}${conns}` : `${who}${a.status}${a.close ? ' Connection: close' : ''}, ${conns}`;
    this.items[a.slot] = {
      kind: 'message',
      from: this.lanes.byKey.get(a.from)!.id,
      to: this.lanes.byKey.get(to)!.id,
      dir: a.dir,
      text: inFlight ? `${text} (in flight)` : text,
      fresh: a.dir === 'request' && hop.fresh,
      steps: a.steps,
    };
    this.open.splice(this.open.indexOf(a), 1);
  }
}
