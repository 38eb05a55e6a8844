/** Topology files: users describe their own pipeline in YAML or JSON (docs/topology-files.md). */
export { formatDuration, parseDuration } from '../../models/params/duration.js';
export { topologyJsonSchema, schemaPath } from './jsonSchema.js';
export { isTopologyPath, loadTopologyFile, parseTopologyText, type LoadOptions } from './load.js';
export { TopologyFileError, type FileProblem } from './problems.js';
export { resolveTopology } from './resolve.js';
export { topologyToDocument, topologyToYaml } from './serialize.js';
export { starterYaml } from './starter.js';
