import { mermaidText } from './sequenceMermaid.js';
import { EVERY_STATE_ID, EVERY_STATE_LABEL, type StateDrawing } from './stateEdges.js';

/**
 * A tier machine as Mermaid `stateDiagram-v2`. A state with internal
 * transitions lists them under its name (Mermaid titles a state with its
 * first description line, so the name comes first). Transitions of the
 * whole machine sit in a dashed "in every state" box. `notes` go beside the
 * initial state (e.g. which tiers of a topology run this machine).
 */
export function stateToMermaid(d: StateDrawing, title: string | null, notes: readonly string[] = []): string {
  const out: string[] = [];
  if (title) out.push('---', `title: ${JSON.stringify(title)}`, '---');
  out.push('stateDiagram-v2');
  for (const s of d.states) {
    if (s.internal.length === 0) continue;
    out.push(`  ${s.name} : ${s.name}`);
    for (const line of s.internal) out.push(`  ${s.name} : ${mermaidText(line)}`);
  }
  out.push(`  [*] --> ${d.initial}`);
  for (const e of d.edges) out.push(`  ${e.from} --> ${e.to} : ${e.lines.map(mermaidText).join('<br/>')}`);
  const note = (side: string, lines: readonly string[]) => {
    out.push(`  note ${side} of ${d.initial}`, ...lines.map((l) => `    ${mermaidText(l)}`), '  end note');
  };
  // Transitions of the whole machine: a dashed box of their own, not a state.
  if (d.everyState.length > 0) {
    out.push(`  ${EVERY_STATE_ID} : ${EVERY_STATE_LABEL}`, ...d.everyState.map((l) => `  ${EVERY_STATE_ID} : ${mermaidText(l)}`));
    out.push('  classDef everyState stroke-dasharray: 5 5', `  class ${EVERY_STATE_ID} everyState`);
  }
  if (notes.length > 0) note('left', notes);
  out.push('');
  return out.join('\n');
}
