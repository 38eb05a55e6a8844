import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseTrace } from '../../src/trace/file.js';
import { TRACE_SCHEMA_FILE, traceJsonSchemaText, traceSchemaPath } from '../../src/trace/jsonSchema.js';

const root = join(import.meta.dirname, '../..');
const committed = readFileSync(join(root, TRACE_SCHEMA_FILE), 'utf8');

/** Every trace committed to the repository: the diagrams' and the matrix's. */
const traces = [
  ...readdirSync(join(root, 'diagrams')).filter((f) => f.endsWith('.trace.json')).map((f) => join(root, 'diagrams', f)),
  ...readdirSync(join(root, 'docs/matrix'), { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(join(root, 'docs/matrix', d.name)).filter((f) => f.endsWith('.trace.json')).map((f) => join(root, 'docs/matrix', d.name, f))),
];

describe('the trace JSON Schema (schema/trace.schema.json)', () => {
  it('is up to date with the zod schemas readTrace validates with (regenerate with `npm run schema`)', () => {
    expect(committed).toBe(traceJsonSchemaText());
    expect(traceSchemaPath()).toBe(join(root, TRACE_SCHEMA_FILE));
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts.schema).toContain('src/trace/writeSchema.ts');
  });

  // An independent reading of the schema (JSON Schema back to a validator).
  const validator = z.fromJSONSchema(JSON.parse(committed));

  it('accepts every committed trace, and so does readTrace', () => {
    expect(traces.length).toBeGreaterThan(40);
    for (const path of traces) {
      const data = JSON.parse(readFileSync(path, 'utf8')) as unknown;
      const r = validator.safeParse(data);
      expect(r.success, `${path}: ${r.error?.message}`).toBe(true);
      expect(() => parseTrace(readFileSync(path, 'utf8'), path)).not.toThrow();
    }
  });

  it('rejects what readTrace rejects for its shape: an unknown field, an event without its fields, a bad id, a wrong version', () => {
    const base = JSON.parse(readFileSync(traces[0]!, 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const edits: ((t: Record<string, any>) => void)[] = [ // eslint-disable-line @typescript-eslint/no-explicit-any
      (t) => (t.colour = 'blue'),
      (t) => delete t.events[0].at,
      (t) => (t.events.find((e: { type: string }) => e.type === 'connect').conn = 'not an id'),
      (t) => (t.events[0].type = 'teleport'),
      (t) => (t.version = 2),
      (t) => (t.scenario.clients = 65),
      (t) => (t.topologyFile = { path: 'x.yaml', sha256: 'abc' }),
    ];
    for (const edit of edits) {
      const t = structuredClone(base);
      edit(t);
      expect(validator.safeParse(t).success, edit.toString()).toBe(false);
      expect(() => parseTrace(JSON.stringify(t), 'x.trace.json'), edit.toString()).toThrow();
    }
  });
});
