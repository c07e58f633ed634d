// The split command's flags, parsed without starting a process: each mistake names its flag.
import { describe, expect, it } from 'vitest';
import { flagOf, leakageArgs, parseGroupBy, parseRatios, parseSeed, splitArgs } from '../../../electron/cli/commands/split-args.js';

describe('split command flags', () => {
  it('parses ratios, seeds and every --group-by form', () => {
    expect(parseRatios('80, 10, 10')).toEqual({ train: 80, validation: 10, test: 10 });
    expect(parseRatios('85,7.5,7.5')).toEqual({ train: 85, validation: 7.5, test: 7.5 });
    expect(parseSeed('4294967295')).toBe(4294967295);
    expect(parseGroupBy('folder')).toEqual({ kind: 'folder' });
    expect(parseGroupBy('csv')).toEqual({ kind: 'csv' });
    expect(parseGroupBy('near-duplicates')).toEqual({ kind: 'near-duplicates', threshold: 6 });
    expect(parseGroupBy('near-duplicates:3')).toEqual({ kind: 'near-duplicates', threshold: 3 });
    expect(parseGroupBy('time:2.5')).toEqual({ kind: 'time', seconds: 2.5 });
    // Everything after "regex:" is the pattern, colons included.
    expect(parseGroupBy('regex:^(\\w+):\\d')).toEqual({ kind: 'regex', pattern: '^(\\w+):\\d' });
  });

  it('names the flag in every mistake', () => {
    expect(() => parseRatios('70,30')).toThrow(/--ratios must be three numbers/);
    expect(() => parseRatios('70,x,15')).toThrow(/--ratios/);
    expect(() => parseRatios('70,,30')).toThrow(/--ratios/);
    expect(() => parseSeed('1.5')).toThrow(/--seed/);
    expect(() => parseSeed('-1')).toThrow(/--seed/);
    expect(() => parseGroupBy('colour')).toThrow(/--group-by must be folder, csv/);
    expect(() => parseGroupBy('near-duplicates:20')).toThrow(/--group-by near-duplicates/);
    expect(() => parseGroupBy('time:')).toThrow(/--group-by time/);
    expect(() => splitArgs({ project: '/p', 'allow-test': true }, [])).toThrow(/--allow-test goes with --add-new/);
    expect(() => splitArgs({ project: '/p', 'add-new': true, ratios: '70,15,15' }, [])).toThrow(/--add-new keeps/);
    expect(() => splitArgs({}, [])).toThrow(/--project/);
    expect(() => leakageArgs({ project: '/p', version: '0' }, [])).toThrow(/--version/);
    expect(flagOf('ratios.train')).toBe('--ratios');
    expect(flagOf('grouping.2.pattern')).toBe('--group-by');
  });

  it('treats --group-by none as no grouping', () => {
    expect(splitArgs({ project: '/p', 'group-by': ['none'] }, []).grouping).toEqual([]);
  });
});
