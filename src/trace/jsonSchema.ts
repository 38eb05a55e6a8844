import { join } from 'node:path';
import { z } from 'zod';
import { packageRoot } from '../topologyFile/jsonSchema.js';
import { traceJsonSchemaSource } from './schema.js';

/** Where the trace JSON Schema lives in the package, beside the topology file's (committed, shipped, `npm run schema`). */
export const TRACE_SCHEMA_FILE = 'schema/trace.schema.json';

/** The JSON Schema of trace files, generated from the zod schemas `readTrace` validates with (draft-07, as the topology schema). */
export function traceJsonSchema(): Record<string, unknown> {
  const generated = z.toJSONSchema(traceJsonSchemaSource(), { io: 'input', target: 'draft-7', unrepresentable: 'throw' }) as Record<string, unknown>;
  const { $schema, ...rest } = generated;
  return { $schema, title: 'connmodel trace', ...rest };
}

/** The schema file's text, exactly as committed. */
export function traceJsonSchemaText(): string {
  return `${JSON.stringify(traceJsonSchema(), null, 2)}\n`;
}

/** The absolute path of the shipped trace JSON Schema. */
export function traceSchemaPath(): string {
  return join(packageRoot(), TRACE_SCHEMA_FILE);
}
