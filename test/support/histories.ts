import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { WorkflowHandle } from '@temporalio/client';
import proto from '@temporalio/proto';

export const HISTORIES_DIR = path.resolve(import.meta.dirname, '../fixtures/histories');

// Saved as binary protobuf: the SDK's historyToJSON fails in this dependency tree (its own nested
// protobufjs does not recognise @temporalio/proto's types).
export const History = proto.temporal.api.history.v1.History;

/**
 * With RECORD_HISTORIES=1, saves a test workflow's history for the replay test
 * (test/workflow/replay.test.ts), which replays every saved history against today's code.
 */
export async function recordHistory(name: string, handle: Pick<WorkflowHandle, 'fetchHistory'>): Promise<void> {
  if (!process.env.RECORD_HISTORIES) return;
  mkdirSync(HISTORIES_DIR, { recursive: true });
  writeFileSync(path.join(HISTORIES_DIR, `${name}.binpb`), History.encode(await handle.fetchHistory()).finish());
}
