import { randomUUID } from 'node:crypto';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Worker, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Activities, SaveEvidenceResult, StatusLookup } from '../../activities';
import { DEFAULT_POLICY } from '../../domain/policy';
import type { ReportDraft } from '../../domain/report';
import { WORKFLOWS_PATH } from '../../worker';
import { complaintViewQuery } from '../../workflows/complaint';
import { conversationViewQuery, conversationWorkflow, inboundMessageSignal } from '../../workflows/conversation';
import type { InboundWhatsApp } from '../../workflows/inbound';
import { createTimeSkippingEnv } from '../support/env';
import { recordHistory } from '../support/histories';
import { newMessageSid, SAMPLE_REPORT, waitFor } from '../support/whatsapp';

// The conversation workflow on the time-skipping test server, with plain-object activities that
// record what the workflow asked for.

const CITIZEN = 'whatsapp:+6281234567890';

interface Recorded {
  sends: Array<{ to: string; text: string; idempotencyKey: string }>;
  submissions: Array<{ submissionKey: string; draft: ReportDraft }>;
  routed: string[];
  evidence: Array<{ url: string; contentType: string }>;
  ticketCodes: string[];
}

let ticketNumber = 0;
let currentTaskQueue = '';

function fakeActivities(recorded: Recorded, options: { evidence?: SaveEvidenceResult['outcome']; status?: StatusLookup } = {}) {
  const tickets = new Map<string, string>();
  const activities: Activities = {
    async sendWhatsApp(input) {
      recorded.sends.push(input);
      return { sids: [`SM${recorded.sends.length}`] };
    },
    async saveEvidence(input) {
      recorded.evidence.push({ url: input.url, contentType: input.contentType });
      const outcome = options.evidence ?? 'saved';
      if (outcome === 'saved') {
        return { outcome, evidence: { mediaId: randomUUID(), contentType: input.contentType, sizeBytes: 2048 } };
      }
      return outcome === 'too_large' ? { outcome, maxMegabytes: 16 } : { outcome };
    },
    async submitReport(input) {
      recorded.submissions.push({ submissionKey: input.submissionKey, draft: input.draft });
      let ticketCode = tickets.get(input.submissionKey);
      if (!ticketCode) {
        ticketNumber += 1;
        ticketCode = `LK-2026-${String(ticketNumber).padStart(6, '0')}`;
        tickets.set(input.submissionKey, ticketCode);
        recorded.ticketCodes.push(ticketCode);
      }
      return { ticketCode, complaintId: ticketNumber };
    },
    async startComplaint(input) {
      // The real start: the complaint workflow runs on this test's worker.
      await env.client.workflow.start('complaintWorkflow', { workflowId: input.ticketCode, taskQueue: currentTaskQueue, args: [input] });
    },
    async handleCitizenCommand() {
      return null;
    },
    async handleOfficialMessage() {
      return '';
    },
    async lookupStatus() {
      return options.status ?? { found: false };
    },
    async routeComplaint(input) {
      recorded.routed.push(input.ticketCode);
      return { opdUnitId: 3, opdCode: 'DPUPR', opdName: 'Dinas Pekerjaan Umum dan Penataan Ruang', summary: 'Jalan rusak' };
    },
    async notifyOfficials() {
      return { notified: 1, failed: 0 };
    },
    async loadLifecycleContext() {
      return { policy: DEFAULT_POLICY, holidays: [] };
    },
    async recordTransition() {},
    async notifyCitizen() {
      return { delivered: true };
    },
    async sendReceipt() {
      return { delivered: true };
    },
  };
  return activities;
}

let env: TestWorkflowEnvironment;
let workflowBundle: WorkflowBundleWithSourceMap;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
  workflowBundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH });
});

afterAll(async () => {
  await env?.teardown();
});

let recorded: Recorded;
beforeEach(() => {
  recorded = { sends: [], submissions: [], routed: [], evidence: [], ticketCodes: [] };
});

let messageId = 0;
let lastHandle: { fetchHistory: () => Promise<any> } | undefined;
function inbound(body: string, extra: Partial<InboundWhatsApp> = {}): InboundWhatsApp {
  messageId += 1;
  return { messageId, messageSid: newMessageSid(), from: CITIZEN, body, media: [], ...extra };
}

const photo = { url: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1', contentType: 'image/jpeg' };

async function withWorker<T>(activities: Activities, fn: (taskQueue: string) => Promise<T>): Promise<T> {
  const taskQueue = `test-${randomUUID()}`;
  currentTaskQueue = taskQueue;
  const worker = await Worker.create({ connection: env.nativeConnection, taskQueue, workflowBundle, activities });
  return worker.runUntil(async () => {
    const result = await fn(taskQueue);
    // Complaint workflows started on this queue are routed, then ended, before its worker stops:
    // a task left without a worker would keep the test server from skipping time in later tests.
    for (const ticketCode of recorded.ticketCodes) {
      const complaint = env.client.workflow.getHandle(ticketCode);
      await waitFor(async () => (await complaint.query(complaintViewQuery)).status === 'routed');
      await complaint.terminate();
    }
    return result;
  });
}

async function start(taskQueue: string, first: InboundWhatsApp, input: Parameters<typeof conversationWorkflow>[0] = {}) {
  return env.client.workflow.signalWithStart(conversationWorkflow, {
    workflowId: `conversation-${randomUUID()}`,
    taskQueue,
    args: [input],
    signal: inboundMessageSignal,
    signalArgs: [first],
  });
}

describe('conversation workflow', () => {
  // First, on a fresh test server: time skips only while no other test's work is pending.
  it('ends a half-done report after 24 idle hours with a notice', async () => {
    const outcome = await withWorker(fakeActivities(recorded), async (taskQueue) => {
      const handle = await start(taskQueue, inbound('Nama: Rina'));
      lastHandle = handle;
      await waitFor(() => recorded.sends.length === 1);
      const before = Date.now();
      // The environment's handle lets the test server skip time while the test waits.
      const result = await env.client.workflow.getHandle(handle.workflowId).result();
      // Time was skipped, not waited for.
      expect(Date.now() - before).toBeLessThan(30_000);
      const description = await handle.describe();
      expect(description.closeTime!.getTime() - description.startTime.getTime()).toBeGreaterThanOrEqual(24 * 60 * 60 * 1000);
      return result;
    });
    expect(outcome).toEqual({ ended: 'idle' });
    expect(recorded.sends).toHaveLength(2);
    await recordHistory('conversation-idle-end', lastHandle!);
    expect(recorded.sends[1].text).toMatch(/24 jam/);
    expect(recorded.submissions).toHaveLength(0);
  });

  it('ends quietly after 24 idle hours when nothing was started', async () => {
    const outcome = await withWorker(fakeActivities(recorded), async (taskQueue) => {
      const handle = await start(taskQueue, inbound('Halo'));
      return env.client.workflow.getHandle(handle.workflowId).result();
    });
    expect(outcome).toEqual({ ended: 'idle' });
    // Only the welcome; no idle notice for an empty report.
    expect(recorded.sends).toHaveLength(1);
  });

  it('turns a whole report in one message with a photo into a complaint and a receipt', async () => {
    const { outcome, complaintView } = await withWorker(fakeActivities(recorded), async (taskQueue) => {
      const handle = await start(taskQueue, inbound(SAMPLE_REPORT, { media: [photo] }));
      const outcome = await handle.result();
      await recordHistory('conversation-one-message-report', handle);
      // The complaint workflow was started with the ticket code as its ID and routes the complaint.
      const ticketCode = outcome.ended === 'submitted' ? outcome.ticketCodes[0] : 'none';
      const complaint = env.client.workflow.getHandle(ticketCode);
      return { outcome, complaintView: await waitFor(async () => { const view = await complaint.query(complaintViewQuery); return view.status === 'routed' && view; }) };
    });

    expect(outcome.ended).toBe('submitted');
    if (outcome.ended !== 'submitted') return;
    const [ticketCode] = outcome.ticketCodes;
    expect(complaintView).toMatchObject({ ticketCode, status: 'routed', opdCode: 'DPUPR', level: 1, nextDeadline: { kind: 'accept_reminder' } });
    expect(recorded.submissions).toHaveLength(1);
    expect(recorded.submissions[0].draft).toMatchObject({
      name: 'Siti Aminah',
      nik: '3513015508900001',
      kind: 'aduan',
      category: 'infrastruktur',
      kecamatan: 'Sumberasih',
      outsideRegency: false,
    });
    expect(recorded.submissions[0].draft.evidence).toHaveLength(1);
    expect(recorded.sends).toHaveLength(1);
    expect(recorded.sends[0].to).toBe(CITIZEN);
    expect(recorded.sends[0].text).toContain(ticketCode);
    expect(recorded.sends[0].text).not.toContain('3513015508900001');
    expect(recorded.routed).toEqual([ticketCode]);
  });

  it('asks for what is missing one thing at a time and keeps what was given', async () => {
    await withWorker(fakeActivities(recorded), async (taskQueue) => {
      const handle = await start(taskQueue, inbound('Selamat pagi, jalan di depan rumah saya rusak parah dan berlubang'));
      await waitFor(() => recorded.sends.length === 1);
      expect(await handle.query(conversationViewQuery)).toMatchObject({ expecting: 'name' });

      await handle.signal(inboundMessageSignal, inbound('Budi Santoso'));
      await waitFor(() => recorded.sends.length === 2);
      expect(await handle.query(conversationViewQuery)).toMatchObject({ expecting: 'address' });

      await handle.signal(inboundMessageSignal, inbound('Desa Tegalsiwalan RT 01 RW 02, Kec. Tegalsiwalan'));
      await waitFor(() => recorded.sends.length === 3);
      expect(await handle.query(conversationViewQuery)).toMatchObject({ expecting: 'nik' });

      await handle.signal(inboundMessageSignal, inbound('3513 0112 0385 0002'));
      await waitFor(() => recorded.sends.length === 4);
      const view = await handle.query(conversationViewQuery);
      expect(view.expecting).toBe('evidence');
      expect(view.filled).toEqual(expect.arrayContaining(['name', 'address', 'nik', 'description', 'category']));

      await handle.signal(inboundMessageSignal, inbound('', { media: [photo] }));
      const outcome = await handle.result();
      expect(outcome.ended).toBe('submitted');
      await recordHistory('conversation-five-messages', handle);
    });
    expect(recorded.submissions).toHaveLength(1);
    expect(recorded.submissions[0].draft).toMatchObject({
      name: 'Budi Santoso',
      nik: '3513011203850002',
      category: 'infrastruktur',
      categoryInferred: true,
      kecamatan: 'Tegalsiwalan',
    });
    // Five questions and answers: each reply asked for exactly one thing until the receipt.
    expect(recorded.sends).toHaveLength(5);
  });

  it('explains a bad NIK, keeps the rest, and accepts the corrected one', async () => {
    await withWorker(fakeActivities(recorded), async (taskQueue) => {
      const badNik = SAMPLE_REPORT.replace('3513015508900001', '351301550890001');
      const handle = await start(taskQueue, inbound(badNik, { media: [photo] }));
      await waitFor(() => recorded.sends.length === 1);
      expect(recorded.sends[0].text).toMatch(/16/);
      expect(recorded.sends[0].text).not.toContain('351301550890001');
      expect(await handle.query(conversationViewQuery)).toMatchObject({ expecting: 'nik' });

      await handle.signal(inboundMessageSignal, inbound('NIK: 3513015508900001'));
      expect((await handle.result()).ended).toBe('submitted');
    });
    expect(recorded.submissions[0].draft.nik).toBe('3513015508900001');
  });

  it('requires evidence for an aduan but not for a saran', async () => {
    await withWorker(fakeActivities(recorded), async (taskQueue) => {
      const handle = await start(taskQueue, inbound(SAMPLE_REPORT));
      await waitFor(() => recorded.sends.length === 1);
      expect(await handle.query(conversationViewQuery)).toMatchObject({ expecting: 'evidence' });

      const saran = inbound(
        ['Nama: Ahmad', 'Alamat: Desa Pajarakan Kulon, Kec. Pajarakan', 'NIK: 3513110101800003', 'Kategori: pendidikan', 'Saran: Perpustakaan desa dibuka sampai sore.'].join('\n'),
      );
      const other = await start(taskQueue, saran);
      expect((await other.result()).ended).toBe('submitted');
      await handle.terminate();
    });
    expect(recorded.submissions).toHaveLength(1);
    expect(recorded.submissions[0].draft).toMatchObject({ kind: 'saran', evidence: [] });
  });

  it('refuses media that is not a photo or video without downloading it', async () => {
    await withWorker(fakeActivities(recorded), async (taskQueue) => {
      const pdf = { url: 'https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM2/Media/ME2', contentType: 'application/pdf' };
      const handle = await start(taskQueue, inbound(SAMPLE_REPORT, { media: [pdf] }));
      await waitFor(() => recorded.sends.length === 1);
      expect(await handle.query(conversationViewQuery)).toMatchObject({ expecting: 'evidence' });
      await handle.terminate();
    });
    expect(recorded.evidence).toHaveLength(0);
    expect(recorded.sends[0].text.toLowerCase()).toMatch(/foto|video/);
  });

  it('changes nothing when the same MessageSid arrives twice', async () => {
    await withWorker(fakeActivities(recorded), async (taskQueue) => {
      const first = inbound('Nama: Dewi Lestari');
      const handle = await start(taskQueue, first);
      await handle.signal(inboundMessageSignal, first);
      await handle.signal(inboundMessageSignal, inbound('Alamat: Desa Maron Kidul, Kec. Maron'));
      await waitFor(() => recorded.sends.length === 2);
      await handle.terminate();
    });
    expect(recorded.sends).toHaveLength(2);
  });

  it('answers STATUS through the status look-up, revealing nothing when not found', async () => {
    const status: StatusLookup = { found: true, status: 'routed', opdName: 'Dinas Kesehatan', submittedAt: '2026-12-01T03:00:00.000Z' };
    await withWorker(fakeActivities(recorded, { status }), async (taskQueue) => {
      const handle = await start(taskQueue, inbound('STATUS LK-2026-000042'));
      await waitFor(() => recorded.sends.length === 1);
      await handle.terminate();
    });
    expect(recorded.sends[0].text).toContain('LK-2026-000042');
    expect(recorded.sends[0].text).toContain('Dinas Kesehatan');

    recorded.sends.length = 0;
    await withWorker(fakeActivities(recorded), async (taskQueue) => {
      const handle = await start(taskQueue, inbound('status lk-2026-000042'));
      await waitFor(() => recorded.sends.length === 1);
      await handle.terminate();
    });
    expect(recorded.sends[0].text).not.toContain('Dinas Kesehatan');
  });

  it('continues as new when history grows, keeping the draft', async () => {
    await withWorker(fakeActivities(recorded), async (taskQueue) => {
      const handle = await start(taskQueue, inbound('Nama: Yusuf'), { maxHistoryEvents: 20 });
      for (const body of ['Alamat: Desa Gending, Kec. Gending', 'halo', 'halo', 'NIK: 3513190101900004']) {
        const before = recorded.sends.length;
        await handle.signal(inboundMessageSignal, inbound(body));
        await waitFor(() => recorded.sends.length > before);
      }
      const description = await handle.describe();
      expect(description.runId).not.toBe(handle.signaledRunId);
      const view = await handle.query(conversationViewQuery);
      expect(view.filled).toEqual(expect.arrayContaining(['name', 'address', 'nik']));
      await handle.terminate();
    });
  });
});

describe('complaint workflow', () => {
  it('routes a new complaint and waits for the OPD to accept it', async () => {
    await withWorker(fakeActivities(recorded), async (taskQueue) => {
      const handle = await env.client.workflow.start('complaintWorkflow', {
        workflowId: 'LK-2026-000777',
        taskQueue,
        args: [{ ticketCode: 'LK-2026-000777', complaintId: 777 }],
      });
      const view = await waitFor(async () => {
        const v = await handle.query(complaintViewQuery);
        return v.status === 'routed' && v;
      });
      expect(view).toMatchObject({ ticketCode: 'LK-2026-000777', status: 'routed', opdCode: 'DPUPR', level: 1 });
      await handle.terminate();
    });
    expect(recorded.routed).toEqual(['LK-2026-000777']);
  });
});
