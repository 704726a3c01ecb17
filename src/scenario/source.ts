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

  throwIfAny(): void {
    if (this.list.length) throw new ScenarioError(this.list);
  }
}

/** How a found value is shown in messages: strings quoted, maps/lists by kind. */
export function describe(v: unknown): string {
  if (v === null || v === undefined) return 'nothing';
  if (typeof v === 'string') return JSON.stringify(v);
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

/** Reads a scenario file or a directory of YAML files (read in name order). */
export function readScenarioSources(path: string): SourceDoc[] {
  const issues = new Issues();
  let files: string[];
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new ScenarioError([
      { file: path, line: 0, column: 0, path: '', message: 'no such file or directory' },
    ]);
  }
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
      if (doc.contents === null) continue; // empty document (e.g. a trailing ---)
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
    if (all.length === 0 || (index === 0 && !issues.list.some((i) => i.file === file))) {
      issues.file(
        file,
        'file is empty: expected YAML documents (a Simulation and Kubernetes objects)',
      );
    }
  }
  issues.throwIfAny();
  return docs;
}

function firstLine(s: string): string {
  return s.split('\n')[0]!.trim();
}

function displayName(abs: string): string {
  const rel = relative(process.cwd(), abs);
  return rel && !rel.startsWith('..') ? rel : abs;
}
