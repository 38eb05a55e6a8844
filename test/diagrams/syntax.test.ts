import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mistaken } from '../../models/topologies/index.js';
import { machineDiagrams } from '../../src/diagrams/machineDiagrams.js';
import { SEED_PARTICIPANTS } from '../../src/diagrams/seedDiagrams.js';
import { sequenceDiagram, type SequenceOptions } from '../../src/diagrams/sequence.js';
import { sequenceToMermaid } from '../../src/diagrams/sequenceMermaid.js';
import { sequenceToPlantUml } from '../../src/diagrams/sequencePlantUml.js';
import { mermaidSequence, parseMermaid } from './support/mermaidParser.js';
import { plantUmlSyntaxError, skipWithoutPlantUml } from './support/plantuml.js';
import { queueingTrace, randomTraces } from './support/traces.js';

/**
 * Every diagram connmodel writes must be accepted by the tools that draw it:
 * Mermaid's own parser (in Node) and `plantuml -syntax`. Checked on the
 * committed diagrams and on runs that exercise more than the seed's happy
 * path: queueing, timeouts, resets, two clients, two instances, health checks.
 */
const dir = new URL('../../diagrams/', import.meta.url);
const committed = readdirSync(dir)
  .filter((f) => f.endsWith('.mmd') || f.endsWith('.puml'))
  .sort()
  .map((f) => ({ name: f, text: readFileSync(new URL(f, dir), 'utf8') }));

const variants: [string, SequenceOptions][] = [
  ['every tier', {}],
  ['every tier, ids', { ids: true }],
  ['seed participants', { participants: SEED_PARTICIPANTS }],
  ['with health checks, by tier name', { participants: [...SEED_PARTICIPANTS, 'HealthCheck', 'RDS'], names: 'tiers' }],
  ['first request', { maxRequests: 1, title: 'a title; with # and "quotes"' }],
];
const runs = [{ name: 'queueing', ...queueingTrace() }, ...randomTraces(3).map((r, i) => ({ name: `random ${i + 1}`, ...r }))];
const generated = runs.flatMap((run) =>
  variants.map(([v, options]) => ({ name: `${run.name}, ${v}`, diagram: sequenceDiagram(run.topology, run.events, options) })),
);
const machineTexts = machineDiagrams(mistaken);

describe('Mermaid accepts', () => {
  it.each(committed.filter((f) => f.name.endsWith('.mmd')).map((f) => [f.name, f.text]))('committed %s', async (_, text) => {
    expect(['sequence', 'stateDiagram']).toContain(await parseMermaid(text));
  });

  it.each(generated.map((g) => [g.name, g.diagram] as const))('the sequence diagram of %s, reading it as drawn', async (_, d) => {
    const { actors, arrows } = await mermaidSequence(sequenceToMermaid(d));
    expect(actors).toEqual(d.participants.map((p) => p.id));
    expect(arrows.map((a) => `${a.from}>${a.to}`)).toEqual(d.items.flatMap((i) => (i.kind === 'message' ? [`${i.from}>${i.to}`] : [])));
  });

  it.each(machineTexts.map((m) => [m.name, m.mmd]))('%s drawn for another topology', async (_, text) => {
    expect(await parseMermaid(text)).toBe('stateDiagram');
  });
});

describe.skipIf(skipWithoutPlantUml)('plantuml -syntax accepts', () => {
  it.each(committed.filter((f) => f.name.endsWith('.puml')).map((f) => [f.name, f.text]))('committed %s', (_, text) => {
    expect(plantUmlSyntaxError(text)).toBeNull();
  });

  // One variant per run keeps the JVM starts few; the committed files cover the rest of the shapes.
  it.each(generated.filter((_, i) => i % variants.length === 0 || i % variants.length === 3).map((g) => [g.name, g.diagram] as const))(
    'the sequence diagram of %s',
    (_, d) => {
      expect(plantUmlSyntaxError(sequenceToPlantUml(d))).toBeNull();
    },
  );

  it('rejects what is not PlantUML (the check is real)', () => {
    expect(plantUmlSyntaxError('@startuml\nA -> : \nfoo bar baz\n@enduml\n')).not.toBeNull();
  });
});

describe('Mermaid rejects', () => {
  it('what is not Mermaid (the check is real)', async () => {
    await expect(parseMermaid('sequenceDiagram\nA->>B: hi\nB-->>: oops\n')).rejects.toThrow(/Parse error/);
  });
});
