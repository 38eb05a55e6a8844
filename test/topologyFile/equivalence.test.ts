import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mistaken, seed, topologies } from '../../models/topologies/index.js';
import type { Topology } from '../../models/topologies/topology.js';
import { catalogue } from '../../properties/catalogue.js';
import { check } from '../../src/explore/check.js';
import { runScenario } from '../../src/explore/run.js';
import type { Scenario } from '../../src/explore/scenarios.js';
import { loadTopologyFile, parseTopologyText } from '../../src/topologyFile/load.js';
import { topologyToYaml } from '../../src/topologyFile/serialize.js';
import { starterYaml } from '../../src/topologyFile/starter.js';

/**
 * One source of truth: the shipped TypeScript topologies and their files in
 * examples/ are the same topology, and so give the same traces and verdicts.
 */

const examples = join(import.meta.dirname, '../../examples');

/** A schedule that exercises several workers, delays and both clients. */
const scenario: Scenario = {
  clients: 2,
  requests: 3,
  schedule: Array.from({ length: 40 }, (_, i) => ({ next: (i * 7) % 5, delay: i % 9 === 0 ? 6000 : i % 3, pick: (i * 5) % 13 })),
};

function sameBehaviour(file: Topology, shipped: Topology) {
  const a = runScenario(file, scenario, [], { maxSteps: 300, stopAtViolation: false });
  const b = runScenario(shipped, scenario, [], { maxSteps: 300, stopAtViolation: false });
  expect(a.events.length).toBeGreaterThan(50);
  expect(JSON.stringify(a.events)).toBe(JSON.stringify(b.events));
}

describe('shipped topologies and their example files', () => {
  for (const [name, shipped] of [
    ['seed', seed],
    ['mistaken', mistaken],
  ] as const) {
    it(`examples/${name}.yaml loads to exactly the shipped '${name}'`, () => {
      const file = loadTopologyFile(join(examples, `${name}.yaml`));
      expect(file).toEqual(shipped);
      // Same key order too: a trace embedding either is the same file, byte for byte.
      expect(JSON.stringify(file)).toBe(JSON.stringify(shipped));
    });

    it(`examples/${name}.yaml gives the same trace and verdicts as the shipped '${name}'`, () => {
      const file = loadTopologyFile(join(examples, `${name}.yaml`));
      sameBehaviour(file, shipped);
      for (const property of catalogue) {
        const opts = { runs: 20, seed: 7 };
        expect(JSON.stringify(check(file, property, opts))).toBe(JSON.stringify(check(shipped, property, opts)));
      }
    });
  }

  it('every shipped topology has its file in examples/, identical, with the same trace', () => {
    // Adding a shipped topology? Write examples/<name>.yaml (`connmodel topologies <name>` prints it in full).
    for (const [name, shipped] of Object.entries(topologies)) {
      const path = join(examples, `${name}.yaml`);
      expect(existsSync(path), `examples/${name}.yaml is missing`).toBe(true);
      const file = loadTopologyFile(path);
      expect(file, name).toEqual(shipped);
      sameBehaviour(file, shipped);
    }
  });

  it('every shipped topology survives printing as a file and loading it back (`connmodel topologies NAME`)', () => {
    for (const t of Object.values(topologies)) {
      const back = parseTopologyText(topologyToYaml(t), { source: `${t.name}.yaml` });
      expect(back, t.name).toEqual(t);
      sameBehaviour(back, t);
    }
  });

  it('the starter file (`connmodel init`) is the seed, every parameter spelled out', () => {
    const text = starterYaml('my-pipeline', './schema/topology.schema.json', 'my-pipeline.yaml');
    const t = parseTopologyText(text, { source: 'my-pipeline.yaml' });
    expect(t.name).toBe('my-pipeline');
    expect({ ...t, name: seed.name, description: seed.description }).toEqual(seed);
    // Every parameter of every tier is in the text, not left to a preset.
    for (const tier of seed.tiers)
      for (const key of Object.keys(tier.params).filter((k) => !['requests', 'targets'].includes(k)))
        expect(text, `${tier.name}.${key}`).toMatch(new RegExp(`\\n    ${key}: `));
  });

  it('every example loads, and every example names the schema for editors', () => {
    const files = readdirSync(examples).filter((f) => /\.(ya?ml|json)$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(4);
    for (const f of files) {
      expect(() => loadTopologyFile(join(examples, f)), f).not.toThrow();
      if (f.endsWith('.yaml')) expect(readFileSync(join(examples, f), 'utf8'), f).toMatch(/^# yaml-language-server: \$schema=\.\.\/schema\/topology\.schema\.json\n/);
    }
  });
});
