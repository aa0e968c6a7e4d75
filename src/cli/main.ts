#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { readRuntimeEnv } from '../config/runtime-env.js';
import { createLogger } from '../util/log.js';
import { DistillguardError, errorMessage } from '../util/errors.js';
import type { CliContext } from './cli-context.js';
import { registerIngestCommand } from './ingest-command.js';
import { registerSimulateCommand } from './simulate-command.js';
import { registerServeCommand } from './serve-command.js';
import { registerProxyCommand } from './proxy-command.js';
import { registerKeysCommand } from './keys-command.js';
import { registerEvalCommand } from './eval-command.js';
import { registerPeerLabelsCommand } from './peer-labels-command.js';
import { registerAnalyzeCommand } from './analyze-command.js';
import { registerPolicyCommand } from './policy-command.js';
import { registerIntelCommand } from './intel-command.js';
import { registerLabelsCommand } from './labels-command.js';
import { describeUnitDefaults } from './option-parsers.js';
import { VERSION } from '../version.js';

export function createProgram(context: CliContext): Command {
  const program = new Command('distillguard')
    .description('Find and stop distillation attacks on LLM APIs: coordinated accounts that harvest a model\'s outputs.')
    .version(VERSION)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (text) => context.stdout.write(text), writeErr: (text) => context.stderr.write(text) })
    // Before the commands are added, so they inherit it: their usage errors reach main's exit codes.
    .exitOverride();
  registerIngestCommand(program, context);
  registerSimulateCommand(program, context);
  registerServeCommand(program, context);
  registerProxyCommand(program, context);
  registerKeysCommand(program, context);
  registerAnalyzeCommand(program, context);
  registerEvalCommand(program, context);
  registerPeerLabelsCommand(program, context);
  registerPolicyCommand(program, context);
  registerIntelCommand(program, context);
  registerLabelsCommand(program, context);
  for (const command of program.commands) describeUnitDefaults(command);
  return program;
}

async function main(): Promise<void> {
  let context: CliContext;
  try {
    const env = readRuntimeEnv();
    const pretty = env.logFormat === 'pretty' || (env.logFormat === 'auto' && process.stderr.isTTY === true);
    context = { env, logger: createLogger({ level: env.logLevel, pretty }), stdout: process.stdout, stderr: process.stderr };
  } catch (error) {
    process.stderr.write(`distillguard: ${errorMessage(error)}\n`);
    process.exit(2);
  }
  const program = createProgram(context);
  try {
    await program.parseAsync(process.argv);
  } catch (error) {
    // Commander exits 1 for a bad flag or argument; usage errors are 2 here (0 stays 0: --help, --version).
    if (error instanceof CommanderError) process.exit(error.exitCode === 0 ? 0 : 2);
    if (error instanceof DistillguardError && error.operational) {
      context.stderr.write(`distillguard: ${error.message}\n`);
      process.exit(error.exitCode);
    }
    context.stderr.write(`distillguard: unexpected error: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
    process.exit(70);
  }
}

await main();
