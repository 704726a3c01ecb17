import { describe, expect, it } from '@jest/globals';
import {
  gpuModelChoices,
  jobExtendedResources,
  nodeExtendedResources,
  nodeLabels,
} from './gpu-resources.js';

describe('GPU resources of trace jobs and nodes', () => {
  it.each([
    ['a CPU-only job asks for no extended resource', { gpu: 0, gpuMilli: 0 }, {}],
    [
      'a fractional share asks for milli-GPU only',
      { gpu: 0, gpuMilli: 460 },
      { 'alibaba.com/gpu-milli': 460 },
    ],
    [
      'whole GPUs also take their milli-GPU, so fractions cannot claim the same devices',
      { gpu: 2, gpuMilli: 0 },
      { 'nvidia.com/gpu': 2, 'alibaba.com/gpu-milli': 2000 },
    ],
  ])('%s', (_name, job, expected) => {
    expect(jobExtendedResources(job)).toEqual(expected);
  });

  it('gives a node with N GPUs N devices and N×1000 milli-GPU, and a CPU node neither', () => {
    expect(nodeExtendedResources({ gpu: 8 })).toEqual({
      'nvidia.com/gpu': 8,
      'alibaba.com/gpu-milli': 8000,
    });
    expect(nodeExtendedResources({ gpu: 0 })).toEqual({});
  });

  it('labels a node with its GPU model when it has one', () => {
    expect(nodeLabels({ gpuModel: 'V100M32' })).toEqual({ 'ksim.dev/gpu-model': 'V100M32' });
    expect(nodeLabels({})).toEqual({});
  });

  it.each([
    ['no hint as no constraint', {}, []],
    ['one model', { labels: { 'ksim.dev/gpu-model': 'T4' } }, ['T4']],
    [
      'alternatives separated by |',
      { labels: { 'ksim.dev/gpu-model': 'V100M16|V100M32' } },
      ['V100M16', 'V100M32'],
    ],
  ])('reads %s', (_name, job, expected) => {
    expect(gpuModelChoices(job)).toEqual(expected);
  });
});
