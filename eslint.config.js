// Lint rules that encode ksim's architecture (DESIGN.md): layers import downward only, and
// nothing under src/ except the CLI layer may read the wall clock or unseeded randomness.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Layers from bottom to top; a layer may import only itself and layers below it. */
const layers = [
  'engine',
  'model',
  'workloads',
  'scheduler',
  'scheduler-plugins',
  'scenario',
  'metrics',
  'kubelet',
  'components',
  'controllers',
  'control-plane',
  'faults',
  'simulation',
  'report',
  'compare',
  'cli',
  'commands',
];

const nondeterminism = [
  { object: 'Date', property: 'now', message: 'Virtual time only: use engine.now.' },
  { object: 'Math', property: 'random', message: 'Use a named RNG stream (engine/rng).' },
  { object: 'performance', property: 'now', message: 'Wall clock is for the CLI layer only.' },
  { object: 'crypto', property: 'randomUUID', message: 'Nothing random that is not seeded.' },
];

function layerRule(layer, index) {
  const above = layers.slice(index + 1);
  return {
    files: [`src/${layer}/**/*.ts`, ...(layer === 'simulation' ? ['src/simulation.ts'] : [])],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: above.map((upper) => ({
            group: [`**/${upper}/*`, `**/${upper}.js`, `**/${upper}/index.js`],
            message: `${layer} must not import from ${upper} (layers import downward only, DESIGN.md)`,
          })),
        },
      ],
    },
  };
}

export default tseslint.config(
  {
    ignores: [
      '.tmp/**',
      'dist/**',
      'dist-bench/**',
      'node_modules/**',
      'reports/**',
      'test-output/**',
      'coverage/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/commands/**', 'src/cli/**'],
    rules: {
      'no-restricted-properties': ['error', ...nondeterminism],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'No wall clock in the simulation.',
        },
      ],
    },
  },
  ...layers.map(layerRule),
);
