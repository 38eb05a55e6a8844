import type { SequenceDiagram, SequenceItem } from './sequenceModel.js';

/**
 * Mermaid text: `#` starts a comment and `;` ends a statement, so both are
 * written as entity codes (`#35;`, `#59;`), which Mermaid decodes when drawing.
 */
export const mermaidText = (s: string) => s.replace(/[#;]/g, (c) => `#${c.charCodeAt(0)};`);

/** The band behind arrows whose hop opened a new connection (Mermaid draws no bold labels). */
const FRESH_BAND = 'rect rgb(255, 236, 179)';
/** The band behind a violation note (Mermaid notes have one colour). */
const ALERT_BAND = 'rect rgb(255, 170, 170)';

/** The band behind requests left out (Mermaid has no delay mark). */
const SKIP_BAND = 'rect rgb(235, 235, 235)';

const bandOf = (item: SequenceItem): string | null =>
  item.kind === 'message' && item.fresh ? FRESH_BAND : item.kind === 'note' && item.alert ? ALERT_BAND : item.kind === 'skip' ? SKIP_BAND : null;

/**
 * A sequence diagram as Mermaid `sequenceDiagram`. Mermaid has no `==`
 * divider, so each request starts with a note across every participant; and
 * it cannot bold a label, so arrows that opened a new connection sit in a
 * highlighted band and say `(new)`; a violation note sits in a red band.
 */
export function sequenceToMermaid(d: SequenceDiagram): string {
  const out = ['sequenceDiagram'];
  if (d.title) out.push(`title ${mermaidText(d.title)}`);
  const boxed = new Map(d.boxes.flatMap((b) => b.members.map((m) => [m, b] as const)));
  for (const p of d.participants) {
    const box = boxed.get(p.id);
    // `transparent` first: Mermaid reads a box's first word as its colour when it is one.
    if (box && box.members[0] === p.id) out.push(`box transparent ${mermaidText(box.label)}`);
    out.push(p.id === p.label ? `participant ${p.id}` : `participant ${p.id} as ${mermaidText(p.label)}`);
    if (box && box.members[box.members.length - 1] === p.id) out.push('end');
  }
  const first = d.participants[0]?.id;
  const last = d.participants[d.participants.length - 1]?.id;
  // Consecutive items with the same band share one `rect` block.
  let current: string | null = null;
  const band = (next: string | null) => {
    if (next === current) return;
    if (current !== null) out.push('end');
    if (next !== null) out.push(next);
    current = next;
  };
  for (const item of d.items) {
    band(bandOf(item));
    out.push(line(item, first, last));
  }
  band(null);
  out.push('');
  return out.join('\n');
}

function line(item: SequenceItem, first: string | undefined, last: string | undefined): string {
  switch (item.kind) {
    case 'divider':
      return `Note over ${first === last ? first : `${first},${last}`}: ${mermaidText(item.text)}`;
    case 'message':
      return `${item.from}${item.dir === 'request' ? '->>' : '-->>'}${item.to}: ${mermaidText(item.text)}${item.fresh ? ' (new)' : ''}`;
    case 'note':
      return `Note over ${item.over.join(',')}: ${item.lines.map(mermaidText).join('<br/>')}`;
    case 'skip':
      return `Note over ${first === last ? first : `${first},${last}`}: ${mermaidText(item.text)}`;
  }
}
