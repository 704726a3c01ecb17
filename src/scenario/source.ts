/**
 * Reading scenario files into YAML documents that remember where every value came from,
 * so validation errors can point at file:line:column.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  type Document,
  type Node,
} from 'yaml';
import { quoteFound } from '../engine/found.js';
import { ScenarioError, type Path, type ScenarioIssue, formatPath } from './errors.js';

export interface SourceDoc {
  /** File name as shown in messages (relative to the working directory when possible). */
  file: string;
  /** Absolute path of the file (relative paths inside the document resolve against it). */
  absFile: string;
  index: number;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  value: unknown;
}

/** Collects issues against documents; the loader throws them together at the end. */
export class Issues {
  readonly list: ScenarioIssue[] = [];

  at(src: SourceDoc, path: Path, message: string): void {
    const { line, column } = locate(src, path);
    this.list.push({ file: src.file, line, column, path: formatPath(path), message });
  }

  /** `expected X, found Y` at a field. */
  expected(src: SourceDoc, path: Path, expected: string, found: unknown): void {
    this.at(src, path, `expected ${expected}, found ${describe(found)}`);
  }

  file(file: string, message: string, line = 0, column = 0): void {
    this.list.push({ file, line, column, path: '', message });
  }

  get count(): number {
    return this.list.length;
  }

  /** Throws every issue at once, sorted by file, line and column (stable for ties). */
  throwIfAny(): void {
    if (this.list.length) throw new ScenarioError(sortIssues(this.list));
  }
}

/** By file name, then line, then column; issues at the same place keep the order they were found. */
export function sortIssues(list: readonly ScenarioIssue[]): ScenarioIssue[] {
  return [...list].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.line - b.line || a.column - b.column,
  );
}

/** How a found value is shown in messages: strings quoted (long ones cut), maps/lists by kind. */
export function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (typeof v === 'string') return quoteFound(v);
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  return String(v);
}

/** Line/column of the value at `path` (or of its nearest existing ancestor). */
export function locate(src: SourceDoc, path: Path): { line: number; column: number } {
  let node: unknown = src.doc.contents;
  let best: Node | null = (src.doc.contents as Node | null) ?? null;
  let keyNode: Node | null = null;
  for (const seg of path) {
    keyNode = null;
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg),
      );
      if (!pair) break;
      keyNode = pair.key as Node;
      node = pair.value;
      if (pair.value && (pair.value as Node).range) best = pair.value as Node;
      else best = keyNode;
    } else if (isSeq(node) && typeof seg === 'number') {
      const item = node.items[seg];
      if (!item) break;
      node = item;
      if ((item as Node).range) best = item as Node;
    } else {
      break;
    }
  }
  const offset = best?.range?.[0] ?? 0;
  const pos = src.lineCounter.linePos(offset);
  return { line: pos.line, column: pos.col };
}

const YAML_EXT = /\.ya?ml$/i;

/**
 * Reads a scenario file or a directory of YAML files (read in name order). Throws at the end
 * with every problem of every file; `readScenarioSourcesInto` is the form that keeps going.
 */
export function readScenarioSources(path: string): SourceDoc[] {
  const issues = new Issues();
  const { docs } = readScenarioSourcesInto(path, issues);
  issues.throwIfAny();
  return docs;
}

export interface ReadSources {
  /** The documents that could be read. */
  docs: SourceDoc[];
  /**
   * False when a file or a document could not be read: a check across documents (is there a
   * Simulation, does the node a pod names exist) cannot tell a missing object from an unreadable one.
   */
  complete: boolean;
}

/**
 * Like readScenarioSources, but problems are recorded in `issues` and every readable document
 * is still returned, so the loader can report a YAML error in one file together with the field
 * errors of the others. Empty documents (a trailing `---`, a document of comments) are skipped,
 * as kubectl skips them.
 */
export function readScenarioSourcesInto(path: string, issues: Issues): ReadSources {
  let st;
  try {
    st = statSync(path);
  } catch {
    issues.file(path, 'no such file or directory');
    return { docs: [], complete: false };
  }
  const before = issues.count;
  let files: string[];
  if (st.isDirectory()) {
    files = readdirSync(path)
      .filter((f) => YAML_EXT.test(f))
      .sort()
      .map((f) => join(path, f));
    if (files.length === 0) issues.file(path, 'directory holds no .yaml or .yml files');
  } else {
    files = [path];
  }
  const docs: SourceDoc[] = [];
  for (const abs of files) {
    const file = displayName(abs);
    let text: string;
    try {
      text = readFileSync(abs, 'utf8');
    } catch (e) {
      issues.file(file, `cannot read file: ${(e as Error).message}`);
      continue;
    }
    const fileIssues = issues.count;
    const lineCounter = new LineCounter();
    const parsed = parseAllDocuments(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
    const all = Array.isArray(parsed) ? parsed : [];
    let index = 0;
    for (const doc of all) {
      if (doc.errors.length) {
        for (const err of doc.errors) {
          const pos = err.linePos?.[0] ?? lineCounter.linePos(err.pos[0]);
          issues.file(file, `invalid YAML: ${firstLine(err.message)}`, pos.line, pos.col);
        }
        continue;
      }
      if (isEmptyDocument(doc)) continue;
      let value: unknown;
      try {
        value = doc.toJS({ maxAliasCount: 100 });
      } catch (e) {
        const pos = lineCounter.linePos(doc.contents?.range?.[0] ?? 0);
        issues.file(file, `invalid YAML: ${firstLine((e as Error).message)}`, pos.line, pos.col);
        continue;
      }
      docs.push({ file, absFile: abs, index: index++, doc, lineCounter, value });
    }
    if (index === 0 && issues.count === fileIssues) {
      issues.file(
        file,
        'file is empty: expected YAML documents (a Simulation and Kubernetes objects)',
      );
    }
  }
  return { docs, complete: issues.count === before };
}

/**
 * No content at all: yaml 2 gives an empty document (after a trailing `---`, or holding only
 * comments) a null Scalar with empty source, not null contents. An explicit `null` or `~` is
 * content, and is reported as a document that is not an object.
 */
function isEmptyDocument(doc: Document.Parsed): boolean {
  const c = doc.contents;
  return c === null || (isScalar(c) && c.value === null && c.source === '');
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}

function displayName(abs: string): string {
  const rel = relative(process.cwd(), abs);
  return rel && !rel.startsWith('..') ? rel : abs;
}
