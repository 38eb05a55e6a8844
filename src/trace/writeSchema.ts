/** `npm run schema` (after the topology schema): regenerates schema/trace.schema.json from the zod schemas (a test fails when it is stale). */
import { writeTextAtomic } from '../io/atomicWrite.js';
import { traceJsonSchemaText, traceSchemaPath } from './jsonSchema.js';

const path = traceSchemaPath();
writeTextAtomic(path, traceJsonSchemaText());
process.stdout.write(`wrote ${path}\n`);
