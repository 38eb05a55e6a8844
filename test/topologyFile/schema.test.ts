import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { schemaPath, SCHEMA_FILE, topologyJsonSchemaText } from '../../src/topologyFile/jsonSchema.js';
import { starterYaml } from '../../src/topologyFile/starter.js';

const root = join(import.meta.dirname, '../..');
const committed = readFileSync(join(root, SCHEMA_FILE), 'utf8');

describe('the JSON Schema for editors (schema/topology.schema.json)', () => {
  it('is up to date with the zod schemas (regenerate with `npm run schema`)', () => {
    expect(committed).toBe(topologyJsonSchemaText());
  });

  it('is found where the package ships it', () => {
    expect(schemaPath()).toBe(join(root, SCHEMA_FILE));
  });

  it('is shipped: package.json lists schema/ in "files" and has the script that writes it', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { files?: string[]; scripts: Record<string, string> };
    expect(pkg.files).toContain('schema');
    expect(pkg.scripts.schema).toMatch(/writeSchema/);
  });

  // An independent reading of the schema (JSON Schema back to a validator) accepts what the loader accepts, and catches typos.
  const validator = z.fromJSONSchema(JSON.parse(committed));

  it('accepts every example and the starter file', () => {
    const examples = join(root, 'examples');
    for (const f of readdirSync(examples).filter((x) => /\.(ya?ml|json)$/.test(x))) {
      const r = validator.safeParse(parse(readFileSync(join(examples, f), 'utf8')));
      expect(r.success, `${f}: ${r.error?.message}`).toBe(true);
    }
    expect(validator.safeParse(parse(starterYaml('mine', 'x'))).success).toBe(true);
  });

  it('rejects unknown fields, unknown kinds and malformed durations, as the loader does', () => {
    for (const doc of [
      { extends: 'seed', tiers: { nginx: { downstreamIdelTimeout: '5s' } } },
      { tiers: [{ kind: 'client' }, { kind: 'proxy', limit: 5 }] },
      { tiers: [{ kind: 'client' }, { kind: 'router', name: 'r' }] },
      { tiers: [{ kind: 'client', timeout: 'soon' }, { kind: 'server' }] },
      { instances: 2, colour: 'blue', tiers: [{ preset: 'client' }, { preset: 'database' }] },
    ])
      expect(validator.safeParse(doc).success, JSON.stringify(doc)).toBe(false);
  });
});
