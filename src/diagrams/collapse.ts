import type { SequenceDiagram, SequenceItem } from './sequenceModel.js';

/** A request's part of a diagram: its divider and what follows up to the next one. */
interface Segment {
  divider: Extract<SequenceItem, { kind: 'divider' }> | null;
  items: SequenceItem[];
}

/** Fewest requests in a run of repeats before the middle ones are left out (the first and last are always drawn). */
export const MIN_RUN = 4;

function segmentsOf(items: readonly SequenceItem[]): Segment[] {
  const out: Segment[] = [{ divider: null, items: [] }];
  for (const item of items) {
    if (item.kind === 'divider') out.push({ divider: item, items: [] });
    else out[out.length - 1]!.items.push(item);
  }
  return out;
}

/**
 * What a request looks like with its numbers taken out (connection counts,
 * connection and request ids, slots): two requests with the same shape did
 * the same thing, on other connections. Requests of different clients never
 * share a shape.
 */
function shapeOf(s: Segment): string | null {
  if (!s.divider?.request) return null;
  const numbers = (t: string) => t.replace(/\d+/g, '#');
  const parts = s.items.map((i) => {
    switch (i.kind) {
      case 'message':
        return `m ${i.from} ${i.to} ${i.dir} ${i.fresh} ${numbers(i.text)}`;
      case 'note':
        return `n ${i.over.join(',')} ${i.alert} ${numbers(i.lines.join('|'))}`;
      default:
        return `${i.kind}`;
    }
  });
  return `${s.divider.request.client ?? ''}\n${parts.join('\n')}`;
}

/** `requests 3–14 (r1.3–r1.14): same as request 2, on new connections`. */
function skipText(run: Segment[], model: Segment): string {
  const first = run[0]!.divider!.request!;
  const last = run[run.length - 1]!.divider!.request!;
  const ids = first.req && last.req ? ` (${first.req}–${last.req})` : '';
  const of = first.client ? ` of ${first.client}` : '';
  const fresh = model.items.some((i) => i.kind === 'message' && i.fresh);
  return `requests ${first.n}–${last.n}${of}${ids}: same as request ${model.divider!.request!.n}${fresh ? ', each on new connections' : ''}`;
}

/**
 * Leaves out requests that repeat the one before them: in each run of at
 * least `MIN_RUN` requests with the same shape, the first and the last are
 * drawn and the ones between become one line ("requests 3–14: same as
 * request 2, each on new connections"). What differs (the request that was
 * parked, the violation) has another shape and is always drawn, so a long
 * counterexample fits in a picture with its violation in it.
 */
export function collapseRepeats(d: SequenceDiagram, minRun = MIN_RUN): SequenceDiagram {
  const segments = segmentsOf(d.items);
  const shapes = segments.map(shapeOf);
  const items: SequenceItem[] = [...segments[0]!.items];
  let i = 1;
  while (i < segments.length) {
    let j = i;
    while (shapes[i] !== null && j + 1 < segments.length && shapes[j + 1] === shapes[i]) j++;
    const run = segments.slice(i, j + 1);
    if (run.length >= minRun) {
      const middle = run.slice(1, -1);
      items.push(run[0]!.divider!, ...run[0]!.items);
      items.push({ kind: 'skip', text: skipText(middle, run[0]!), steps: middle.flatMap((s) => [...s.divider!.steps, ...s.items.flatMap((x) => x.steps)]) });
      items.push(run[run.length - 1]!.divider!, ...run[run.length - 1]!.items);
    } else for (const s of run) items.push(s.divider!, ...s.items);
    i = j + 1;
  }
  return { ...d, items };
}
