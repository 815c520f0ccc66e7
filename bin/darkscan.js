#!/usr/bin/env node
import { main } from '../dist/cli.js';

// Ctrl-C cancels the running command (its outputs are not written as complete); a second one exits.
const abort = new AbortController();
process.once('SIGINT', () => {
  console.error('\ndarkscan: interrupted, stopping (Ctrl-C again to exit at once)');
  abort.abort(new Error('interrupted by the user (SIGINT)'));
  process.once('SIGINT', () => process.exit(130));
});
// Progress on a terminal; in logs (batch jobs) one line per message with DARKSCAN_PROGRESS=1.
const progress = process.stderr.isTTY ? (s) => process.stderr.write(`\r\x1b[K${s}`)
  : process.env.DARKSCAN_PROGRESS === '1' ? (s) => process.stderr.write(`darkscan: ${s}\n`) : undefined;

main(process.argv.slice(2), (s) => console.log(s), { signal: abort.signal, progress }).then(
  (code) => {
    if (process.stderr.isTTY) process.stderr.write('\r\x1b[K');
    process.exitCode = abort.signal.aborted ? 130 : code;
  },
  (e) => {
    if (process.stderr.isTTY) process.stderr.write('\n');
    console.error(`darkscan: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = abort.signal.aborted ? 130 : 1;
  },
);
