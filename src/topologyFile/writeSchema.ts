/** `npm run schema`: regenerates schema/topology.schema.json from the zod schemas (a test fails when it is stale). */
import { writeTextAtomic } from '../io/atomicWrite.js';
import { schemaPath, topologyJsonSchemaText } from './jsonSchema.js';

const path = schemaPath();
writeTextAtomic(path, topologyJsonSchemaText());
process.stdout.write(`wrote ${path}\n`);
