import { JSDOM } from 'jsdom';

/**
 * Mermaid's own parser, in Node. Mermaid sanitises labels with DOMPurify and
 * reads box colours through `window`, so it needs a DOM: jsdom provides one.
 * (@mermaid-js/parser covers only newer diagram types, not sequence or
 * state diagrams.)
 */
type Mermaid = typeof import('mermaid').default;
let loaded: Promise<Mermaid> | null = null;

function mermaid(): Promise<Mermaid> {
  if (!loaded) {
    const { window } = new JSDOM('<!doctype html><html><body></body></html>');
    const g = globalThis as Record<string, unknown>;
    g.window ??= window;
    g.document ??= window.document;
    g.Option ??= window.Option;
    loaded = import('mermaid').then((m) => m.default);
  }
  return loaded;
}

/** Throws Mermaid's own error when the text is not a valid diagram; returns its type (`sequence`, `stateDiagram`). */
export async function parseMermaid(text: string): Promise<string> {
  const m = await mermaid();
  const r = await m.parse(text);
  if (!r) throw new Error('mermaid.parse rejected the diagram');
  return r.diagramType;
}

/** What Mermaid understood a sequence diagram to say: its participants, and its arrows in order. */
export async function mermaidSequence(text: string): Promise<{ actors: string[]; arrows: { from: string; to: string; message: string }[] }> {
  const m = await mermaid();
  await m.parse(text);
  const d = (await m.mermaidAPI.getDiagramFromText(text)) as unknown as {
    db: { getActors(): Map<string, unknown>; getMessages(): { from?: string; to?: string; message: string; type: number }[] };
  };
  // Line types 0 and 1 are Mermaid's solid (->>) and dotted (-->>) arrows; notes and blocks are other types.
  const arrows = d.db
    .getMessages()
    .filter((x) => (x.type === 0 || x.type === 1) && x.from && x.to)
    .map((x) => ({ from: x.from!, to: x.to!, message: x.message }));
  return { actors: [...d.db.getActors().keys()], arrows };
}

/** The states Mermaid found in a state diagram (its start pseudo-state left out). */
export async function mermaidStates(text: string): Promise<string[]> {
  const m = await mermaid();
  await m.parse(text);
  const d = (await m.mermaidAPI.getDiagramFromText(text)) as unknown as { db: { getStates(): Map<string, unknown> } };
  return [...d.db.getStates().keys()].filter((s) => !s.startsWith('root_'));
}
