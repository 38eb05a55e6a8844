import { EVERY_STATE_ID, EVERY_STATE_LABEL, type StateDrawing } from './stateEdges.js';

const text = (s: string) => s.replace(/\\/g, '\\\\');

/**
 * A tier machine as a PlantUML state diagram: internal transitions listed
 * in their state's box, state changes as arrows, transitions of the whole
 * machine in a dashed "in every state" box; `notes` go beside the initial
 * state.
 */
export function stateToPlantUml(d: StateDrawing, title: string | null, notes: readonly string[] = []): string {
  const out = ['@startuml', 'hide empty description'];
  if (title) out.push(`title ${text(title)}`);
  for (const s of d.states) {
    out.push(`state ${s.name}`);
    for (const line of s.internal) out.push(`${s.name} : ${text(line)}`);
  }
  out.push(`[*] --> ${d.initial}`);
  for (const e of d.edges) out.push(`${e.from} --> ${e.to} : ${e.lines.map(text).join('\\n')}`);
  const note = (side: string, lines: readonly string[]) => {
    out.push(`note ${side} of ${d.initial}`, ...lines.map((l) => `  ${text(l)}`), 'end note');
  };
  // Transitions of the whole machine: a dashed box of their own, not a state.
  if (d.everyState.length > 0) {
    out.push(`state "${EVERY_STATE_LABEL}" as ${EVERY_STATE_ID} ##[dashed]`);
    for (const line of d.everyState) out.push(`${EVERY_STATE_ID} : ${text(line)}`);
  }
  if (notes.length > 0) note('left', notes);
  out.push('@enduml', '');
  return out.join('\n');
}
