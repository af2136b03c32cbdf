import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { PiiCrypto } from '../../app/pii-crypto';
import { createDatabase, migrateToLatest, type Db } from '../../db/connect';
import * as complaintsRepo from '../../db/repositories/complaints';
import * as mediaRepo from '../../db/repositories/media';
import * as messagesRepo from '../../db/repositories/messages';
import * as opdRepo from '../../db/repositories/opd';
import { seedPlaceholderOfficials } from '../../db/seed';
import { testDatabaseUrl } from '../support/env';
import { TEST_PII_KEY } from '../support/runtime';
import { newMessageSid } from '../support/whatsapp';

// The same migrations and repositories on the embedded PGlite (what `npm start` uses without
// DATABASE_URL) and on a real PostgreSQL server.

const crypto = new PiiCrypto(Buffer.from(TEST_PII_KEY, 'base64'));
const opened: Db[] = [];

afterAll(async () => {
  for (const db of opened) await db.destroy();
});

const engines: Array<[string, () => Promise<Db>]> = [
  ['PGlite', () => createDatabase({ embeddedDir: path.join(mkdtempSync(path.join(os.tmpdir(), 'lapor-pglite-')), 'db') })],
  ['PostgreSQL', () => createDatabase({ url: testDatabaseUrl() })],
];

describe.each(engines)('migrations and repositories on %s', (_engine, open) => {
  it('migrate, seed and run every repository operation', async () => {
    const db = await open();
    opened.push(db);
    await migrateToLatest(db);
    await migrateToLatest(db); // idempotent
    await seedPlaceholderOfficials(db, crypto);
    await seedPlaceholderOfficials(db, crypto); // seeds once

    const unit = (await opdRepo.findUnitForCategory(db, 'kesehatan'))!;
    expect(unit.code).toBe('DINKES');
    const officials = await opdRepo.findActiveOfficials(db, unit.id, 1);
    expect(officials).toHaveLength(1);
    expect(crypto.decrypt(officials[0].phone_enc)).toMatch(/^\+62800/);
    const total = await opdRepo.countOfficials(db);
    expect(total).toBe((await opdRepo.listUnits(db)).length * 2 + 2);

    const year = 3000 + Math.floor(Math.random() * 1000);
    const numbers = await Promise.all([1, 2, 3].map(() => complaintsRepo.nextTicketNumber(db, year)));
    expect(numbers.sort()).toEqual([1, 2, 3]);

    const phone = `+628${Date.now()}`.slice(0, 14);
    const reporterId = await complaintsRepo.upsertReporter(db, crypto.lookupHash('phone', phone), crypto.encrypt(phone));
    expect(await complaintsRepo.upsertReporter(db, crypto.lookupHash('phone', phone), crypto.encrypt(phone))).toBe(reporterId);

    const inbound = { twilioSid: newMessageSid(), phoneHash: crypto.lookupHash('phone', phone), phoneEnc: crypto.encrypt(phone), contentEnc: null, numMedia: 1 };
    const first = await messagesRepo.insertInboundOnce(db, inbound);
    const again = await messagesRepo.insertInboundOnce(db, inbound);
    expect(first.isNew).toBe(true);
    expect(again).toMatchObject({ isNew: false, message: { id: first.message.id } });

    const mediaId = randomUUID();
    const media = { id: mediaId, inbound_message_id: first.message.id, media_index: 0, content_type: 'image/jpeg', size_bytes: 10, sha256: 'x', storage_key: `k/${mediaId}` };
    await mediaRepo.insertMediaOnce(db, media);
    expect((await mediaRepo.insertMediaOnce(db, { ...media, id: randomUUID() })).id).toBe(mediaId);

    const ticketCode = `LK-${year}-${String(numbers[0]).padStart(6, '0')}`;
    const complaint = await complaintsRepo.insertComplaint(db, {
      ticket_code: ticketCode,
      submission_key: randomUUID(),
      reporter_id: reporterId,
      reporter_name_enc: crypto.encrypt('Nama'),
      reporter_address_enc: crypto.encrypt('Alamat'),
      nik_enc: crypto.encrypt('3513015508900001'),
      nik_hash: crypto.lookupHash('nik', '3513015508900001'),
      outside_regency: false,
      kind: 'aduan',
      category: 'kesehatan',
      category_inferred: false,
      description: 'Puskesmas tutup',
      location_text: null,
      kecamatan: null,
      latitude: null,
      longitude: null,
      status: 'received',
      opd_unit_id: null,
      submitted_at: new Date(),
    });
    await mediaRepo.attachToComplaint(db, [mediaId], complaint.id);
    expect(await mediaRepo.listForComplaint(db, complaint.id)).toHaveLength(1);
    expect(await complaintsRepo.findByTicketCode(db, ticketCode)).toMatchObject({ id: complaint.id, kind: 'aduan' });
    expect(await complaintsRepo.findReporterPhoneHash(db, reporterId)).toBe(crypto.lookupHash('phone', phone));

    await complaintsRepo.appendEvent(db, { complaintId: complaint.id, type: 'routed', actor: 'system', idempotencyKey: `${ticketCode}:x` });
    await complaintsRepo.appendEvent(db, { complaintId: complaint.id, type: 'routed', actor: 'system', idempotencyKey: `${ticketCode}:x` });
    expect(await complaintsRepo.listEvents(db, complaint.id)).toHaveLength(1);
    // The timeline is append-only.
    await expect(sql`update complaint_events set type = 'changed' where complaint_id = ${complaint.id}`.execute(db)).rejects.toThrow(/append-only/);

    const outbound = { idempotencyKey: randomUUID(), phoneHash: inbound.phoneHash, phoneEnc: inbound.phoneEnc, contentEnc: null, complaintId: complaint.id };
    const pending = await messagesRepo.insertOutboundOnce(db, outbound);
    await messagesRepo.markOutboundSent(db, pending.id, newMessageSid(), 'queued');
    expect((await messagesRepo.insertOutboundOnce(db, outbound)).status).toBe('queued');
  });
});
