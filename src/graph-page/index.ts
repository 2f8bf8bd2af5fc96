export { readImageGraph, type GraphEdge, type GraphNode, type ImageGraph, type ImageGraphOptions, type Mark, type PackageGraph } from './model.js';
export { graphHtml } from './page.js';
export { graphDot, graphMermaid } from './text.js';
