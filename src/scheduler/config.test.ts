/**
 * KubeSchedulerConfiguration plugin merging. The merge and expansion tables are upstream's own
 * cases: apis/config/v1/default_plugins_test.go TestMergePlugins and
 * framework/runtime/framework_test.go TestNewFrameworkMultiPointExpansion (their test plugins
 * rebuilt with the extension points the expected lists imply).
 */
import { describe, expect, it } from '@jest/globals';
import type { ExtensionPoint, MergedPlugins } from './config.js';
import { EXTENSION_POINTS, expandPlugins, mergePluginSet } from './config.js';

type Ref = { name: string; weight?: number };
const set = (enabled: Ref[] = [], disabled: string[] = []) => ({
  enabled,
  disabled: disabled.map((name) => ({ name })),
});
const names = (...n: string[]): Ref[] => n.map((name) => ({ name }));

describe('mergePluginSet (TestMergePlugins)', () => {
  const cases: Array<[string, ReturnType<typeof set>, ReturnType<typeof set>, Ref[]]> = [
    [
      'AppendCustomPlugin: a custom plugin goes after the defaults',
      set(names('DefaultPlugin1', 'DefaultPlugin2')),
      set(names('CustomPlugin')),
      names('DefaultPlugin1', 'DefaultPlugin2', 'CustomPlugin'),
    ],
    [
      'InsertAfterDefaultPlugins2: a disabled default re-enabled after a custom one follows it',
      set(names('DefaultPlugin1', 'DefaultPlugin2')),
      set(names('CustomPlugin', 'DefaultPlugin2'), ['DefaultPlugin2']),
      names('DefaultPlugin1', 'CustomPlugin', 'DefaultPlugin2'),
    ],
    [
      'InsertBeforeAllPlugins: with * disabled the custom list is the whole list',
      set(names('DefaultPlugin1', 'DefaultPlugin2')),
      set(names('CustomPlugin', 'DefaultPlugin1', 'DefaultPlugin2'), ['*']),
      names('CustomPlugin', 'DefaultPlugin1', 'DefaultPlugin2'),
    ],
    [
      'ReorderDefaultPlugins: * then the defaults in another order',
      set(names('DefaultPlugin1', 'DefaultPlugin2')),
      set(names('DefaultPlugin2', 'DefaultPlugin1'), ['*']),
      names('DefaultPlugin2', 'DefaultPlugin1'),
    ],
    [
      'CustomPluginOverrideDefaultPlugin: a re-configured default keeps its place',
      set(names('Plugin1', 'Plugin2', 'Plugin3')),
      set([
        { name: 'Plugin1', weight: 2 },
        { name: 'Plugin3', weight: 3 },
      ]),
      [{ name: 'Plugin1', weight: 2 }, { name: 'Plugin2' }, { name: 'Plugin3', weight: 3 }],
    ],
    [
      'OrderPreserveAfterOverride: overrides follow the default order, not the custom one',
      set(names('Plugin1', 'Plugin2', 'Plugin3')),
      set([
        { name: 'Plugin2', weight: 2 },
        { name: 'Plugin1', weight: 1 },
      ]),
      [{ name: 'Plugin1', weight: 1 }, { name: 'Plugin2', weight: 2 }, { name: 'Plugin3' }],
    ],
    [
      'RepeatedCustomPlugin: the last entry overrides, the earlier one is appended',
      set(names('Plugin1', 'Plugin2', 'Plugin3')),
      set([
        { name: 'Plugin1' },
        { name: 'Plugin2', weight: 2 },
        { name: 'Plugin3' },
        { name: 'Plugin2', weight: 4 },
      ]),
      [
        { name: 'Plugin1' },
        { name: 'Plugin2', weight: 4 },
        { name: 'Plugin3' },
        { name: 'Plugin2', weight: 2 },
      ],
    ],
    [
      'Append disabled Multipoint plugins: a disabled default drops out',
      set(names('DefaultPlugin1', 'DefaultPlugin2')),
      set(names('CustomPlugin', 'CustomPlugin2'), ['DefaultPlugin2']),
      names('DefaultPlugin1', 'CustomPlugin', 'CustomPlugin2'),
    ],
    [
      'override default MultiPoint plugins with custom value',
      set(names('DefaultPlugin')),
      set([{ name: 'DefaultPlugin', weight: 5 }]),
      [{ name: 'DefaultPlugin', weight: 5 }],
    ],
    [
      'disabled MultiPoint plugin in default set',
      set(names('DefaultPlugin'), ['DefaultPlugin2']),
      set(names('CustomPlugin')),
      names('DefaultPlugin', 'CustomPlugin'),
    ],
    [
      'multipoint with only disabled gets merged',
      set(names('DefaultPlugin')),
      set([], ['DefaultPlugin']),
      [],
    ],
  ];
  it.each(cases)('%s', (_name, defaults, custom, enabled) => {
    expect(mergePluginSet(defaults, custom).enabled).toEqual(enabled);
  });

  it('keeps both disabled lists, the custom one first', () => {
    const merged = mergePluginSet(set([], ['A']), set([], ['B']));
    expect(merged.disabled.map((p) => p.name)).toEqual(['B', 'A']);
  });
});

describe('expandPlugins (TestNewFrameworkMultiPointExpansion)', () => {
  // The test plugins of framework_test.go, by the extension points the expected lists imply.
  const ALL: ExtensionPoint[] = EXTENSION_POINTS.filter((p) => p !== 'preEnqueue');
  const points: Record<string, ExtensionPoint[]> = {
    testPlugin: ALL,
    scorePlugin1: ['preScore', 'score'],
    scorePlugin2: ['preScore', 'score'],
    scoreWithNormalizePlugin1: ['score'],
    queueSortPlugin: ['queueSort'],
    bindPlugin: ['bind'],
  };
  const implementsPoint = (name: string, ep: ExtensionPoint): boolean | undefined =>
    points[name] ? points[name].includes(ep) : undefined;
  const merged = (
    multiPoint: Ref[],
    perPoint: Partial<Record<ExtensionPoint, ReturnType<typeof set>>> = {},
  ): MergedPlugins => {
    const p = {} as Record<ExtensionPoint, ReturnType<typeof set>>;
    for (const ep of EXTENSION_POINTS) p[ep] = perPoint[ep] ?? set();
    return { multiPoint: set(multiPoint), points: p };
  };
  /** The non-empty extension points, as fw.ListPlugins prints them (score with weights). */
  const list = (m: MergedPlugins): { out: Record<string, string[]>; errors: string[] } => {
    const errors: string[] = [];
    const { plugins, weights } = expandPlugins(m, implementsPoint, (ep, msg) =>
      errors.push(`${ep}: ${msg}`),
    );
    const out: Record<string, string[]> = {};
    for (const ep of EXTENSION_POINTS) {
      if (plugins[ep].length === 0) continue;
      out[ep] =
        ep === 'score' ? plugins[ep].map((n) => `${n}:${weights.get(n)}`) : [...plugins[ep]];
    }
    return { out, errors };
  };
  const everywhere = (...extra: Array<[ExtensionPoint, string[]]>): Record<string, string[]> => {
    const out: Record<string, string[]> = {};
    for (const ep of EXTENSION_POINTS) if (ALL.includes(ep)) out[ep] = ['testPlugin'];
    for (const [ep, v] of extra) out[ep] = v;
    return out;
  };

  it('plugin expansion: one plugin at every point it implements, its multiPoint weight kept', () => {
    expect(list(merged([{ name: 'testPlugin', weight: 5 }])).out).toEqual(
      everywhere(['score', ['testPlugin:5']]),
    );
  });

  it('disable MultiPoint plugin at some extension points', () => {
    const { out } = list(
      merged(names('testPlugin'), {
        preScore: set([], ['testPlugin']),
        score: set([], ['testPlugin']),
      }),
    );
    const want = everywhere();
    delete want.preScore;
    delete want.score;
    expect(out).toEqual(want);
  });

  it('Multiple MultiPoint plugins: each weight defaults to 1', () => {
    expect(list(merged(names('testPlugin', 'scorePlugin1'))).out).toEqual(
      everywhere(
        ['preScore', ['testPlugin', 'scorePlugin1']],
        ['score', ['testPlugin:1', 'scorePlugin1:1']],
      ),
    );
  });

  it('disable MultiPoint extension: * at one point keeps multiPoint out of it only', () => {
    const { out } = list(merged(names('testPlugin', 'scorePlugin1'), { preScore: set([], ['*']) }));
    const want = everywhere(['score', ['testPlugin:1', 'scorePlugin1:1']]);
    delete want.preScore;
    expect(out).toEqual(want);
  });

  it('Reorder MultiPoint plugins (specified extension takes precedence)', () => {
    const { out } = list(
      merged(names('scoreWithNormalizePlugin1', 'testPlugin', 'scorePlugin1'), {
        score: set(names('scorePlugin1', 'testPlugin')),
      }),
    );
    expect(out).toEqual(
      everywhere(
        ['preScore', ['testPlugin', 'scorePlugin1']],
        ['score', ['scorePlugin1:1', 'testPlugin:1', 'scoreWithNormalizePlugin1:1']],
      ),
    );
  });

  it('Reorder MultiPoint plugins (specified extension only takes precedence when it exists in MultiPoint)', () => {
    const { out } = list(
      merged(names('testPlugin', 'scorePlugin1'), {
        score: set(names('scoreWithNormalizePlugin1', 'scorePlugin1', 'testPlugin')),
      }),
    );
    expect(out.score).toEqual(['scorePlugin1:1', 'testPlugin:1', 'scoreWithNormalizePlugin1:1']);
  });

  it('Override MultiPoint plugins weights: the Score weight wins', () => {
    const { out } = list(
      merged(names('testPlugin', 'scorePlugin1'), {
        score: set([
          { name: 'scorePlugin1', weight: 5 },
          { name: 'testPlugin', weight: 3 },
        ]),
      }),
    );
    expect(out.score).toEqual(['scorePlugin1:5', 'testPlugin:3']);
  });

  it('Override MultiPoint plugins weights and avoid a plugin being loaded multiple times', () => {
    const { out } = list(
      merged(names('testPlugin', 'scorePlugin1'), {
        score: set([
          { name: 'scorePlugin1', weight: 5 },
          { name: 'scorePlugin2', weight: 5 },
          { name: 'testPlugin', weight: 3 },
        ]),
      }),
    );
    expect(out.score).toEqual(['scorePlugin1:5', 'testPlugin:3', 'scorePlugin2:5']);
  });

  it('a weight of 0 in Score falls back to 1, not to the multiPoint weight', () => {
    const { out } = list(
      merged([{ name: 'scorePlugin1', weight: 7 }], {
        score: set([{ name: 'scorePlugin1', weight: 0 }]),
      }),
    );
    expect(out.score).toEqual(['scorePlugin1:1']);
  });

  it('disable and enable MultiPoint plugins with * (the merged list is taken as it is)', () => {
    expect(list(merged(names('queueSortPlugin', 'bindPlugin', 'scorePlugin1'))).out).toEqual({
      queueSort: ['queueSortPlugin'],
      preScore: ['scorePlugin1'],
      score: ['scorePlugin1:1'],
      bind: ['bindPlugin'],
    });
  });

  it("Expect 'already registered' error: a plugin twice in multiPoint, reported once", () => {
    expect(list(merged(names('testPlugin', 'testPlugin'))).errors).toEqual([
      'multiPoint: plugin "testPlugin" already registered as "PreFilterPlugin"',
    ]);
  });

  it('a plugin twice in one extension point (updatePluginList)', () => {
    expect(list(merged([], { filter: set(names('testPlugin', 'testPlugin')) })).errors).toEqual([
      'filter: plugin "testPlugin" already registered as "FilterPlugin"',
    ]);
  });

  it('a plugin at an extension point it does not implement', () => {
    expect(list(merged([], { filter: set(names('bindPlugin')) })).errors).toEqual([
      'filter: plugin "bindPlugin" does not extend FilterPlugin plugin',
    ]);
  });
});
