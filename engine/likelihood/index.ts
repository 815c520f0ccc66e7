// Binned likelihoods from pyhf JSON workspaces (issue 13): workspace -> model -> fits -> inference.
export * from './workspace.js';
export * from './patchset.js';
export { applyJsonPatch, JsonPatchError, parsePointer, pyEqual, type JsonPatchOp } from './jsonpatch.js';
export { cloneJson, JsonSyntaxError, parsePyJson, pyFloatRepr, pyJsonDumps } from './pyjson.js';
