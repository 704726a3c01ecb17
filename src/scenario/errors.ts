/**
 * User mistakes in scenario files. Every issue names file:line:column, the field path, what
 * was expected and what was found; the loader collects all of them before failing, so a
 * user fixes a file in one pass.
 */
export interface ScenarioIssue {
  file: string;
  line: number;
  column: number;
  /** Field path like `spec.nodePools[0].count`. */
  path: string;
  message: string;
}

export function formatIssue(i: ScenarioIssue): string {
  const where = i.line > 0 ? `${i.file}:${i.line}:${i.column}` : i.file;
  return i.path ? `${where}: ${i.path}: ${i.message}` : `${where}: ${i.message}`;
}

export class ScenarioError extends Error {
  constructor(readonly issues: ScenarioIssue[]) {
    super(
      `${issues.length} error${issues.length === 1 ? '' : 's'} in scenario:\n` +
        issues.map((i) => '  ' + formatIssue(i)).join('\n'),
    );
    this.name = 'ScenarioError';
  }
}

export type Path = ReadonlyArray<string | number>;

/** `spec.nodePools[0].template` from ['spec','nodePools',0,'template']. */
export function formatPath(path: Path): string {
  let s = '';
  for (const seg of path) {
    if (typeof seg === 'number') s += `[${seg}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(seg)) s += s ? `.${seg}` : seg;
    else s += `[${JSON.stringify(seg)}]`;
  }
  return s;
}
