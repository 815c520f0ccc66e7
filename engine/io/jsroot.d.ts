// The part of jsroot's API that engine/io/root.ts uses (jsroot ships types only for its main entry).
declare module 'jsroot/io' {
  export function openFile(arg: ArrayBuffer | string): Promise<unknown>;
}
declare module 'jsroot/tree' {
  export class TSelector {
    tgtobj: Record<string, unknown>;
    addBranch(branch: string, name?: string, direct?: boolean): number;
    Process(entry?: number): void;
  }
  export function treeProcess(tree: unknown, selector: TSelector, args?: Record<string, unknown>): Promise<unknown>;
}
