import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { WORKFLOWS_PATH } from '../../worker';
import { History, HISTORIES_DIR } from '../support/histories';

// Every saved history must replay against today's workflow code: a change that would break
// running complaints fails here (it needs patched()). README says how to record new ones.

const files = readdirSync(HISTORIES_DIR).filter((f) => f.endsWith('.binpb'));

describe('replay of saved histories', () => {
  it('has conversation and complaint histories to replay', () => {
    expect(files.filter((f) => f.startsWith('conversation-')).length).toBeGreaterThanOrEqual(3);
    expect(files.filter((f) => f.startsWith('complaint-')).length).toBeGreaterThanOrEqual(8);
  });

  it('replays every saved history without nondeterminism', async () => {
    const workflowBundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH });
    const histories = files.map((file) => ({
      workflowId: path.basename(file, '.binpb'),
      history: History.decode(readFileSync(path.join(HISTORIES_DIR, file))),
    }));
    const failures: string[] = [];
    let replayed = 0;
    for await (const result of Worker.runReplayHistories({ workflowBundle }, histories)) {
      replayed += 1;
      if (result.error) failures.push(`${result.workflowId}: ${result.error.message}`);
    }
    expect(failures).toEqual([]);
    expect(replayed).toBe(files.length);
  }, 120_000);
});
