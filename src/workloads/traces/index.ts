export { readAlibabaNodes, readAlibabaPods } from './alibaba.js';
export { readCsvJobs } from './csv-jobs.js';
export {
  LABEL_GPU_MODEL,
  RESOURCE_GPU,
  RESOURCE_GPU_MILLI,
  gpuModelChoices,
  jobExtendedResources,
  nodeExtendedResources,
  nodeLabels,
} from './gpu-resources.js';
export {
  applyTraceOptions,
  type TraceOptions,
  type TraceRebase,
  type TraceWindow,
} from './options.js';
export { readTraceFile } from './read-file.js';
export { TraceError, type TraceJob, type TraceNode, type TraceReadResult } from './record.js';
export {
  SKIP_PROCESSORS,
  SKIP_RUN_TIME,
  SKIP_SUBMIT_UNKNOWN,
  readSwf,
  type SwfOptions,
  type SwfReadResult,
} from './swf.js';
