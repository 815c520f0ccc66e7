// The error lines of loading an analysis config (shared by the config and search tests).
import { expect } from 'vitest';
import { ConfigError } from '../engine/config.js';
import { loadConfig } from '../engine/analyses/run.js';

/** The error lines of loading `cfg` (an object, serialised), or [] when it is valid. */
export function errorsOf(cfg: unknown): string[] {
  try {
    loadConfig(JSON.stringify(cfg), 'test.json');
    return [];
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return [...(e as ConfigError).errors];
  }
}
