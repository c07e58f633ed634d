// The configuration part of the bad-inputs corpus: each --config file content goes
// through parseTrainConfig, the one schema the CLI, the API and the run record share.
// A bad one must be refused as invalid_request naming its field; nothing may leak
// onto Object.prototype.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../../../electron/api/errors.js';
import { parseTrainConfig } from '../../../electron/engine/train/config.js';
import { CONFIG_KINDS } from '../../corpus/bad-configs.js';
import { check, newTally, summaryLine } from '../../corpus/corpus-kind.js';

const tally = newTally('configs');

function refusal(json: string): ApiError | null {
  try {
    parseTrainConfig(JSON.parse(json), 'config.json');
    return null;
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err; // anything else is a crash, not a refusal
  }
}

describe('bad training configurations', () => {
  it.each(CONFIG_KINDS.map((k) => [k.kind, k] as const))('%s', async (kind, k) => {
    await check(tally, kind, () => {
      const err = refusal(k.json);
      if (k.kind.endsWith('everything defaulted')) {
        expect(err).toBeNull();
        return;
      }
      expect(err, 'accepted').not.toBeNull();
      expect(err!.code).toBe('invalid_request');
      if (k.field === null) {
        expect(err!.message).toMatch(/^config\.json: /);
      } else {
        expect(err!.field).toBe(k.field);
        expect(err!.message).toContain(`config.json: field "${k.field}"`);
      }
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  });

  it('summary', () => {
    console.log(summaryLine(tally));
    expect(tally.passed).toEqual(tally.tried);
    expect(tally.tried.length).toBe(CONFIG_KINDS.length);
  });
});
