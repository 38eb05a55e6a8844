/**
 * `npm run architecture`: draws the import graph of the sources as they are
 * (docs/architecture.mmd, rendered to SVG when Chromium is there) and
 * writes it into ARCHITECTURE.md between its markers. test/architecture
 * fails when either is stale.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSources } from '../diagrams/render.js';
import { writeBytesAtomic, writeTextAtomic } from '../io/atomicWrite.js';
import { architectureDoc, ARCHITECTURE_MMD } from './doc.js';
import { folderGraphMermaid, importEdges, LAYERED_DIRS, sourceFiles } from './imports.js';

const root = process.cwd();
const graph = folderGraphMermaid(importEdges(root, sourceFiles(root, LAYERED_DIRS)));
writeTextAtomic(join(root, ARCHITECTURE_MMD), graph);
const doc = join(root, 'ARCHITECTURE.md');
writeTextAtomic(doc, architectureDoc(readFileSync(doc, 'utf8'), graph));
const r = await renderSources([{ path: join(root, ARCHITECTURE_MMD), text: graph }], ['svg'], writeBytesAtomic);
process.stdout.write(`wrote ${ARCHITECTURE_MMD}, ARCHITECTURE.md${r.written.length > 0 ? ` and ${r.written.length} image` : ''}\n`);
if (r.missing) process.stderr.write(`${r.missing}\n`);
for (const e of r.errors) process.stderr.write(`render failed: ${e}\n`);
