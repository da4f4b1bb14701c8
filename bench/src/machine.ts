import { cpus, totalmem } from 'node:os';
import { describeVersions } from './versions.js';

/** The machine and versions a run was measured on, printed beside every result. */
export function describeMachine() {
  const cpu = cpus();
  return {
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    cpu: `${cpu[0]?.model ?? 'unknown'} x ${cpu.length}`,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    date: new Date().toISOString(),
    versions: describeVersions(),
  };
}

export type MachineDescription = ReturnType<typeof describeMachine>;
