export { runCli, CLI, type CliResult } from './cli.js';
export { makeProject, registryWith, environmentsFor, configProblem, type FileMap } from './fractary.js';
/** This worker's moto endpoint (set by the setup file). */
export const moto = (): string => process.env.AWS_ENDPOINT_URL!;
export { startFaultProxy, type FaultProxy, type Rule } from '../../src/sandbox/fault-proxy.js';
export { Seeder, series } from '../../src/sandbox/seed.js';
export { percentiles } from './percentiles.js';
