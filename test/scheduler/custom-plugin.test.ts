/**
 * Custom scheduler plugins from modules: the shipped example scenario, the `--plugin` loader,
 * the export shapes accepted, and the errors for modules that cannot be used.
 */
import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { ScenarioError } from '../../src/scenario/errors.js';
import { loadScenario } from '../../src/scenario/loader.js';
import { loadPluginFiles } from '../../src/scenario/plugin-modules.js';
import { runSimulation } from '../../src/simulation.js';
import { SIM_HEAD, writeScenario } from './harness.js';

const EXAMPLE = join(process.cwd(), 'scenarios', 'prefer-labelled.yaml');
const PLUGIN = join(process.cwd(), 'scenarios', 'plugins', 'prefer-labelled-nodes.ts');

function nodesOfPods(result: ReturnType<typeof runSimulation>): string[] {
  return result.metrics.podRows().map((r) => String(r[2]));
}

function issuesOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (e) {
    if (e instanceof ScenarioError) {
      return e.issues.map(
        (i) => `${i.file.replace(/^.*\//, '')}:${i.line}:${i.column}: ${i.message}`,
      );
    }
    throw e;
  }
  throw new Error('expected a ScenarioError');
}

describe('the PreferLabelledNodes example (scenarios/prefer-labelled.yaml)', () => {
  it('fills the four reserved nodes (32 pods of half a cpu) before any on-demand node', () => {
    const nodes = nodesOfPods(runSimulation(loadScenario(EXAMPLE)));
    expect(nodes).toHaveLength(40);
    expect(nodes.slice(0, 32).every((n) => n.startsWith('reserved-'))).toBe(true);
    expect(nodes.slice(32).every((n) => n.startsWith('on-demand-'))).toBe(true);
  });

  it('spreads by LeastAllocated over all twelve nodes under the profile without the plugin', () => {
    const nodes = nodesOfPods(runSimulation(loadScenario(EXAMPLE), { profile: 'plain' }));
    // An empty node always scores higher: the first twelve pods land on twelve nodes.
    expect(new Set(nodes.slice(0, 12)).size).toBe(12);
  });
});

describe('loading plugin modules', () => {
  const scenario = (plugins: string, config = ''): string => `${SIM_HEAD('custom', '10m')}
  schedulerPlugins:
${plugins}
  nodePools:
    - name: n
      count: 2
      zones: [zone-a]
      template:
        status: { allocatable: { cpu: '4', memory: 16Gi, pods: '110' } }
${config}`;

  it('registers a --plugin module under its Name, configured through pluginConfig', () => {
    const plugins = loadPluginFiles([PLUGIN]);
    expect([...plugins.keys()]).toEqual(['PreferLabelledNodes']);
    const file = writeScenario(`${SIM_HEAD('flag', '5m')}
  nodePools:
    - { name: plain, count: 2, zones: [zone-a], template: { status: { allocatable: { cpu: '4', memory: 16Gi, pods: '110' } } } }
    - name: gold
      count: 1
      zones: [zone-a]
      template:
        metadata: { labels: { tier: gold } }
        status: { allocatable: { cpu: '4', memory: 16Gi, pods: '110' } }
  workloads:
    - name: app
      arrivals: { constant: { rate: 1/m }, until: 4m }
      template:
        kind: Pod
        spec: { containers: [{ name: c, image: x, resources: { requests: { cpu: 500m, memory: 1Gi } } }] }
---
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
  - plugins:
      score:
        enabled: [{ name: PreferLabelledNodes, weight: 10 }]
    pluginConfig:
      - { name: PreferLabelledNodes, args: { label: tier, value: gold } }
`);
    const nodes = nodesOfPods(runSimulation(loadScenario(file), { plugins }));
    expect(nodes).toEqual(['gold-0', 'gold-0', 'gold-0', 'gold-0']);
  });

  it('accepts a default export {name, factory} and a list of them', () => {
    const one = writeScenario(
      `export default { name: 'One', factory: () => ({ name: 'One', score: () => 0 }) };\n`,
      'one.mjs',
    );
    const two = writeScenario(
      `module.exports = { default: [\n` +
        `  { name: 'A', factory: () => ({ name: 'A', score: () => 0 }) },\n` +
        `  { name: 'B', factory: () => ({ name: 'B', score: () => 0 }) },\n` +
        `] };\n`,
      'two.cjs',
    );
    expect([...loadPluginFiles([one, two]).keys()]).toEqual(['One', 'A', 'B']);
  });

  it('resolves spec.schedulerPlugins paths against the scenario file', () => {
    writeScenario(
      `export const Name = 'Near';\nexport const factory = () => ({ name: 'Near', score: () => 0 });\n`,
      'near.js',
    );
    const s = loadScenario(writeScenario(scenario('    - path: near.js')));
    expect([...(s.schedulerPlugins ?? new Map()).keys()]).toEqual(['Near']);
  });

  const bad: Array<[string, string, string, string]> = [
    [
      'a module that exports no plugin',
      'none.ts',
      `export const helper = 1;\n`,
      'none.ts: expected the module to export `Name` (a string) and `factory` (a function), as the in-tree plugins do, or a default export {name, factory} (or a list of them); found exports helper',
    ],
    [
      'a module whose Name is not a string',
      'badname.js',
      `export const Name = 3;\nexport const factory = () => ({});\n`,
      'badname.js: expected the module to export `Name` (a string) and `factory` (a function), as the in-tree plugins do, or a default export {name, factory} (or a list of them); found Name: number, factory: function',
    ],
    [
      'a module that throws while loading',
      'throws.js',
      `throw new Error('no GPU driver');\n`,
      'throws.js: threw while loading: no GPU driver',
    ],
    [
      'a plugin named like an in-tree one',
      'clash.js',
      `export const Name = 'NodeResourcesFit';\nexport const factory = () => ({ name: 'x' });\n`,
      'clash.js: a plugin named NodeResourcesFit already exists',
    ],
    [
      'a path that is not a module',
      'plugin.yaml',
      `a: 1\n`,
      'plugin.yaml: expected a JavaScript or TypeScript module (.ts, .mts, .cts, .js, .mjs, .cjs)',
    ],
  ];
  it.each(bad)('reports %s at the scenario field', (_name, module, text, message) => {
    writeScenario(text, module);
    const file = writeScenario(scenario(`    - path: ${module}`));
    const [issue] = issuesOf(() => loadScenario(file));
    // Line 9 of the scenario is `- path: …`, its value at column 13; the module is named by
    // its path (absolute here, as the temporary directory is outside the working directory).
    expect(issue).toBe(`${file.replace(/^.*\//, '')}:9:13: ${join(file, '..', message)}`);
  });

  it('refuses a --plugin whose name is taken, as upstream Registry.Merge does', () => {
    const file = writeScenario(scenario(`    - path: ${PLUGIN}`));
    const clash = (name: string) =>
      issuesOf(() =>
        runSimulation(loadScenario(file), {
          plugins: new Map([[name, () => ({ name, score: () => 0 })]]),
        }),
      );
    expect(clash('NodeResourcesFit')).toEqual([
      '--plugin:0:0: a plugin named NodeResourcesFit already exists',
    ]);
    expect(clash('PreferLabelledNodes')).toEqual([
      '--plugin:0:0: a plugin named PreferLabelledNodes already exists',
    ]);
  });

  it('points at the line and column of a syntax error inside the module', () => {
    const module = writeScenario(
      `export const Name = 'Broken';\nexport const factory = ( => 1;\n`,
      'broken.ts',
    );
    expect(issuesOf(() => loadPluginFiles([module]))).toEqual([
      "broken.ts:2:26: does not parse: '(' expected.",
    ]);
  });

  it('reports bad plugin args at the profile, with the plugin message', () => {
    const file = writeScenario(
      scenario(
        `    - path: ${PLUGIN}`,
        `---
apiVersion: kubescheduler.config.k8s.io/v1
kind: KubeSchedulerConfiguration
profiles:
  - plugins:
      multiPoint:
        enabled: [{ name: PreferLabelledNodes }]
    pluginConfig:
      - { name: PreferLabelledNodes, args: { label: 7 } }
`,
      ),
    );
    const issues = issuesOf(() => runSimulation(loadScenario(file)));
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatch(
      /:20:5: PreferLabelledNodes args: label: expected a label key, found 7$/,
    );
  });
});
