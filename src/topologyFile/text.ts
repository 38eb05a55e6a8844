import { isMap, isScalar, isSeq, LineCounter, parseDocument, Parser, type Document, type Node } from 'yaml';
import type { DocPath, FileProblem } from './problems.js';

/**
 * Reading a topology file's text: YAML or JSON to plain data, safely (bounded
 * size, nesting and alias expansion), with a way back from a path in the data
 * to a line and column in the text for error messages.
 */

/** Far above any real topology file (a few KiB); keeps the worst case of the parsers well under a second. */
export const MAX_FILE_BYTES = 256 * 1024;
/** A topology file nests 5 levels (tiers > tier > latency window); anything much deeper is not one. */
export const MAX_NESTING = 24;
/** Aliases (`*name`) a file may expand: enough for sharing a few tier settings, far too few for a "billion laughs" document. */
export const MAX_ALIASES = 100;

export interface ParsedText {
  data: unknown;
  /** Line and column (1-based) of a path, or of its nearest ancestor that the text shows. */
  position(path: DocPath): { line: number; col: number } | undefined;
}

type Fail = (problem: Omit<FileProblem, 'source'>) => void;

/** The deepest nesting of collections in the concrete syntax tree, walked without recursion. */
function nestingOf(src: string): number {
  let max = 0;
  const stack: [unknown, number][] = [];
  for (const token of new Parser().parse(src)) stack.push([token, 0]);
  while (stack.length > 0) {
    const [t, d] = stack.pop()!;
    if (typeof t !== 'object' || t === null) continue;
    if (d > max) max = d;
    if (d > MAX_NESTING) return d;
    const tok = t as { type?: string; value?: unknown; items?: { key?: unknown; value?: unknown }[] };
    if (tok.type === 'document') stack.push([tok.value, d]);
    else if (Array.isArray(tok.items)) for (const it of tok.items) for (const s of [it.key, it.value]) if (s) stack.push([s, d + 1]);
  }
  return max;
}

function lineColOf(text: string, offset: number): { line: number; col: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++)
    if (text.charCodeAt(i) === 10) {
      line++;
      last = i;
    }
  return { line, col: offset - last };
}

/** Parses `text` as YAML or JSON. Problems go to `fail`; returns null when the text cannot be read as data at all. */
export function parseText(text: string, format: 'yaml' | 'json', fail: Fail): ParsedText | null {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_FILE_BYTES) {
    fail({ path: [], message: `the file is ${Math.ceil(bytes / 1024)} KiB; a topology file may be at most ${MAX_FILE_BYTES / 1024} KiB` });
    return null;
  }
  // The parsers recurse over nesting; measure it first with the (iterative) CST parser.
  const depth = nestingOf(text);
  if (depth > MAX_NESTING) {
    fail({ path: [], message: `the document nests more than ${MAX_NESTING} levels deep; a topology file needs about 5` });
    return null;
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, merge: format === 'yaml', uniqueKeys: true, prettyErrors: false, strict: true, version: '1.2' });
  const where = (offset: number | undefined) => {
    if (offset === undefined) return {};
    const p = lineCounter.linePos(offset);
    return { line: p.line, col: p.col };
  };
  let failed = false;
  for (const e of [...doc.errors, ...doc.warnings]) {
    failed = true;
    // The parser's own words for this one name a function of its API ("please use YAML.parseAllDocuments()").
    const message =
      e.code === 'MULTIPLE_DOCS'
        ? 'the file holds more than one YAML document (a `---` line after the first); a topology file is one document'
        : `${format === 'json' ? 'JSON' : 'YAML'} syntax: ${e.message.split('\n')[0]}`;
    fail({ path: [], ...where(e.pos[0]), message });
  }
  if (failed) return null;
  let data: unknown;
  if (format === 'json') {
    try {
      data = JSON.parse(text);
    } catch (e) {
      const msg = (e as Error).message;
      const at = /position (\d+)/.exec(msg);
      fail({ path: [], ...(at ? lineColOf(text, Number(at[1])) : {}), message: `JSON syntax: ${msg}` });
      return null;
    }
  } else {
    try {
      data = doc.toJS({ maxAliasCount: MAX_ALIASES });
    } catch (e) {
      const msg = (e as Error).message;
      fail({
        path: [],
        message: /alias count/i.test(msg)
          ? `the document expands aliases (*name) more than ${MAX_ALIASES} times; a topology file needs a few`
          : `YAML: ${msg.split('\n')[0]}`,
      });
      return null;
    }
  }
  return { data, position: (path) => positionOf(doc, lineCounter, path) };
}

/** Where `path` is in the text: the key of the last mapping entry found on the way, or the sequence item. */
function positionOf(doc: Document, lc: LineCounter, path: DocPath): { line: number; col: number } | undefined {
  let node: unknown = doc.contents;
  let offset = (node as Node | null)?.range?.[0];
  for (const seg of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  if (offset === undefined) return undefined;
  const p = lc.linePos(offset);
  return { line: p.line, col: p.col };
}
