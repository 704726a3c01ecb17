/**
 * docs/scenario.schema.json describes what the loader accepts: every shipped scenario's
 * Simulation document validates, and typical mistakes are rejected by the schema too.
 */
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { Ajv2020 } from 'ajv/dist/2020.js';

const schema = JSON.parse(readFileSync('docs/scenario.schema.json', 'utf8'));
const ajv = new Ajv2020({ allErrors: true, strict: false });
const validate = ajv.compile(schema);

function simulationDoc(file: string): unknown {
  const docs = parseAllDocuments(readFileSync(file, 'utf8')) as Array<{ toJS(): unknown }>;
  return docs.map((d) => d.toJS() as { kind?: string }).find((d) => d?.kind === 'Simulation');
}

const scenarios = readdirSync('scenarios')
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('the Simulation JSON Schema', () => {
  it.each(['2/s', '0.5/m', '.5/h', '10/d', '1./s', '00.01/s'])('accepts the rate %s', (rate) => {
    const spec = { duration: '1h', workloads: [{ arrivals: { poisson: { rate } } }] };
    expect(validate({ apiVersion: 'ksim.dev/v1alpha1', kind: 'Simulation', spec })).toBe(true);
  });

  it.each(scenarios)('accepts scenarios/%s', (f) => {
    const ok = validate(simulationDoc(`scenarios/${f}`));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it.each([
    ['a misspelt field', { sede: 1, duration: '1h' }],
    ['a duration without a unit', { duration: 3600 }],
    ['a negative node count', { duration: '1h', nodePools: [{ name: 'p', count: -1 }] }],
    ['an unknown action', { duration: '1h', timeline: [{ at: '1m', action: 'explode' }] }],
    [
      'a rate without a period',
      { duration: '1h', workloads: [{ arrivals: { poisson: { rate: 5 } } }] },
    ],
    [
      'a zero arrival rate',
      { duration: '1h', workloads: [{ arrivals: { poisson: { rate: '0.0/s' } } }] },
    ],
    [
      'a zero diurnal peak',
      { duration: '1h', workloads: [{ arrivals: { diurnal: { peak: '0/m', trough: '0/m' } } }] },
    ],
  ])('rejects %s', (_name, spec) => {
    expect(validate({ apiVersion: 'ksim.dev/v1alpha1', kind: 'Simulation', spec })).toBe(false);
  });
});
