/** Small scenario files written to a temporary directory, and their errors as one line each. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { ScenarioError } from '../../src/scenario/errors.js';
import { loadScenario } from '../../src/scenario/loader.js';

export const HEAD = `apiVersion: ksim.dev/v1alpha1
kind: Simulation
metadata: {name: t}
spec:
  duration: 1h
`;

/** A fresh directory; `write` puts files in it (subdirectories made as needed). */
export function scratch(prefix: string): {
  dir: string;
  write: (name: string, text: string) => string;
  errorsOf: (path: string) => string[];
} {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const write = (name: string, text: string): string => {
    const file = join(dir, name);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    return file;
  };
  /** `file:line:col: path: message`, file relative to the scratch directory. */
  const errorsOf = (path: string): string[] => {
    try {
      loadScenario(path);
    } catch (e) {
      if (e instanceof ScenarioError) {
        return e.issues.map((i) => {
          const f = relative(dir, i.file.startsWith('/') ? i.file : join(process.cwd(), i.file));
          return `${f}:${i.line}:${i.column}: ${i.path ? i.path + ': ' : ''}${i.message}`;
        });
      }
      throw e;
    }
    throw new Error('expected a ScenarioError');
  };
  return { dir, write, errorsOf };
}
