// Binned likelihoods from pyhf JSON workspaces (issue 13): workspace -> model -> fits -> inference.
export * from './workspace.js';
export * from './patchset.js';
export { applyJsonPatch, JsonPatchError, parsePointer, pyEqual, type JsonPatchOp } from './jsonpatch.js';
export { cloneJson, JsonSyntaxError, parsePyJson, pyFloatRepr, pyJsonDumps } from './pyjson.js';
export { compileModel, namedValues, type CompiledModel, type ModelOptions, type ParamSlice } from './model.js';
export { ModelEvaluator } from './evaluate.js';
export { runFits, packFitModels, FIT_STATUS_NAMES, type FitRequest, type FitResult, type PackedModels } from './fitrun.js';
export { generatingData, runToys, type ToyBatch, type ToyOptions, type ToySet } from './toys.js';
export { FitSession, hypotests, upperLimits, bestFits, testStatistic, asymptoticPvalues, type Target, type TestStat, type HypoTestResult, type UpperLimitResult, type BestFit } from './infer.js';
export * from './report.js';
