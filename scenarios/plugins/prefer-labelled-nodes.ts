/**
 * PreferLabelledNodes: an example custom Score plugin for ksim. Nodes carrying a label (by
 * default `ksim.dev/preferred`, optionally with a given value) score 100, the others 0, so with
 * a weight it steers pods to, say, reserved or cheaper capacity without forbidding the rest.
 *
 * A plugin module exports `Name` and `factory` like the in-tree plugins (or a default export
 * {name, factory}); ksim registers it under its name, and the KubeSchedulerConfiguration
 * enables, weights and configures it like a built-in plugin:
 *
 *   profiles:
 *     - plugins:
 *         multiPoint:
 *           enabled: [{ name: PreferLabelledNodes, weight: 5 }]
 *       pluginConfig:
 *         - name: PreferLabelledNodes
 *           args: { label: node.example.com/reserved, value: 'true' }
 *
 * The module is transpiled on its own (types stripped, not checked) and needs no imports: the
 * few framework shapes it uses are declared here.
 */

interface NodeInfoView {
  node: { metadata: { labels: Record<string, string> } };
}

interface Args {
  label: string;
  value?: string;
}

export const Name = 'PreferLabelledNodes';

export const DEFAULT_LABEL = 'ksim.dev/preferred';

class PreferLabelledNodes {
  readonly name = Name;

  constructor(private readonly args: Args) {}

  /** Score: 100 on a node with the label (and value, if one is configured), else 0. */
  score(_state: unknown, _pod: unknown, nodeInfo: NodeInfoView): number {
    const v = nodeInfo.node.metadata.labels[this.args.label];
    if (v === undefined) return 0;
    return this.args.value === undefined || v === this.args.value ? 100 : 0;
  }
}

export function factory(raw: Record<string, unknown> | undefined): PreferLabelledNodes {
  const label = raw?.label ?? DEFAULT_LABEL;
  if (typeof label !== 'string' || label === '') {
    throw new Error(`${Name} args: label: expected a label key, found ${JSON.stringify(label)}`);
  }
  const value = raw?.value;
  if (value !== undefined && typeof value !== 'string') {
    throw new Error(`${Name} args: value: expected a string, found ${JSON.stringify(value)}`);
  }
  for (const key of Object.keys(raw ?? {})) {
    if (key !== 'label' && key !== 'value') {
      throw new Error(`${Name} args: ${key}: unknown field; expected label, value`);
    }
  }
  return new PreferLabelledNodes({ label, value });
}
