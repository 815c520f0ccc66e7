// The package version, in a module without node: imports (the page's likelihood documents carry it too).
/** The package version (test/integrity.test.ts checks it against package.json). */
export const DARKSCAN_VERSION = '0.1.0';
