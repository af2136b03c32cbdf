import { describe, expect, it } from 'vitest';
import { KeyedSerialQueue } from '../../api/keyed-queue';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('KeyedSerialQueue', () => {
  it('runs the tasks of one key in order, one at a time', async () => {
    const queue = new KeyedSerialQueue(10);
    const log: string[] = [];
    const task = (name: string, ms: number) => async () => {
      log.push(`start ${name}`);
      await tick(ms);
      log.push(`end ${name}`);
    };
    await Promise.all([queue.run('a', task('1', 30)), queue.run('a', task('2', 1)), queue.run('a', task('3', 10))]);
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3']);
  });

  it('runs different keys side by side, at most `concurrency` at once', async () => {
    const queue = new KeyedSerialQueue(2);
    let running = 0;
    let peak = 0;
    const task = async () => {
      running += 1;
      peak = Math.max(peak, running);
      await tick(10);
      running -= 1;
    };
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map((key) => queue.run(key, task)));
    expect(peak).toBe(2);
  });

  it('goes on with a key after a task fails, and drain waits for everything', async () => {
    const queue = new KeyedSerialQueue(1);
    const done: string[] = [];
    const failed = queue.run('a', async () => {
      throw new Error('boom');
    });
    void queue.run('a', async () => {
      await tick(5);
      done.push('after failure');
    });
    await expect(failed).rejects.toThrow('boom');
    await queue.drain();
    expect(done).toEqual(['after failure']);
  });
});
