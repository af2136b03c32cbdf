import { sql } from 'kysely';
import type { PiiCrypto } from '../app/pii-crypto';
import type { Db } from './connect';
import * as opdRepo from './repositories/opd';

/**
 * Placeholder officials so that a new installation routes and escalates end to end: for every
 * OPD a responsible official (level 1) and its head (level 2), then the Sekretaris Daerah (3) and
 * the Bupati (4). Admins replace the numbers. Runs only on an empty officials table.
 */
export async function seedPlaceholderOfficials(db: Db, crypto: PiiCrypto): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await sql`lock table officials in exclusive mode`.execute(trx);
    if ((await opdRepo.countOfficials(trx)) > 0) return;
    const units = await opdRepo.listUnits(trx);
    let n = 0;
    const add = async (opdUnitId: number | null, level: number, role: string, name: string) => {
      n += 1;
      // +62 800… is not assigned to any subscriber: nothing reaches a real person by accident.
      const phone = `+62800000${String(n).padStart(4, '0')}`;
      await opdRepo.insertOfficial(trx, {
        opdUnitId,
        level,
        role,
        nameEnc: crypto.encrypt(name),
        phoneEnc: crypto.encrypt(phone),
        phoneHash: crypto.lookupHash('phone', phone),
      });
    };
    for (const unit of units) {
      await add(unit.id, 1, 'petugas_pengaduan', `Petugas Pengaduan ${unit.code}`);
      await add(unit.id, 2, 'kepala_opd', `Kepala ${unit.name}`);
    }
    await add(null, 3, 'sekretaris_daerah', 'Sekretaris Daerah Kabupaten Probolinggo');
    await add(null, 4, 'bupati', 'Bupati Probolinggo');
  });
}
