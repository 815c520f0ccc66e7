// darkscan as a library: the one entry point (`import ... from 'darkscan'`), for Node and for
// bundlers/browsers (package.json "exports"). It exposes what the CLI does:
//   backends     selectBackend (auto: a hardware GPU, else WASM, else the TS reference), createBackend, probeBackends, pickAuto
//   randomness   key, foldIn, split, randomBits, uniforms (Philox4x32-10)
//   events       makeEventTable, readEvents / parseCsv / parseJson / parseParquet / parseRoot (column mapping), generate (fast simulation)
//   windows      darkHiggsstrahlungGrid, grid1D, NAMED_GRIDS, scan, countInWindows, scanRows, windowLimits, scanGlobalSignificance
//   statistics   makeModel, upperLimitsToys, upperLimitAsymptotic, hypotestAsymptotic, discoveryToys, bayesUpper, feldmanCousins, ...
//   MLP          loadOnnx, parseMlpJson, loadModelFile, scoreEvents, scoreByRange, trainClassifier, mlpToOnnx
//   LLP          generateLlpSample, runSweep, loadLlpSignal / loadLlpData; the B -> K S and iDM searches are runSearch with B_KPLUS_LLP / B_KSTAR0_LLP / IDM_DARKHIGGS
//   analyses     runSearch + SEARCHES (every search, DARK_HIGGSSTRAHLUNG the demo), parseConfig
//   plots        linePlot, brazilPlot, mapPlot (SVG strings)
//   likelihoods  readWorkspace, readPatchset, applyPatch, compileModel, FitSession, hypotests, upperLimits, bestFits (pyhf JSON)
// File readers that take a path (readEvents, loadModelFile, loadLlpSignal, ...) need Node; the parse*
// functions take bytes or text and run anywhere. Every result records the backend it ran on.
export * from '../host/index.js';
export * from './random.js';
export * from './events.js';
export { readEvents, writeEvents, FileFormatError, parseCsv, readCsv, toCsv, parseJson, toJson, parseParquet, readParquet, parseRoot, readRoot, rootHeader, hepdataLimitYaml, hepdataSubmissionYaml } from './io/index.js';
export type { ReadOptions, ColumnMapping, ColumnTable, LimitTable } from './io/index.js';
export * from './kinematics.js';
export * from './windows.js';
export * from './scan.js';
export * from './stats/index.js';
export * from './nn/index.js';
export { trainClassifier, rocAuc } from './nn/train.js';
export { mlpToOnnx } from './nn/onnx-write.js';
export { PROCESSES, getProcess, generate, generateAtLuminosity, FAMILY_COLUMNS, GENERATOR_VERSION, type EventSample, type ProcessDef } from './generate/index.js';
export { CHANNELS, parseChannels, generateLlpSample, llpMixture, PRODUCTIONS as LLP_PRODUCTIONS, type Channel, type LlpSample, type GenerateLlpOptions, type Production as LlpProduction } from './llp/sample.js';
export { runSweep, sweepDirect, massWindow, parseLogGrid, type SweepOptions, type SweepResult } from './llp/sweep.js';
export { combineChannels, theta2Limit, signalUpperLimit, windowLimit, LIMIT_METHODS as LLP_LIMIT_METHODS, type LimitMethod as LlpLimitMethod } from './llp/limits.js';
export { loadSignal as loadLlpSignal, loadData as loadLlpData, LLP_RESULT_SCHEMA } from './llp/analysis.js';
export { fitCells as fitLlpCells, combineFits as combineLlpFits, LLP_FIT, type LlpCellFit } from './llp/fit.js';
export { runSearch, SEARCH_NAMES, CELL_SEARCH_NAMES, type SearchDefinition, type SearchOptions, type SearchResult, type SearchWindow, type CellSearchDefinition, type CellSearchOptions, type CellSearchResult } from './analyses/search.js';
export { cellLimits, type CellProblem, type CellLimits } from './analyses/cells.js';
export { B_KPLUS_LLP, B_KSTAR0_LLP, LLP_B_SEARCHES, IDM_DARKHIGGS, type LlpBSettings, type IdmSettings } from './analyses/searches-llp.js';
export { SEARCHES, DARK_HIGGSSTRAHLUNG } from './analyses/searches.js';
export { idmRun, parseIdmConfig, IDM_ANALYSIS, type IdmConfig } from './analyses/idm.js';
export { llpBRun, parseLlpBConfig, LLP_B_ANALYSES, type LlpBConfig } from './analyses/llp-b.js';
export { LIMIT_METHODS, parseLimitMethod, type WindowLimitMethod } from './stats/windows.js';
export { parseConfig, ConfigError, type AnalysisConfig } from './config.js';
export { linePlot, brazilPlot, mapPlot } from './plot/svg.js';
export { parseShard, shardRange, mergeShards } from './shard.js';
export { readWorkspace, parseWorkspace, readPatchset, parsePatchset, applyPatch, patchedWorkspace, workspaceDigest, WorkspaceError, compileModel, FitSession, hypotests, upperLimits, bestFits, type Workspace, type Patchset, type CompiledModel, type HypoTestResult, type UpperLimitResult, type BestFit } from './likelihood/index.js';
