import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { describeUnitDefaults, formatByteSize, formatMilliseconds, parseByteSize, parseDuration, parsePort, parsePositiveInteger, parsePositiveNumber } from './option-parsers.js';

describe('option parsers', () => {
  it.each([
    ['1048576', 1_048_576],
    ['512KiB', 524_288],
    ['1MiB', 1_048_576],
    ['2MB', 2_000_000],
  ])('reads the size %s', (text, bytes) => expect(parseByteSize(text)).toBe(bytes));

  it.each([
    ['15s', 15_000],
    ['500ms', 500],
    ['2m', 120_000],
    ['3', 3_000],
  ])('reads the duration %s', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it('reads ports, counts and rates, refusing what a server cannot use', () => {
    expect(parsePort('0')).toBe(0);
    expect(parsePort('65535')).toBe(65535);
    expect(() => parsePort('65536')).toThrow('expected a port from 0 to 65535');
    expect(parsePositiveInteger('3')).toBe(3);
    expect(() => parsePositiveInteger('0')).toThrow('≥ 1');
    expect(parsePositiveNumber('0.5')).toBe(0.5);
    expect(() => parsePositiveNumber('0')).toThrow('> 0');
    expect(() => parsePositiveNumber('fast')).toThrow('> 0');
  });

  it('writes sizes and durations back the way they are read', () => {
    for (const bytes of [16 * 2 ** 20, 2 ** 30, 1_048_576, 768, 1_000_000]) expect(parseByteSize(formatByteSize(bytes))).toBe(bytes);
    expect(formatByteSize(16 * 2 ** 20)).toBe('16MiB');
    for (const ms of [15_000, 500, 120_000, 3_600_000, 1_500]) expect(parseDuration(formatMilliseconds(ms))).toBe(ms);
    expect(formatMilliseconds(15_000)).toBe('15s');
  });

  it('shows size and duration defaults in --help as the docs write them', () => {
    const command = new Command('serve')
      .option('--max-body-bytes <size>', 'largest body', parseByteSize, 16 * 2 ** 20)
      .option('--relink-interval <duration>', 'relink', parseDuration, 15_000)
      .option('--port <n>', 'port', Number, 8080);
    const help = describeUnitDefaults(command).helpInformation();
    expect(help).toContain('(default: 16MiB)');
    expect(help).toContain('(default: 15s)');
    expect(help).toContain('(default: 8080)');
    expect(help).not.toContain('16777216');
  });

  it('shows them so in nested subcommands too', () => {
    const policy = new Command('policy');
    const backtest = policy.command('backtest').option('--step <duration>', 'step', parseDuration, 60_000).option('--relink-interval <duration>', 'relink', parseDuration, 3_600_000);
    describeUnitDefaults(new Command('distillguard').addCommand(policy));
    const help = backtest.helpInformation();
    expect(help).toContain('(default: 1m)');
    expect(help).toContain('(default: 1h)');
    expect(help).not.toContain('60000');
  });
});
