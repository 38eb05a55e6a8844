import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTopologyText } from '../../src/topologyFile/load.js';

/** The documentation's example files load as written. */
describe('docs/topology-files.md', () => {
  it('every YAML example with tiers loads', () => {
    const doc = readFileSync(join(import.meta.dirname, '../../docs/topology-files.md'), 'utf8');
    const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!).filter((b) => /^tiers:/m.test(b));
    expect(blocks.length).toBeGreaterThanOrEqual(2);
    for (const b of blocks) expect(() => parseTopologyText(b, { source: 'docs-example.yaml' }), b).not.toThrow();
  });
});
