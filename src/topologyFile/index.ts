/** Topology files: users describe their own pipeline in YAML or JSON (docs/topology-files.md). */
export { formatDuration, parseDuration } from '../../models/params/duration.js';
export { topologyJsonSchema, schemaPath } from './jsonSchema.js';
export { embeddedTopology } from './embedded.js';
export { isTopologyPath, loadTopologyFile, parseTopologyText, topologyFromData, type LoadOptions } from './load.js';
export { readTopologySource, sha256Of, type TopologySource } from './read.js';
export { formatProblems, TopologyFileError, type FileProblem, type ProblemsIn } from './problems.js';
export { resolveTopology, resolveTopologySource, type TopologyFileRef } from './resolve.js';
export { topologyToDocument, topologyToYaml } from './serialize.js';
export { starterYaml } from './starter.js';
