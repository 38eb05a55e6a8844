import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse, stringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { InputError } from '../../models/inputError.js';
import { composeSystem } from '../../models/system.js';
import type { Topology } from '../../models/topologies/topology.js';
import { runScenario } from '../../src/explore/run.js';
import { SCHEMA_FILE } from '../../src/topologyFile/jsonSchema.js';
import { parseTopologyText } from '../../src/topologyFile/load.js';
import { starterYaml } from '../../src/topologyFile/starter.js';

/**
 * The loader against random and mutated documents: it never throws anything
 * but InputError, never hangs (the suite's timeout is the bound), and
 * whatever it accepts the model can run and the JSON Schema accepts too.
 */

const root = join(import.meta.dirname, '../..');
/** An empty directory: `extends: x.yaml` finds nothing there. */
const emptyDir = mkdtempSync(join(tmpdir(), 'connmodel-fuzz-'));
afterAll(() => rmSync(emptyDir, { recursive: true, force: true }));
const jsonSchema = z.fromJSONSchema(JSON.parse(readFileSync(join(root, SCHEMA_FILE), 'utf8')));

const stats = { accepted: 0, refused: 0 };

/** Loads `text`; returns the topology or null for an InputError; anything else fails the property. */
function load(text: string, format: 'yaml' | 'json'): Topology | null {
  try {
    const t = parseTopologyText(text, { source: `fuzz.${format}`, format, baseDir: emptyDir });
    stats.accepted++;
    return t;
  } catch (e) {
    if (e instanceof InputError) {
      stats.refused++;
      expect(e.message.length).toBeLessThan(20_000);
      return null;
    }
    throw e;
  }
}

/** Whatever the loader accepts is a runnable topology that editors would accept as well. */
function acceptedIsSound(text: string, format: 'yaml' | 'json') {
  const t = load(text, format);
  if (!t) return;
  composeSystem(t, t.bounds);
  const run = runScenario(t, { clients: 1, requests: 2, schedule: [] }, [], { maxSteps: 60, stopAtViolation: false });
  expect(run.events.length).toBeGreaterThan(0);
  const data = format === 'json' ? JSON.parse(text) : parse(text, { merge: true });
  expect(jsonSchema.safeParse(data).success).toBe(true);
}

const validTexts = [
  readFileSync(join(root, 'examples/seed.yaml'), 'utf8'),
  readFileSync(join(root, 'examples/mistaken.yaml'), 'utf8'),
  readFileSync(join(root, 'examples/sidecar-chain.yaml'), 'utf8'),
  starterYaml('fuzzed', 'x'),
  'extends: seed\ntiers:\n  nginx: { downstreamIdleTimeout: 60s, downstreamMaxRequests: 1000 }\n  connQueue: { limit: 3 }\n',
];
const validDocs = validTexts.map((t) => parse(t) as unknown);

const words = ['tiers', 'kind', 'preset', 'name', 'extends', 'seed', 'mistaken', 'nginx', 'proxy', 'client', 'server', 'limiter', 'loadBalancer', 'limit', 'instances', 'bounds', '75s', '__proto__', 'constructor', 'toString', 'x.yaml', '../etc/passwd.yaml', 'null', '~', '.inf', '.nan', '-1', '1e400', '0x10'];

/** Odd values: wrong types, huge and tiny numbers, durations right and wrong, deep nesting, prototype names. */
const oddValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1, 0.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER, 2 ** 53 + 2, 65, 100_001, 599, 600),
  fc.constantFrom('', ' ', '75s', '0s', '1ms', '0.5ms', '25h', '24h', '-5s', '1.5s', 'never', 'null', '9'.repeat(300) + 's', '__proto__', 'constructor', 'pinned', 'fleet', 'nginx', 'proxy'),
  fc.string({ maxLength: 30 }),
  fc.integer(),
  fc.double(),
  fc.jsonValue({ maxDepth: 4 }),
  fc.integer({ min: 20, max: 200 }).map((d) => {
    let v: unknown = 1;
    for (let i = 0; i < d; i++) v = i % 2 ? [v] : { a: v };
    return v;
  }),
);

type Json = unknown;
/** Every path into a JSON document (objects and arrays), root first. */
function pathsOf(doc: Json, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(doc)) doc.forEach((v, i) => pathsOf(v, [...at, i], out));
  else if (doc && typeof doc === 'object') for (const [k, v] of Object.entries(doc)) pathsOf(v, [...at, k], out);
  return out;
}

type Mutation =
  | { op: 'set'; pick: number; value: unknown }
  | { op: 'delete'; pick: number }
  | { op: 'add'; pick: number; key: string; value: unknown }
  | { op: 'rename'; pick: number; key: string }
  | { op: 'duplicate'; pick: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ op: fc.constant('set' as const), pick: fc.nat(), value: oddValue }),
  fc.record({ op: fc.constant('delete' as const), pick: fc.nat() }),
  fc.record({ op: fc.constant('add' as const), pick: fc.nat(), key: fc.oneof(fc.constantFrom(...words), fc.string({ maxLength: 12 })), value: oddValue }),
  fc.record({ op: fc.constant('rename' as const), pick: fc.nat(), key: fc.oneof(fc.constantFrom(...words), fc.string({ maxLength: 12 })) }),
  fc.record({ op: fc.constant('duplicate' as const), pick: fc.nat() }),
);

function mutate(doc: Json, m: Mutation): Json {
  const copy = structuredClone(doc) as Json;
  const paths = pathsOf(copy);
  const path = paths[m.pick % paths.length]!;
  if (path.length === 0) return m.op === 'set' ? m.value : copy;
  let parent = copy as Record<string | number, unknown>;
  for (const seg of path.slice(0, -1)) parent = parent[seg] as Record<string | number, unknown>;
  const last = path[path.length - 1]!;
  switch (m.op) {
    case 'set':
      parent[last] = m.value;
      break;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(last as number, 1);
      else delete parent[last];
      break;
    case 'add': {
      const target = parent[last];
      if (target && typeof target === 'object' && !Array.isArray(target)) Object.defineProperty(target, m.key, { value: m.value, enumerable: true, writable: true, configurable: true });
      else if (Array.isArray(target)) target.push(m.value);
      break;
    }
    case 'rename':
      if (!Array.isArray(parent) && m.key !== last) {
        Object.defineProperty(parent, m.key, { value: parent[last], enumerable: true, writable: true, configurable: true });
        delete parent[last];
      }
      break;
    case 'duplicate':
      if (Array.isArray(parent)) parent.splice(last as number, 0, structuredClone(parent[last]));
      break;
  }
  return copy;
}

const asText = (doc: Json, format: 'yaml' | 'json') => (format === 'json' ? JSON.stringify(doc, null, 1) : stringify(doc, { aliasDuplicateObjects: false }));

describe('the topology loader under fuzzing', () => {
  it('mutated valid documents: refused with an InputError, or accepted and runnable', () => {
    fc.assert(
      fc.property(fc.nat(validDocs.length - 1), fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.constantFrom('yaml' as const, 'json' as const), (which, ms, format) => {
        const doc = ms.reduce(mutate, validDocs[which]);
        acceptedIsSound(asText(doc, format) ?? '', format);
      }),
      { numRuns: 600, seed: 1 },
    );
  });

  it('valid texts with random characters spliced in', () => {
    const chars = fc.constantFrom(...'[]{}:,-&*!|>\'"#%@?<= \n\t\\abc01.'.split(''));
    fc.assert(
      fc.property(fc.nat(validTexts.length - 1), fc.array(fc.tuple(fc.nat(), fc.string({ unit: chars, maxLength: 6 }), fc.nat(3)), { minLength: 1, maxLength: 5 }), (which, edits) => {
        let text = validTexts[which]!;
        for (const [at, insert, cut] of edits) {
          const i = at % (text.length + 1);
          text = text.slice(0, i) + insert + text.slice(i + cut);
        }
        acceptedIsSound(text, 'yaml');
      }),
      { numRuns: 400, seed: 2 },
    );
  });

  it('random documents and random text', () => {
    const token = fc.oneof(fc.constantFrom(...words, ':', ': ', '- ', '\n', '\n  ', '[', ']', '{', '}', ', ', '&a ', '*a', '<<: *a', '!!str ', '? ', '|', '---\n', '%YAML 1.1\n'), fc.string({ maxLength: 4 }));
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue({ maxDepth: 6 }).map((v) => ['json' as const, JSON.stringify(v) ?? 'null'] as const),
          fc.jsonValue({ maxDepth: 6 }).map((v) => ['yaml' as const, stringify(v)] as const),
          fc.array(token, { maxLength: 60 }).map((ts) => ['yaml' as const, ts.join('')] as const),
          fc.string({ maxLength: 200 }).map((s) => ['yaml' as const, s] as const),
        ),
        ([format, text]) => acceptedIsSound(text, format),
      ),
      { numRuns: 600, seed: 3 },
    );
  });

  it('resource attacks are refused quickly: alias bombs, deep nesting, huge documents', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 12 }), fc.integer({ min: 2, max: 12 }), (levels, fanOut) => {
        let bomb = `a0: &a0 [${Array(fanOut).fill('lol').join(', ')}]\n`;
        for (let i = 1; i < levels; i++) bomb += `a${i}: &a${i} [${Array(fanOut).fill(`*a${i - 1}`).join(', ')}]\n`;
        bomb += `tiers: *a${levels - 1}\n`;
        expect(load(bomb, 'yaml')).toBeNull();
      }),
      { numRuns: 60, seed: 4 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 25, max: 20_000 }), fc.constantFrom('[', '{a: ', '- ', '? '), (depth, open) => {
        const close = open === '[' ? ']' : open === '{a: ' ? '}' : '';
        expect(load(`tiers: ${open.repeat(depth)}1${close.repeat(depth)}\n`, 'yaml')).toBeNull();
      }),
      { numRuns: 20, seed: 5 },
    );
    expect(load(`{"tiers": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`, 'json')).toBeNull();
    expect(load(`description: ${'x'.repeat(2_000_000)}\n`, 'yaml')).toBeNull();
    expect(load(`tiers:\n${'  - {kind: server, name: s}\n'.repeat(10_000)}`, 'yaml')).toBeNull();
  });

  it('accepted and refused both happened (the fuzzing reached past the parser)', () => {
    expect(stats.accepted).toBeGreaterThan(20);
    expect(stats.refused).toBeGreaterThan(500);
  });
});
