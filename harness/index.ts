// drainspec's public surface (`import … from 'drainspec'`): the config helper, the run, and the report's types.
// Everything else is internal and may change between versions.
export { defineConfig, type UserConfig } from './config/define-config.ts';
export type { DrainspecConfig } from './config/defaults.ts';
export { runConformance, type RunConformanceOptions } from './api/run-conformance.ts';
export { createProgress, type ProgressSink } from './progress/progress.ts';
export { renderMismatchText } from './report/text.ts';
export type { ModelReport, RunReport, ScenarioReport } from './report/report-model.ts';
export type { Finding } from './analysis/evaluate.ts';
export type { FailureClass } from './analysis/failure-modes.ts';
