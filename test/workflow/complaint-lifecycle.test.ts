import { randomUUID } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ComplaintActivities } from '../../activities/complaint-activities';
import { wibDateKey } from '../../domain/calendar';
import { DEFAULT_POLICY, type Difficulty } from '../../domain/policy';
import { WORKFLOWS_PATH } from '../../worker';
import {
  acceptUpdate,
  addNoteUpdate,
  complaintViewQuery,
  complaintWorkflow,
  confirmUpdate,
  disputeUpdate,
  escalateNowUpdate,
  messageCitizenUpdate,
  progressUpdate,
  rateUpdate,
  rejectUpdate,
  reopenUpdate,
  rerouteUpdate,
  resolveUpdate,
  setDifficultyUpdate,
  withdrawUpdate,
  type Actor,
} from '../../workflows/complaint';
import { createTimeSkippingEnv } from '../support/env';
import { recordHistory } from '../support/histories';

const slug = (name: string) => name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);

// The complaint lifecycle with its real durations (working days, months, years) on the
// time-skipping test server. Activities are plain objects that record what the workflow did and
// when, in the server's (skipped) time.

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
const WIB = 7 * HOUR;

const DPUPR = 3;
const DINKES = 2;
const official = (level: number, opdUnitId: number | null = DPUPR): Actor => ({ kind: 'official', officialId: 100 + level, opdUnitId, level });
const citizen: Actor = { kind: 'citizen' };
const admin: Actor = { kind: 'admin', name: 'token:1' };

interface Sent {
  to: 'citizen' | `level-${number}`;
  text: string;
  kind: string;
  at: number;
}

interface Recorded {
  sent: Sent[];
  events: Array<{ type: string; status: string; data: Record<string, unknown> }>;
  holidays: string[];
}

function serverTime(): number {
  return Context.current().info.currentAttemptScheduledTimestampMs;
}

const SUMMARY = 'Jalan berlubang di depan SDN Kraksaan 1';

function fakeActivities(recorded: Recorded): ComplaintActivities {
  const units: Record<number, [string, string]> = { [DPUPR]: ['DPUPR', 'Dinas Pekerjaan Umum dan Penataan Ruang'], [DINKES]: ['DINKES', 'Dinas Kesehatan'] };
  return {
    async routeComplaint(input) {
      const id = input.opdUnitId ?? DPUPR;
      return { opdUnitId: id, opdCode: units[id][0], opdName: units[id][1], summary: SUMMARY };
    },
    async loadLifecycleContext() {
      return { policy: DEFAULT_POLICY, holidays: recorded.holidays };
    },
    async recordTransition(input) {
      recorded.events.push({ type: input.event.type, status: input.status, data: input.event.data });
    },
    async notifyCitizen(input) {
      recorded.sent.push({ to: 'citizen', text: input.text, kind: input.kind, at: serverTime() });
      return { delivered: true };
    },
    async sendReceipt(input) {
      recorded.sent.push({ to: 'citizen', text: `receipt ${input.ticketCode}`, kind: 'receipt', at: serverTime() });
      return { delivered: true };
    },
    async notifyOfficials(input) {
      recorded.sent.push({ to: `level-${input.level}`, text: input.text ?? 'new complaint', kind: input.kind, at: serverTime() });
      return { notified: 1, failed: 0 };
    },
  };
}

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;
let recorded: Recorded;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  workflowBundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH });
});

afterAll(async () => {
  await env?.teardown();
});

beforeEach(() => {
  recorded = { sent: [], events: [], holidays: [] };
});

/** Moves the test server's clock to the next Monday 09:00 WIB, so that each test starts the same way. */
async function untilNextMonday9Wib(): Promise<number> {
  const now = await env.currentTimeMs();
  const wib = new Date(now + WIB);
  const daysAhead = ((8 - wib.getUTCDay()) % 7) + 7;
  const target = Date.UTC(wib.getUTCFullYear(), wib.getUTCMonth(), wib.getUTCDate() + daysAhead, 9) - WIB;
  await env.sleep(target - now);
  return target;
}

async function withComplaint<T>(fn: (handle: Awaited<ReturnType<typeof start>>, startedAt: number) => Promise<T>, options: { maxHistoryEvents?: number } = {}): Promise<T> {
  const startedAt = await untilNextMonday9Wib();
  const taskQueue = `lifecycle-${randomUUID()}`;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle, activities: fakeActivities(recorded) });
  return worker.runUntil(async () => {
    const handle = await start(taskQueue, options.maxHistoryEvents);
    try {
      await waitForView(handle, (v) => v.status === 'routed');
      const result = await fn(handle, startedAt);
      await recordHistory(`complaint-${slug(expect.getState().currentTestName ?? 'unnamed')}`, env.client.workflow.getHandle(handle.workflowId));
      return result;
    } finally {
      // A workflow left running without its worker would keep the server from skipping time.
      await handle.terminate().catch(() => undefined);
    }
  });
}

let ticket = 0;
async function start(taskQueue: string, maxHistoryEvents?: number) {
  ticket += 1;
  const ticketCode = `LK-2027-${String(ticket).padStart(6, '0')}`;
  return env.client.workflow.start(complaintWorkflow, { workflowId: ticketCode, taskQueue, args: [{ ticketCode, complaintId: ticket, maxHistoryEvents }] });
}

async function waitForView(handle: { query: (q: typeof complaintViewQuery) => Promise<any> }, ok: (view: any) => boolean) {
  for (let i = 0; i < 100; i++) {
    const view = await handle.query(complaintViewQuery);
    if (ok(view)) return view;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('The complaint never reached the expected state');
}

/** Workflow time includes the real milliseconds that updates and activities take. */
function expectNear(actual: number, expected: number, toleranceMs = 60_000) {
  expect(Math.abs(actual - expected), `${new Date(actual).toISOString()} vs ${new Date(expected).toISOString()}`).toBeLessThanOrEqual(toleranceMs);
}

const escalations = () => recorded.events.filter((e) => e.type === 'escalated').map((e) => e.data);
const toLevel = (level: number) => recorded.sent.filter((s) => s.to === `level-${level}`);
const wibHour = (at: number) => new Date(at + WIB).getUTCHours();

describe('complaint lifecycle', () => {
  it.each<[Difficulty, number]>([
    ['ringan', 1],
    ['sedang', 2],
    ['berat', 3],
  ])('%s: accepted, progress every month, resolved, tuntas after %i year(s) of work', async (difficulty, years) => {
    await withComplaint(async (handle, startedAt) => {
      await env.sleep(2 * DAY);
      const accepted = await handle.executeUpdate(acceptUpdate, { args: [{ actor: official(1), difficulty }] });
      expect(accepted.status).toBe('accepted');
      const acceptedAt = startedAt + 2 * DAY;
      const target = new Date(accepted.targetAt!);
      expect(new Date(target.getTime() + WIB).getUTCFullYear() - new Date(acceptedAt + WIB).getUTCFullYear()).toBe(years);

      // Progress every 28 days, within the 30-day interval, until past 90% of the target.
      const months = Math.floor((years * 365 * 0.95) / 28);
      for (let m = 0; m < months; m++) {
        await env.sleep(28 * DAY);
        await handle.executeUpdate(progressUpdate, { args: [{ actor: official(1), note: `Pekerjaan bulan ke-${m + 1}` }] });
      }
      const resolved = await handle.executeUpdate(resolveUpdate, { args: [{ actor: official(1), note: 'Jalan sudah diaspal ulang.' }] });
      expect(resolved.status).toBe('resolved');
      await handle.executeUpdate(confirmUpdate, { args: [{ actor: citizen }] });
      await handle.executeUpdate(rateUpdate, { args: [{ actor: citizen, rating: 5 }] });
      const final = await handle.query(complaintViewQuery);
      expect(final.status).toBe('tuntas');
    });
    expect(escalations()).toEqual([]);
    // The citizen heard of acceptance, progress, the 50% and 90% summaries, resolution, tuntas and thanks.
    const citizenTexts = recorded.sent.filter((s) => s.to === 'citizen').map((s) => s.text);
    expect(citizenTexts.filter((t) => t.includes('50%'))).toHaveLength(1);
    expect(citizenTexts.filter((t) => t.includes('90%'))).toHaveLength(1);
    expect(recorded.events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['accepted', 'progress_reported', 'resolved', 'confirmed', 'rated']),
    );
  });

  it('escalates a missed acceptance through all four levels, then repeats at the top every 30 days', async () => {
    await withComplaint(async (handle, startedAt) => {
      await env.sleep(85 * DAY);
      const view = await handle.query(complaintViewQuery);
      expect(view.level).toBe(4);
      expect(view.status).toBe('routed');
      // Monday 09:00 + 3 working days: a reminder on Thursday; + 5: escalation the next Monday.
      const reminder = toLevel(1).find((s) => s.kind === 'reminder')!;
      expectNear(reminder.at, startedAt + 3 * DAY);
      const steps = escalations();
      expect(steps.slice(0, 3).map((e) => [e.from, e.to])).toEqual([[1, 2], [2, 3], [3, 4]]);
      expectNear(toLevel(2).find((s) => s.kind === 'escalation')!.at, startedAt + 7 * DAY);
      expectNear(toLevel(3).find((s) => s.kind === 'escalation')!.at, startedAt + 14 * DAY);
      expectNear(toLevel(4).find((s) => s.kind === 'escalation')!.at, startedAt + 21 * DAY);
      // At the top the escalation repeats every 30 days.
      const top = toLevel(4).filter((s) => s.kind === 'escalation').map((s) => s.at);
      expect(top.length).toBeGreaterThanOrEqual(3);
      expectNear(top[1] - top[0], 30 * DAY);
    });
  });

  it('escalates a missed progress report', async () => {
    await withComplaint(async (handle, startedAt) => {
      await handle.executeUpdate(acceptUpdate, { args: [{ actor: official(1), difficulty: 'sedang' }] });
      await env.sleep(31 * DAY);
      const view = await handle.query(complaintViewQuery);
      expect(view.level).toBe(2);
      expect(escalations()[0]).toMatchObject({ what: 'progress', from: 1, to: 2 });
      const reminder = toLevel(1).find((s) => s.kind === 'reminder')!;
      expectNear(reminder.at, startedAt + 23 * DAY);
    });
  });

  it('escalates a missed target', async () => {
    await withComplaint(async (handle) => {
      await handle.executeUpdate(acceptUpdate, { args: [{ actor: official(1), difficulty: 'ringan' }] });
      for (let m = 0; m < 14; m++) {
        await env.sleep(28 * DAY);
        await handle.executeUpdate(progressUpdate, { args: [{ actor: official(1), note: 'Masih dikerjakan' }] });
      }
      expect(escalations().map((e) => e.what)).toEqual(['target']);
      // The officials one level up learn what the complaint is about.
      expect(recorded.sent.filter((s) => s.kind === 'escalation').at(-1)!.text).toContain(SUMMARY);
    });
  });

  it('reopens a disputed resolution one level up, and closes by itself after 10 working days', async () => {
    await withComplaint(async (handle, startedAt) => {
      await handle.executeUpdate(acceptUpdate, { args: [{ actor: official(1), difficulty: 'ringan' }] });
      await handle.executeUpdate(resolveUpdate, { args: [{ actor: official(1), note: 'Sudah diperbaiki' }] });
      const disputed = await handle.executeUpdate(disputeUpdate, { args: [{ actor: citizen, reason: 'Lubang masih ada' }] });
      expect(disputed).toMatchObject({ status: 'in_progress', level: 2 });
      expect(toLevel(2).at(-1)!.text).toContain('Lubang masih ada');

      const resolved = await handle.executeUpdate(resolveUpdate, { args: [{ actor: official(2), note: 'Diperbaiki ulang' }] });
      // Resolved on Monday 09:00: 10 working days later is the Monday two weeks on.
      expectNear(Date.parse(resolved.confirmBy!), startedAt + 14 * DAY);
      await env.sleep(15 * DAY);
      expect((await handle.query(complaintViewQuery)).status).toBe('tuntas');
      expect(recorded.events.at(-1)!.type).toBe('closed_automatically');
    });
  });

  it('reroutes to another OPD, which then gets its own acceptance deadline', async () => {
    await withComplaint(async (handle) => {
      const view = await handle.executeUpdate(rerouteUpdate, { args: [{ actor: official(1), opdUnitId: DINKES, opdCode: 'DINKES', opdName: 'Dinas Kesehatan' }] });
      expect(view).toMatchObject({ status: 'routed', opdCode: 'DINKES', level: 1 });
      // The former OPD may no longer act on it; the new one may.
      await expect(handle.executeUpdate(acceptUpdate, { args: [{ actor: official(1, DPUPR), difficulty: 'ringan' }] })).rejects.toThrow();
      await handle.executeUpdate(acceptUpdate, { args: [{ actor: official(1, DINKES), difficulty: 'ringan' }] });
    });
    expect(recorded.sent.find((s) => s.to === 'citizen' && s.text.includes('Dinas Kesehatan'))).toBeDefined();
  });

  it('refuses a rejection below level 2, and tells the citizen why and by whom', async () => {
    await withComplaint(async (handle) => {
      await expect(handle.executeUpdate(rejectUpdate, { args: [{ actor: official(1), reason: 'Hoaks' }] })).rejects.toThrow();
      await expect(handle.executeUpdate(acceptUpdate, { args: [{ actor: official(2, DINKES), difficulty: 'ringan' }] })).rejects.toThrow();
      const view = await handle.executeUpdate(rejectUpdate, { args: [{ actor: official(2), reason: 'Bukan kewenangan pemerintah kabupaten' }] });
      expect(view.status).toBe('rejected');
      expect(await handle.result()).toMatchObject({ status: 'rejected' });
    });
    const told = recorded.sent.find((s) => s.to === 'citizen')!;
    expect(told.text).toContain('Bukan kewenangan pemerintah kabupaten');
  });

  it('lets the citizen withdraw, and no deadline fires afterwards', async () => {
    await withComplaint(async (handle) => {
      await handle.executeUpdate(withdrawUpdate, { args: [{ actor: citizen }] });
      expect(await handle.result()).toMatchObject({ status: 'withdrawn' });
      await expect(handle.executeUpdate(acceptUpdate, { args: [{ actor: official(1), difficulty: 'ringan' }] })).rejects.toThrow();
    });
    expect(recorded.sent.filter((s) => s.kind === 'reminder')).toHaveLength(0);
  });

  it('counts working days around a holiday and holds night-time reminders until 07:00 WIB', async () => {
    const now = await env.currentTimeMs();
    // The coming Tuesday and Wednesday are holidays (a holiday and cuti bersama).
    const wib = new Date(now + WIB);
    const nextMonday = Date.UTC(wib.getUTCFullYear(), wib.getUTCMonth(), wib.getUTCDate() + ((8 - wib.getUTCDay()) % 7) + 7, 9) - WIB;
    recorded.holidays = [wibDateKey(new Date(nextMonday + DAY)), wibDateKey(new Date(nextMonday + 2 * DAY))];
    await withComplaint(async (handle, startedAt) => {
      expect(startedAt).toBe(nextMonday);
      // A routing on Monday 09:00 with Tuesday and Wednesday off: the reminder (3 working days)
      // falls on Monday, the deadline (5) on Wednesday.
      await env.sleep(12 * DAY);
      expectNear(toLevel(1).find((s) => s.kind === 'reminder')!.at, startedAt + 7 * DAY);
      expectNear(toLevel(2).find((s) => s.kind === 'escalation')!.at, startedAt + 9 * DAY);

      // Accepted at 22:00 WIB: the progress reminder due at that hour waits for the morning.
      await env.sleep(13 * HOUR);
      await handle.executeUpdate(acceptUpdate, { args: [{ actor: official(2), difficulty: 'ringan' }] });
      await env.sleep(24 * DAY);
      const reminder = toLevel(2).find((s) => s.kind === 'reminder')!;
      expect(wibHour(reminder.at)).toBe(7);
    });
  });

  it('continues as new in the middle of a three-year life, keeping state and deadlines', async () => {
    await withComplaint(
      async (handle, startedAt) => {
        await handle.executeUpdate(acceptUpdate, { args: [{ actor: official(1), difficulty: 'berat' }] });
        const before = await handle.query(complaintViewQuery);
        for (let m = 0; m < 21; m++) {
          await env.sleep(28 * DAY);
          await handle.executeUpdate(progressUpdate, { args: [{ actor: official(1), note: `Bulan ${m + 1}` }] });
        }
        const description = await env.client.workflow.getHandle(handle.workflowId).describe();
        expect(description.runId).not.toBe(handle.firstExecutionRunId);
        const after = await env.client.workflow.getHandle(handle.workflowId).query(complaintViewQuery);
        expect(after).toMatchObject({ status: 'in_progress', difficulty: 'berat', targetAt: before.targetAt, level: 1 });
        // The 50% summary still came, on time, in the new run.
        const half = recorded.sent.find((s) => s.to === 'citizen' && s.text.includes('50%'))!;
        expect(Math.abs(half.at - (startedAt + (Date.parse(before.targetAt!) - startedAt) / 2))).toBeLessThan(14 * HOUR);
      },
      { maxHistoryEvents: 100 },
    );
    expect(escalations()).toEqual([]);
  });
});

/** The reason a validator gave for refusing an update. */
async function refusal(update: Promise<unknown>): Promise<string> {
  try {
    await update;
  } catch (err) {
    return (err as { cause?: Error }).cause?.message ?? String(err);
  }
  throw new Error('The update was accepted');
}

describe('admin actions', () => {
  it('set difficulty moves the target and its milestones, counted from acceptance', async () => {
    await withComplaint(async (handle) => {
      expect(await refusal(handle.executeUpdate(setDifficultyUpdate, { args: [{ actor: admin, difficulty: 'berat' }] }))).toMatch(/belum diterima/);
      const accepted = await handle.executeUpdate(acceptUpdate, { args: [{ actor: official(1), difficulty: 'ringan' }] });
      const acceptedAt = Date.parse(accepted.targetAt!) - 365 * DAY;
      expect(await refusal(handle.executeUpdate(setDifficultyUpdate, { args: [{ actor: official(1), difficulty: 'berat' }] }))).toMatch(/hanya untuk admin/);
      expect(await refusal(handle.executeUpdate(setDifficultyUpdate, { args: [{ actor: admin, difficulty: 'ringan' }] }))).toMatch(/sudah Ringan/);

      for (let m = 0; m < 3; m++) {
        await env.sleep(28 * DAY);
        await handle.executeUpdate(progressUpdate, { args: [{ actor: official(1), note: `Bulan ${m + 1}` }] });
      }
      const changed = await handle.executeUpdate(setDifficultyUpdate, { args: [{ actor: admin, difficulty: 'berat' }] });
      // Three years from the acceptance, not from today (a leap day may lie in between).
      expectNear(Date.parse(changed.targetAt!), acceptedAt + 3 * 365 * DAY, DAY + 60_000);
      expect(changed).toMatchObject({ difficulty: 'berat', status: 'in_progress' });
      const told = recorded.sent.filter((s) => s.to === 'citizen').at(-1)!;
      expect(told.text).toContain('Target penyelesaian baru');
      expect(toLevel(1).at(-1)!.text).toContain('Berat');

      // Past the old one-year target, with monthly progress: no target escalation, and no 50%
      // summary of the old target (half of a year); the new one is half of three years.
      for (let m = 3; m < 14; m++) {
        await env.sleep(28 * DAY);
        await handle.executeUpdate(progressUpdate, { args: [{ actor: official(1), note: `Bulan ${m + 1}` }] });
      }
    });
    expect(escalations()).toEqual([]);
    expect(recorded.sent.filter((s) => s.to === 'citizen' && s.text.includes('50%'))).toHaveLength(0);
    expect(recorded.events.find((e) => e.type === 'difficulty_changed')!.data).toMatchObject({ from: 'ringan', to: 'berat' });
  });

  it('a lower difficulty whose target has passed escalates at once, without stale milestones', async () => {
    await withComplaint(async (handle) => {
      await handle.executeUpdate(acceptUpdate, { args: [{ actor: official(1), difficulty: 'berat' }] });
      for (let m = 0; m < 14; m++) {
        await env.sleep(28 * DAY);
        await handle.executeUpdate(progressUpdate, { args: [{ actor: official(1), note: `Bulan ${m + 1}` }] });
      }
      const milestonesBefore = recorded.sent.filter((s) => s.to === 'citizen' && /\d+% waktu/.test(s.text)).length;
      await handle.executeUpdate(setDifficultyUpdate, { args: [{ actor: admin, difficulty: 'ringan' }] });
      await waitForView(handle, (v) => v.level === 2);
      expect(recorded.sent.filter((s) => s.to === 'citizen' && /\d+% waktu/.test(s.text)).length).toBe(milestonesBefore);
    });
    expect(escalations().map((e) => [e.what, e.from, e.to])).toEqual([['target', 1, 2]]);
  });

  it('escalates now, then the new level gets its own acceptance period, up to the top', async () => {
    await withComplaint(async (handle, startedAt) => {
      expect(await refusal(handle.executeUpdate(escalateNowUpdate, { args: [{ actor: official(3) }] }))).toMatch(/hanya untuk admin/);
      await env.sleep(DAY);
      const escalated = await handle.executeUpdate(escalateNowUpdate, { args: [{ actor: admin, reason: 'Jalan rawan kecelakaan' }] });
      expect(escalated).toMatchObject({ status: 'routed', level: 2 });
      const notice = toLevel(2).at(-1)!;
      expect(notice.kind).toBe('escalation');
      expect(notice.text).toContain('Admin LAPOR KAND4 mengeskalasi');
      expect(notice.text).toContain('Jalan rawan kecelakaan');

      // Escalated on Tuesday 09:00: 5 working days later (the next Tuesday) acceptance is missed at level 2.
      await env.sleep(8 * DAY);
      const view = await handle.query(complaintViewQuery);
      expect(view.level).toBe(3);
      expect(escalations().map((e) => [e.what, e.from, e.to])).toEqual([
        ['admin', 1, 2],
        ['accept', 2, 3],
      ]);
      expectNear(toLevel(2).find((s) => s.kind === 'reminder')!.at, startedAt + 4 * DAY);
      expectNear(toLevel(3).find((s) => s.kind === 'escalation')!.at, startedAt + 8 * DAY);

      await handle.executeUpdate(escalateNowUpdate, { args: [{ actor: admin }] });
      expect(await refusal(handle.executeUpdate(escalateNowUpdate, { args: [{ actor: admin }] }))).toMatch(/tingkat tertinggi/);
      // At the top the acceptance reminder repeats every 30 days.
      expect((await handle.query(complaintViewQuery)).nextDeadline).toMatchObject({ kind: 'accept_due' });
    });
  });

  it('an escalation of a complaint in progress leaves its deadlines as they were', async () => {
    await withComplaint(async (handle, startedAt) => {
      await handle.executeUpdate(acceptUpdate, { args: [{ actor: official(1), difficulty: 'sedang' }] });
      const before = await handle.query(complaintViewQuery);
      await env.sleep(10 * DAY);
      const escalated = await handle.executeUpdate(escalateNowUpdate, { args: [{ actor: admin }] });
      expect(escalated.nextDeadline).toEqual(before.nextDeadline);
      await env.sleep(21 * DAY);
      expect(escalations().map((e) => [e.what, e.from, e.to])).toEqual([
        ['admin', 1, 2],
        ['progress', 2, 3],
      ]);
      expectNear(toLevel(3).find((s) => s.kind === 'escalation')!.at, startedAt + 30 * DAY);
    });
  });

  it('adds internal notes and messages the citizen in any state while it runs', async () => {
    await withComplaint(async (handle) => {
      await handle.executeUpdate(addNoteUpdate, { args: [{ actor: admin, text: 'Sudah ditelepon, menunggu foto.' }] });
      expect(recorded.sent.filter((s) => s.to === 'citizen')).toHaveLength(0);
      expect(await refusal(handle.executeUpdate(addNoteUpdate, { args: [{ actor: citizen, text: 'x' }] }))).toMatch(/hanya untuk admin/);
      expect(await refusal(handle.executeUpdate(messageCitizenUpdate, { args: [{ actor: admin, text: '   ' }] }))).toMatch(/isi teksnya/);
      const view = await handle.executeUpdate(messageCitizenUpdate, { args: [{ actor: admin, text: 'Mohon kirim foto terbaru.' }] });
      expect(view.status).toBe('routed');
      const message = recorded.sent.filter((s) => s.to === 'citizen').at(-1)!;
      expect(message.text).toContain('Pesan dari Admin LAPOR KAND4');
      expect(message.text).toContain('Mohon kirim foto terbaru.');
      await handle.executeUpdate(acceptUpdate, { args: [{ actor: official(1), difficulty: 'ringan' }] });
      await handle.executeUpdate(resolveUpdate, { args: [{ actor: official(1), note: 'Selesai' }] });
      await handle.executeUpdate(confirmUpdate, { args: [{ actor: citizen }] });
      await handle.executeUpdate(addNoteUpdate, { args: [{ actor: admin, text: 'Dicek ulang, tuntas.' }] });
    });
    expect(recorded.events.filter((e) => e.type === 'note_added').map((e) => [e.status, e.data.text])).toEqual([
      ['routed', 'Sudah ditelepon, menunggu foto.'],
      ['tuntas', 'Dicek ulang, tuntas.'],
    ]);
    expect(recorded.events.find((e) => e.type === 'admin_message')!.data).toEqual({ chars: 'Mohon kirim foto terbaru.'.length });
  });

  it('reopens a tuntas complaint one level up, with progress deadlines again, and it runs past the rating window', async () => {
    await withComplaint(async (handle, startedAt) => {
      await handle.executeUpdate(acceptUpdate, { args: [{ actor: official(1), difficulty: 'ringan' }] });
      expect(await refusal(handle.executeUpdate(reopenUpdate, { args: [{ actor: admin, reason: 'Belum selesai' }] }))).toMatch(/sedang dikerjakan/);
      await handle.executeUpdate(resolveUpdate, { args: [{ actor: official(1), note: 'Selesai' }] });
      await handle.executeUpdate(confirmUpdate, { args: [{ actor: citizen }] });
      await env.sleep(20 * DAY);
      expect(await refusal(handle.executeUpdate(reopenUpdate, { args: [{ actor: citizen, reason: 'Belum' }] }))).toMatch(/hanya untuk admin/);
      const reopened = await handle.executeUpdate(reopenUpdate, { args: [{ actor: admin, reason: 'Verifikasi lapangan: lubang masih ada' }] });
      expect(reopened).toMatchObject({ status: 'in_progress', level: 2, nextDeadline: { kind: 'progress_reminder' } });
      expect(toLevel(2).at(-1)!.text).toContain('Verifikasi lapangan: lubang masih ada');
      expect(recorded.sent.filter((s) => s.to === 'citizen').at(-1)!.text).toContain('dibuka kembali');

      // The rating window of the first tuntas would have ended 30 days after it; a missed
      // progress report 30 days after the reopening escalates instead.
      await env.sleep(31 * DAY);
      expect(await handle.query(complaintViewQuery)).toMatchObject({ status: 'in_progress', level: 3 });
      expectNear(toLevel(3).find((s) => s.kind === 'escalation')!.at, startedAt + 50 * DAY, 12 * HOUR);
      await handle.executeUpdate(resolveUpdate, { args: [{ actor: official(3), note: 'Diperbaiki ulang' }] });
      const again = await handle.executeUpdate(reopenUpdate, { args: [{ actor: admin, reason: 'Masih ada genangan' }] });
      expect(again).toMatchObject({ status: 'in_progress', level: 4 });
    });
    expect(recorded.events.filter((e) => e.type === 'reopened').map((e) => e.data.from)).toEqual(['tuntas', 'resolved']);
  });
});
