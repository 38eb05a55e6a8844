import type { SequenceDiagram } from './sequenceModel.js';

/** PlantUML reads `\n` in a label as a line break; a literal backslash must not start one by accident. */
const text = (s: string) => s.replace(/\\/g, '\\\\');

/** A participant declaration: the bare name when it is already an identifier, as the seed wrote them. */
const declare = (p: { id: string; label: string }) => (p.id === p.label ? `participant ${p.id}` : `participant "${p.label}" as ${p.id}`);

/**
 * A sequence diagram as PlantUML, in the seed's own style: `== 1st request ==`
 * dividers, `A -> B : 2 TCP conn.` requests, bold (`**`) where a hop opened a
 * new connection; responses dashed; notes over their participant.
 */
export function sequenceToPlantUml(d: SequenceDiagram): string {
  const out = ['@startuml'];
  if (d.title) out.push(`title ${text(d.title)}`);
  const boxed = new Map(d.boxes.flatMap((b) => b.members.map((m) => [m, b] as const)));
  for (const p of d.participants) {
    const box = boxed.get(p.id);
    if (box && box.members[0] === p.id) out.push(`box "${box.label.replace(/"/g, "'")}"`);
    out.push(declare(p));
    if (box && box.members[box.members.length - 1] === p.id) out.push('end box');
  }
  out.push('');
  for (const item of d.items) {
    switch (item.kind) {
      case 'divider':
        out.push(`== ${text(item.text)} ==`);
        break;
      case 'message': {
        const arrow = item.dir === 'request' ? '->' : '-->';
        const label = item.fresh ? `**${text(item.text)}**` : text(item.text);
        out.push(`${item.from} ${arrow} ${item.to} : ${label}`);
        break;
      }
      case 'note':
        out.push(`note over ${item.over.join(', ')}${item.alert ? ' #FFAAAA' : ''} : ${item.lines.map(text).join('\\n')}`);
        break;
      case 'skip':
        // PlantUML's delay: a gap in the lifelines with the text in it.
        out.push(`...${text(item.text)}...`);
        break;
    }
  }
  out.push('@enduml', '');
  return out.join('\n');
}
