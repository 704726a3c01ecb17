/**
 * Custom scheduler plugins from user modules (`spec.schedulerPlugins[].path` in the Simulation
 * document, or `ksim run --plugin PATH`). A module exports its plugin the way in-tree plugins
 * do — `export const Name = '…'` and `export const factory: PluginFactory` — or as a default
 * export `{ name, factory }` (or a list of them). Each is registered under its name and
 * configured like a built-in one through the KubeSchedulerConfiguration (enabled at extension
 * points or multiPoint, weights, pluginConfig args handed to the factory).
 *
 * Loading is synchronous and deterministic: the file (`.ts`, `.mts`, `.js`, `.mjs`, `.cjs`) is
 * transpiled to CommonJS by the `typescript` package's transpileModule (types are stripped, not
 * checked) and evaluated once, with `require` resolving relative to the file — so loading fits
 * inside loadScenario and every command that loads a scenario gets the plugins. A module that
 * does not parse, throws while loading, or exports no plugin is a ScenarioError naming the file
 * and what was expected.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, isAbsolute, relative, resolve } from 'node:path';
import vm from 'node:vm';
import type { PluginFactory } from '../scheduler/framework/interfaces.js';
import { inTreeRegistry } from '../scheduler-plugins/registry.js';
import type { Path } from './errors.js';
import { Issues, type SourceDoc } from './source.js';

export const PLUGIN_MODULE_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];

export interface LoadedPlugin {
  name: string;
  factory: PluginFactory;
}

/** Why a module could not be loaded; line/column (1-based) when the problem has a place. */
export class PluginModuleError extends Error {
  constructor(
    message: string,
    readonly line = 0,
    readonly column = 0,
  ) {
    super(message);
    this.name = 'PluginModuleError';
  }
}

const EXPECTED =
  'expected the module to export `Name` (a string) and `factory` (a function), as the in-tree ' +
  'plugins do, or a default export {name, factory} (or a list of them)';

interface TypeScriptApi {
  transpileModule(
    input: string,
    options: {
      compilerOptions: Record<string, unknown>;
      fileName: string;
      reportDiagnostics: boolean;
    },
  ): {
    outputText: string;
    diagnostics?: Array<{
      messageText: string | { messageText: string };
      start?: number;
      file?: { getLineAndCharacterOfPosition(p: number): { line: number; character: number } };
    }>;
  };
  ModuleKind: { CommonJS: number };
  ScriptTarget: { ES2022: number };
}

let typescript: TypeScriptApi | undefined;

/** The compiler is loaded only when a plugin module is: it is large and most runs have none. */
function ts(): TypeScriptApi {
  if (!typescript) {
    try {
      typescript = createRequire(import.meta.url)('typescript') as TypeScriptApi;
    } catch {
      throw new PluginModuleError(
        'loading plugin modules needs the "typescript" package (npm install typescript)',
      );
    }
  }
  return typescript;
}

/** Reads, transpiles and evaluates one module; returns the plugins it exports (at least one). */
export function loadPluginModule(absPath: string): LoadedPlugin[] {
  const ext = extname(absPath);
  if (!PLUGIN_MODULE_EXTENSIONS.includes(ext)) {
    throw new PluginModuleError(
      `expected a JavaScript or TypeScript module (${PLUGIN_MODULE_EXTENSIONS.join(', ')})`,
    );
  }
  let source: string;
  try {
    source = readFileSync(absPath, 'utf8');
  } catch (e) {
    throw new PluginModuleError(`cannot read the module: ${(e as Error).message}`);
  }
  const api = ts();
  const out = api.transpileModule(source, {
    compilerOptions: {
      module: api.ModuleKind.CommonJS,
      target: api.ScriptTarget.ES2022,
      esModuleInterop: true,
    },
    // As a .ts name: TypeScript keeps ESM syntax in .mjs/.mts output whatever `module` says.
    fileName: 'plugin.ts',
    reportDiagnostics: true,
  });
  const diagnostic = out.diagnostics?.[0];
  if (diagnostic) {
    const text =
      typeof diagnostic.messageText === 'string'
        ? diagnostic.messageText
        : diagnostic.messageText.messageText;
    const pos =
      diagnostic.file && diagnostic.start !== undefined
        ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start)
        : undefined;
    throw new PluginModuleError(
      `does not parse: ${text}`,
      pos ? pos.line + 1 : 0,
      pos ? pos.character + 1 : 0,
    );
  }
  const exports = evaluate(out.outputText, absPath);
  return pluginsOf(exports);
}

/** Runs CommonJS output as Node would: its own module object, require relative to the file. */
function evaluate(code: string, absPath: string): Record<string, unknown> {
  const module = { exports: {} as Record<string, unknown> };
  try {
    const wrapper = vm.runInThisContext(
      `(function (exports, require, module, __filename, __dirname) {${code}\n})`,
      { filename: absPath },
    ) as (...args: unknown[]) => void;
    wrapper(module.exports, createRequire(absPath), module, absPath, dirname(absPath));
  } catch (e) {
    throw new PluginModuleError(`threw while loading: ${(e as Error)?.message ?? String(e)}`);
  }
  return module.exports;
}

function pluginsOf(exports: Record<string, unknown>): LoadedPlugin[] {
  const found: LoadedPlugin[] = [];
  const named = exports.Name;
  const factory = exports.factory;
  if (named !== undefined || factory !== undefined) {
    if (typeof named !== 'string' || named === '' || typeof factory !== 'function') {
      throw new PluginModuleError(
        `${EXPECTED}; found Name: ${typeof named}, factory: ${typeof factory}`,
      );
    }
    found.push({ name: named, factory: factory as PluginFactory });
  }
  const def = exports.default;
  if (def !== undefined) {
    for (const [i, entry] of (Array.isArray(def) ? def : [def]).entries()) {
      const e = entry as { name?: unknown; factory?: unknown } | null;
      if (!e || typeof e.name !== 'string' || e.name === '' || typeof e.factory !== 'function') {
        const where = Array.isArray(def) ? `default export [${i}]` : 'default export';
        throw new PluginModuleError(`${EXPECTED}; the ${where} is not {name, factory}`);
      }
      found.push({ name: e.name, factory: e.factory as PluginFactory });
    }
  }
  if (found.length === 0) {
    const names = Object.keys(exports).filter((k) => k !== '__esModule');
    throw new PluginModuleError(
      `${EXPECTED}; found ${names.length ? `exports ${names.join(', ')}` : 'no exports'}`,
    );
  }
  return found;
}

/**
 * Loads several modules into one name → factory map. Problems are reported through `report`
 * (index of the module, message, line/column in the module file if known) and loading goes on,
 * so every bad module is named at once. `reserved` holds names taken already (in-tree plugins).
 */
export function loadPluginModules(
  absPaths: readonly string[],
  reserved: ReadonlySet<string>,
  report: (index: number, message: string, line: number, column: number) => void,
): Map<string, PluginFactory> {
  const plugins = new Map<string, PluginFactory>();
  absPaths.forEach((path, i) => {
    let loaded: LoadedPlugin[];
    try {
      loaded = loadPluginModule(path);
    } catch (e) {
      if (!(e instanceof PluginModuleError)) throw e;
      report(i, e.message, e.line, e.column);
      return;
    }
    for (const p of loaded) {
      if (reserved.has(p.name) || plugins.has(p.name)) {
        report(i, `a plugin named ${p.name} already exists`, 0, 0);
        continue;
      }
      plugins.set(p.name, p.factory);
    }
  });
  return plugins;
}

/**
 * The Simulation document's `spec.schedulerPlugins`: a problem with a place in the module is
 * reported there (module file:line:col), anything else at the scenario's `path` field.
 */
export function loadScenarioPlugins(
  refs: ReadonlyArray<{ absPath: string; path: Path }>,
  src: SourceDoc,
  issues: Issues,
): Map<string, PluginFactory> {
  return loadPluginModules(
    refs.map((r) => r.absPath),
    new Set(inTreeRegistry().keys()),
    (i, message, line, column) => {
      const ref = refs[i]!;
      if (line > 0) issues.file(displayPath(ref.absPath), message, line, column);
      else issues.at(src, ref.path, `${displayPath(ref.absPath)}: ${message}`);
    },
  );
}

/** A path as messages show it: relative to the working directory when below it. */
export function displayPath(absPath: string): string {
  const rel = relative(process.cwd(), absPath);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : absPath;
}

/** `--plugin PATH` modules (relative to the working directory); a ScenarioError names each problem. */
export function loadPluginFiles(paths: readonly string[]): Map<string, PluginFactory> {
  const issues = new Issues();
  const abs = paths.map((p) => resolve(p));
  const plugins = loadPluginModules(
    abs,
    new Set(inTreeRegistry().keys()),
    (i, message, line, column) =>
      issues.file(line > 0 ? displayPath(abs[i]!) : `--plugin ${paths[i]}`, message, line, column),
  );
  issues.throwIfAny();
  return plugins;
}
