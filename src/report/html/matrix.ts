import { readFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { InputError } from '../../../models/inputError.js';

/** The parts of `connmodel matrix --json` the report reads. */
export interface MatrixDocument {
  command?: string;
  topologies: {
    name: string;
    description?: string;
    results: Record<string, { verdict: string; healthy?: boolean; counterexample?: { trace?: string }; witness?: { trace?: string } }>;
  }[];
}

/** A matrix cell as the report shows it: the verdict, whether it is a healthy pipeline's, and links. */
export interface MatrixCellView {
  verdict: string;
  healthy: boolean | null;
  /** The cell's trace, relative to the report. */
  trace: string | null;
  /** This report's own section for it (same topology and property), or null. */
  anchor: string | null;
}

export interface MatrixView {
  command: string | null;
  properties: string[];
  rows: { topology: string; description: string; cells: (MatrixCellView | null)[] }[];
}

/** Reads a `connmodel matrix --json` document, or says in one line what is wrong with it. */
export function readMatrixDocument(path: string): MatrixDocument {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    const why = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    throw new InputError(`--matrix ${path}: cannot read it as JSON (${why}); write one with: connmodel matrix --json > ${path}`);
  }
  const d = data as Partial<MatrixDocument>;
  if (!Array.isArray(d.topologies) || !d.topologies.every((t) => t && typeof t.name === 'string' && typeof t.results === 'object' && t.results !== null))
    throw new InputError(`--matrix ${path}: not the output of connmodel matrix --json (expected "topologies": [{"name", "results"}, ...])`);
  return d as MatrixDocument;
}

/**
 * The matrix for the report. Trace paths in the document are relative to
 * where `connmodel matrix` ran (the working directory, or its --doc file's
 * folder); they are rewritten relative to the report's folder.
 */
export function matrixView(doc: MatrixDocument, reportFile: string, own: { topology: string; anchors: ReadonlyMap<string, string> }): MatrixView {
  const properties = [...new Set(doc.topologies.flatMap((t) => Object.keys(t.results)))];
  const link = (path: string | undefined) => (path ? relative(dirname(resolve(reportFile)), resolve(path)).split(sep).join('/') : null);
  return {
    command: doc.command ?? null,
    properties,
    rows: doc.topologies.map((t) => ({
      topology: t.name,
      description: t.description ?? '',
      cells: properties.map((p) => {
        const c = t.results[p];
        if (!c) return null;
        return {
          verdict: c.verdict,
          healthy: c.healthy ?? null,
          trace: link(c.counterexample?.trace ?? c.witness?.trace),
          anchor: t.name === own.topology ? (own.anchors.get(p) ?? null) : null,
        };
      }),
    })),
  };
}
