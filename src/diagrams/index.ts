/**
 * Diagrams from the model: traces as sequence diagrams (PlantUML, Mermaid),
 * tier machines as state diagrams, the seed's own diagrams regenerated, and
 * rendering to SVG/PNG through mermaid-cli + Chromium and PlantUML.
 */
export { diagramSet, type DiagramEntry, type DiagramSet, type DiagramSetOptions } from './diagramSet.js';
export { galleryMarkdown } from './gallery.js';
export { IMAGE_FORMATS, imageFormats, type ImageFormat } from './imageFormats.js';
export { lanesOf, participantNames, type Lane, type LaneNames, type LaneSet } from './lanes.js';
export { machineDiagrams, tiersRunning, type MachineDiagram } from './machineDiagrams.js';
export { MERMAID_CONFIG } from './mermaidRenderer.js';
export { imagePath, renderSources, type RenderReport, type RenderSource } from './render.js';
export { allAnswered, scriptedTrace, type Script } from './scriptedRun.js';
export { actualTrace, mistakenTrace, SEED_PARTICIPANTS, seedDiagramSpecs, type TraceDiagramSpec } from './seedDiagrams.js';
export { ordinal, sequenceDiagram, type SequenceOptions } from './sequence.js';
export { mermaidText, sequenceToMermaid } from './sequenceMermaid.js';
export type { Box, Participant, SequenceDiagram, SequenceItem } from './sequenceModel.js';
export { sequenceToPlantUml } from './sequencePlantUml.js';
export { actionText, guardText, stateChartOf, type StateChart, type StateTransition } from './stateChart.js';
export { EVERY_STATE_ID, stateDrawing, transitionLine, type StateBox, type StateDrawing, type StateEdge } from './stateEdges.js';
export { stateToMermaid } from './stateMermaid.js';
export { stateToPlantUml } from './statePlantUml.js';
export { CHROMIUM_ARGS, findChromium, findGraphviz, findPlantUml, INSTALL, installHint, type Renderer } from './tools.js';
export { sequenceTexts, traceDiagramOptions, traceDiagramTexts, type DiagramTexts } from './traceDiagrams.js';
export { writeDiagrams, writeTraceDiagram, type DiagramsReport, type WriteDiagramsOptions } from './writeDiagrams.js';
