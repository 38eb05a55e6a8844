import type { TraceEvent } from '../kernel/events.js';

const on = (e: TraceEvent) => (e.conn ? ` on ${e.conn}` : '');
const why = (e: TraceEvent) => (e.detail ? ` (${e.detail})` : '');

/** One event as a short phrase: "gateway opens gateway>nlb#2 to nlb for r1.2 (worker 3)". */
export function describeEvent(e: TraceEvent): string {
  switch (e.type) {
    case 'connect':
      return `${e.at} opens ${e.conn} to ${e.peer}${e.req ? ` for ${e.req}` : ''}${why(e)}`;
    case 'accept':
      return `${e.at} accepts ${e.conn} from ${e.peer}`;
    case 'send':
      return e.msg === 'request'
        ? `${e.at} sends ${e.method && e.method !== 'GET' ? `${e.method} ` : ''}${e.req} to ${e.peer}${on(e)}`
        : `${e.at} answers ${e.req} with ${e.status}${e.close ? ' and Connection: close' : ''}${on(e)}`;
    case 'recv':
      return e.msg === 'request' ? `${e.at} reads ${e.req}${on(e)}` : `${e.at} reads the ${e.status} for ${e.req}${on(e)}`;
    case 'close':
      return `${e.at} closes ${e.conn}${why(e)}`;
    case 'closed':
      return `${e.at} sees ${e.conn} closed by ${e.peer}${why(e)}`;
    case 'reset':
      return `${e.at} resets ${e.conn}${why(e)}`;
    case 'aborted':
      return `${e.at} sees ${e.conn} reset by ${e.peer}${why(e)}`;
    case 'timer':
      return `timer ${e.key} of ${e.at} fires`;
    case 'queue':
      return `${e.at} parks ${e.conn} in its queue${why(e)}`;
    case 'activate':
      return `${e.at} activates ${e.conn}${why(e)}`;
    case 'expire':
      return `${e.at} drops the flow of ${e.conn}${why(e)}`;
    case 'timeout':
      return `${e.at} gives up on ${e.req}: ${e.status}${why(e)}`;
    case 'idle-close':
      return `${e.at} finds ${e.conn} idle${why(e)}`;
    case 'max-requests':
      return `${e.at} reached keepalive_requests on ${e.conn}${why(e)}`;
    case 'route':
      return `${e.at} routes ${e.req}: ${e.detail}`;
    case 'outcome':
      return `${e.at} gets ${e.status === 0 ? 'no response' : e.status} for ${e.req}${why(e)}`;
    case 'start':
      return `${e.at} starts${why(e)}`;
    case 'abandon':
      return `${e.at} abandons ${e.req}${why(e)}`;
    case 'retry':
      return `${e.at} sends ${e.req} again${why(e)}`;
    case 'health':
      return `${e.at} marks ${e.detail ?? 'a target'}`;
    case 'notify':
      return `${e.at} tells ${e.peer}${why(e)}`;
  }
}

/** One kernel step of a trace, described: its number, time, and what happened, as one line. */
export interface StepLine {
  step: number;
  t: number;
  line: string;
}

/**
 * A trace as short readable lines, one per kernel step:
 * `t=16ms    step 25  gateway reads r1.2 on cdn>gateway#1; gateway opens gateway>nlb#2 ...`.
 * Timer events are folded into the step they trigger.
 */
export function describeSteps(events: readonly TraceEvent[]): StepLine[] {
  const out: StepLine[] = [];
  let i = 0;
  while (i < events.length) {
    const stepNo = events[i]!.step;
    const group: TraceEvent[] = [];
    while (i < events.length && events[i]!.step === stepNo) group.push(events[i++]!);
    const phrases = group.filter((e) => e.type !== 'timer' || group.length === 1).map(describeEvent);
    const t = `t=${group[0]!.t}ms`.padEnd(10);
    out.push({ step: stepNo, t: group[0]!.t, line: `${t} step ${String(stepNo).padEnd(4)} ${phrases.join('; ')}` });
  }
  return out;
}

/** `describeSteps`, the lines only. */
export function describeTrace(events: readonly TraceEvent[]): string[] {
  return describeSteps(events).map((s) => s.line);
}
