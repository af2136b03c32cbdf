import { describe, it, expect } from 'vitest';
import { parseCitizenCommand, parseOfficialCommand } from '../../domain/commands';
import {
  LIFECYCLE_STATUSES,
  citizenAcceptedText,
  citizenAdminMessageText,
  citizenDifficultyChangedText,
  citizenMilestoneText,
  citizenProgressText,
  citizenRatingThanksText,
  citizenRejectedText,
  citizenReopenedByAdminText,
  citizenReopenedText,
  citizenReroutedText,
  citizenResolvedText,
  citizenTuntasText,
  citizenWithdrawnText,
  formatDateOnlyWib,
  lifecycleStatusLabel,
  officialAckText,
  officialAdminEscalationText,
  officialDifficultyChangedText,
  officialDisputeText,
  officialEscalationText,
  officialHelpText,
  officialInfoText,
  officialListText,
  officialMilestoneWarningText,
  officialRefusalText,
  officialReminderText,
  officialReopenedByAdminText,
  officialWithdrawnText,
} from '../../domain/lifecycle-messages';

const TICKET = 'LK-2026-000123';
const NIK = '3513015508900001';
const OPD = 'Dinas Pekerjaan Umum dan Penataan Ruang';
/** Each text must fit one WhatsApp message. */
const MAX_CHARS = 1500;

function wib(wallTime: string): Date {
  return new Date(`${wallTime}:00+07:00`);
}

function expectSafe(text: string): void {
  expect(text.length).toBeLessThan(MAX_CHARS);
  expect(text).not.toMatch(/\d{16}/);
  expect(text).not.toContain(NIK.slice(4, 12));
}

const LONG = `${'Warga melaporkan kerusakan jalan yang semakin parah setiap musim hujan. '.repeat(40)}NIK pelapor ${NIK}.`;

describe('formatDateOnlyWib', () => {
  it('gives the WIB date the Indonesian way', () => {
    expect(formatDateOnlyWib(wib('2027-12-04T14:05'))).toBe('4 Desember 2027');
    expect(formatDateOnlyWib(wib('2028-01-01T00:30'))).toBe('1 Januari 2028');
  });

  it('uses the WIB day across the UTC boundary', () => {
    expect(formatDateOnlyWib(new Date('2026-12-04T18:30:00Z'))).toBe('5 Desember 2026');
    expect(formatDateOnlyWib(new Date('2027-12-31T17:00:00Z'))).toBe('1 Januari 2028');
  });
});

describe('lifecycleStatusLabel', () => {
  it('names every status in Indonesian', () => {
    expect(LIFECYCLE_STATUSES.map(lifecycleStatusLabel)).toEqual([
      'Diterima',
      'Diteruskan ke OPD',
      'Diterima OPD',
      'Dalam pengerjaan',
      'Selesai — menunggu konfirmasi pelapor',
      'Tuntas',
      'Ditolak',
      'Dibatalkan pelapor',
    ]);
  });
});

describe('texts to the citizen', () => {
  it('accepted: OPD, difficulty and target date', () => {
    const text = citizenAcceptedText({ ticketCode: TICKET, opdName: OPD, difficulty: 'sedang', targetDate: wib('2028-12-04T14:05') });
    expect(text).toContain(TICKET);
    expect(text).toContain(OPD);
    expect(text).toContain('Sedang');
    expect(text).toContain('4 Desember 2028');
    expect(text).not.toContain('14.05');
    expect(text).toContain(`STATUS ${TICKET}`);
    expectSafe(text);
  });

  it('progress: the note with its line breaks, a NIK masked', () => {
    const text = citizenProgressText({ ticketCode: TICKET, opdName: OPD, note: `Tahap 1 selesai.\nTahap 2 dimulai. ${NIK}` });
    expect(text).toContain(TICKET);
    expect(text).toContain('Tahap 1 selesai.\nTahap 2 dimulai.');
    expect(text).toContain('3513********0001');
    expectSafe(text);
  });

  it('resolved: how to confirm or dispute, and the deadline with its time', () => {
    const text = citizenResolvedText({
      ticketCode: TICKET,
      opdName: OPD,
      note: 'Jalan sudah diaspal ulang.',
      confirmBy: new Date('2027-01-04T07:30:00Z'),
    });
    expect(text).toContain(`YA ${TICKET}`);
    expect(text).toContain(`TIDAK ${TICKET} <alasan>`);
    expect(text).toContain('4 Januari 2027 pukul 14.30 WIB');
    expect(text).toMatch(/tidak ada balasan.*tuntas/);
    expect(text).toContain('Jalan sudah diaspal ulang.');
    expectSafe(text);
  });

  it('resolved: the commands it shows are understood by the parser', () => {
    const text = citizenResolvedText({ ticketCode: TICKET, opdName: OPD, note: 'Selesai.', confirmBy: wib('2027-01-04T14:30') });
    const example = text.split('\n').find((line) => line.includes('Contoh: TIDAK'))!.replace(/^\s*Contoh:\s*/, '');
    expect(parseCitizenCommand(example)).toMatchObject({ ok: true, command: { type: 'dispute', ticketCode: TICKET } });
  });

  it('tuntas: automatic or confirmed, and the invitation to rate', () => {
    const automatic = citizenTuntasText({ ticketCode: TICKET, automatic: true });
    const confirmed = citizenTuntasText({ ticketCode: TICKET, automatic: false });
    for (const text of [automatic, confirmed]) {
      expect(text).toContain(TICKET);
      expect(text).toContain(`NILAI ${TICKET} <1-5>`);
      expect(parseCitizenCommand(`NILAI ${TICKET} 5`)).not.toBeNull();
      expectSafe(text);
    }
    expect(automatic).toContain('tidak ada tanggapan');
    expect(confirmed).toContain('konfirmasi Bapak/Ibu');
    expect(automatic).not.toBe(confirmed);
  });

  it('rejected: who and why', () => {
    const text = citizenRejectedText({ ticketCode: TICKET, reason: 'Jalan nasional, bukan kewenangan kabupaten.', byRole: 'Kepala OPD' });
    expect(text).toContain(TICKET);
    expect(text).toContain('Jalan nasional, bukan kewenangan kabupaten.');
    expect(text).toContain('Kepala OPD');
    expectSafe(text);
  });

  it('rerouted, withdrawn, reopened', () => {
    const rerouted = citizenReroutedText({ ticketCode: TICKET, opdName: 'Dinas Kesehatan' });
    expect(rerouted).toContain('Dinas Kesehatan');
    const withdrawn = citizenWithdrawnText({ ticketCode: TICKET });
    expect(withdrawn).toContain('dibatalkan');
    const reopened = citizenReopenedText({ ticketCode: TICKET, level: 2 });
    expect(reopened).toContain('Kepala OPD');
    for (const text of [rerouted, withdrawn, reopened]) {
      expect(text).toContain(TICKET);
      expectSafe(text);
    }
  });

  it('milestone: percent, target date, and the last progress or its absence', () => {
    const withProgress = citizenMilestoneText({
      ticketCode: TICKET,
      percent: 50,
      targetDate: wib('2027-12-04T14:05'),
      lastProgress: 'Pengaspalan 40%.',
    });
    expect(withProgress).toContain('50%');
    expect(withProgress).toContain('4 Desember 2027');
    expect(withProgress).toContain('Pengaspalan 40%.');
    const without = citizenMilestoneText({ ticketCode: TICKET, percent: 0.9, targetDate: wib('2027-12-04T14:05') });
    expect(without).toContain('90%');
    expect(without).toContain('Belum ada laporan perkembangan');
    for (const text of [withProgress, without]) {
      expect(text).toContain(TICKET);
      expectSafe(text);
    }
  });

  it('rating thanks', () => {
    const text = citizenRatingThanksText({ ticketCode: TICKET, rating: 4 });
    expect(text).toContain(TICKET);
    expect(text).toContain('4 dari 5');
  });

  it('stays short and masks a NIK in long free text', () => {
    const texts = [
      citizenProgressText({ ticketCode: TICKET, opdName: OPD, note: LONG }),
      citizenResolvedText({ ticketCode: TICKET, opdName: OPD, note: LONG, confirmBy: wib('2027-01-04T14:30') }),
      citizenRejectedText({ ticketCode: TICKET, reason: LONG, byRole: LONG }),
      citizenMilestoneText({ ticketCode: TICKET, percent: 50, targetDate: wib('2027-12-04T14:05'), lastProgress: LONG }),
      citizenAcceptedText({ ticketCode: TICKET, opdName: LONG, difficulty: 'berat', targetDate: wib('2029-12-04T14:05') }),
    ];
    for (const text of texts) {
      expect(text).toContain(TICKET);
      expectSafe(text);
    }
  });

  it('masks a NIK typed with spaces', () => {
    const text = citizenProgressText({ ticketCode: TICKET, opdName: OPD, note: 'NIK 3513 0155 0890 0001 sudah dicek' });
    expect(text).not.toMatch(/3513\s0155/);
    expect(text).not.toContain('0155 0890');
  });
});

describe('texts to officials', () => {
  it('reminder to accept: deadline with time and the exact commands', () => {
    const text = officialReminderText({ ticketCode: TICKET, what: 'accept', dueAt: wib('2027-01-04T14:30'), opdName: OPD });
    expect(text).toContain(OPD);
    expect(text).toContain('4 Januari 2027 pukul 14.30 WIB');
    expect(text).toContain(`TERIMA ${TICKET} RINGAN|SEDANG|BERAT`);
    expect(text).toContain(`ALIHKAN ${TICKET} <kode OPD>`);
    expect(text).toContain(`TOLAK ${TICKET} <alasan>`);
    expect(text).toContain('RINGAN: target 1 tahun');
    expectSafe(text);
  });

  it('reminder for progress and target', () => {
    const progress = officialReminderText({ ticketCode: TICKET, what: 'progress', dueAt: wib('2027-02-03T09:00'), opdName: OPD });
    expect(progress).toContain(`PROGRES ${TICKET} <catatan>`);
    expect(progress).toContain('3 Februari 2027 pukul 09.00 WIB');
    expect(progress).not.toContain('TERIMA');
    const target = officialReminderText({ ticketCode: TICKET, what: 'target', dueAt: wib('2027-12-04T14:05'), opdName: OPD });
    expect(target).toContain(`SELESAI ${TICKET} <catatan>`);
    expect(target).toContain('4 Desember 2027');
    for (const text of [progress, target]) expectSafe(text);
  });

  it('escalation: what is late, since when, who was responsible, what to do', () => {
    const text = officialEscalationText({
      ticketCode: TICKET,
      level: 3,
      what: 'accept',
      dueAt: wib('2027-01-04T14:30'),
      lateSince: wib('2027-01-11T14:30'),
      responsibleRole: 'Kepala OPD',
      opdName: OPD,
      summary: 'Infrastruktur, Kec. Sumberasih: jalan berlubang di depan SDN.',
    });
    expect(text).toContain('TINGKAT 3');
    expect(text).toContain('Sekretaris Daerah');
    expect(text).toContain(OPD);
    expect(text).toContain('4 Januari 2027 pukul 14.30 WIB');
    expect(text).toContain('11 Januari 2027 pukul 14.30 WIB');
    expect(text).toContain('Kepala OPD');
    expect(text).toContain('jalan berlubang');
    expect(text).toContain(`TERIMA ${TICKET} RINGAN|SEDANG|BERAT`);
    expect(text).toContain(`INFO ${TICKET}`);
    expect(text).toContain('dieskalasi ke Bupati');
    expectSafe(text);
  });

  it('escalation at the top repeats instead of going up', () => {
    const text = officialEscalationText({
      ticketCode: TICKET,
      level: 4,
      what: 'progress',
      dueAt: wib('2027-02-03T09:00'),
      lateSince: wib('2027-02-03T09:00'),
      responsibleRole: 'Sekretaris Daerah',
      opdName: OPD,
      summary: LONG,
    });
    expect(text).toContain('Bupati');
    expect(text).toContain('Terlambat sejak batas waktu: 3 Februari 2027 pukul 09.00 WIB');
    expect(text).toContain('setiap 30 hari');
    expect(text).toContain(`PROGRES ${TICKET} <catatan>`);
    expect(text).not.toContain('TERIMA');
    expectSafe(text);
  });

  it('escalation without a summary leaves the section out', () => {
    const text = officialEscalationText({
      ticketCode: TICKET,
      level: 2,
      what: 'target',
      dueAt: wib('2027-12-04T14:05'),
      lateSince: wib('2027-12-04T14:05'),
      responsibleRole: 'Petugas OPD',
      opdName: OPD,
      summary: '  ',
    });
    expect(text).not.toContain('Ringkasan');
    expect(text).not.toMatch(/\n\n\n/);
    expect(text).toContain(`SELESAI ${TICKET} <catatan>`);
    expect(text).toContain('dieskalasi ke Sekretaris Daerah');
    expectSafe(text);
  });

  it('tells the OPD that the citizen withdrew', () => {
    const text = officialWithdrawnText({ ticketCode: TICKET });
    expect(text).toContain(TICKET);
    expect(text).toContain('tidak perlu ditindaklanjuti');
  });

  it('milestone warning and dispute', () => {
    const warning = officialMilestoneWarningText({ ticketCode: TICKET, percent: 90, targetDate: wib('2027-12-04T14:05'), opdName: OPD });
    expect(warning).toContain('90%');
    expect(warning).toContain('4 Desember 2027');
    expect(warning).toContain(`PROGRES ${TICKET}`);
    const dispute = officialDisputeText({ ticketCode: TICKET, reason: `Jalan masih berlubang. ${NIK}`, level: 2 });
    expect(dispute).toContain('Jalan masih berlubang.');
    expect(dispute).toContain('Kepala OPD');
    expect(dispute).toContain('Dalam pengerjaan');
    for (const text of [warning, dispute]) {
      expect(text).toContain(TICKET);
      expectSafe(text);
    }
  });

  it('help lists every command with an example the parser accepts', () => {
    const text = officialHelpText();
    for (const form of ['TERIMA <kode> RINGAN|SEDANG|BERAT', 'PROGRES <kode> <catatan>', 'SELESAI <kode> <catatan>', 'ALIHKAN <kode> <kode OPD>', 'TOLAK <kode> <alasan>', 'DAFTAR', 'INFO <kode>']) {
      expect(text).toContain(form);
    }
    const examples = text
      .split('\n')
      .filter((line) => line.trim().startsWith('Contoh:'))
      .map((line) => line.replace(/^\s*Contoh:\s*/, ''));
    expect(examples).toHaveLength(7);
    for (const example of examples) expect(parseOfficialCommand(example)).toMatchObject({ ok: true });
    expectSafe(text);
  });

  it('refusal carries the reason', () => {
    const result = parseOfficialCommand('TERIMA');
    const reason = result && !result.ok ? result.error : '';
    const text = officialRefusalText(reason);
    expect(text).toContain('Format: TERIMA <kode> RINGAN|SEDANG|BERAT');
    expectSafe(officialRefusalText(LONG));
  });

  it('acknowledges each action with the ticket code', () => {
    const accept = officialAckText('accept', TICKET, { difficulty: 'berat', targetDate: wib('2029-12-04T14:05') });
    expect(accept).toContain('Berat');
    expect(accept).toContain('4 Desember 2029');
    expect(officialAckText('resolve', TICKET, { confirmBy: wib('2027-01-04T14:30') })).toContain('4 Januari 2027 pukul 14.30 WIB');
    expect(officialAckText('reroute', TICKET, { opdName: 'Dinas Kesehatan' })).toContain('Dinas Kesehatan');
    for (const action of ['accept', 'progress', 'resolve', 'reroute', 'reject'] as const) {
      const text = officialAckText(action, TICKET);
      expect(text).toContain(TICKET);
      expectSafe(text);
    }
  });

  it('lists complaints with their next deadline', () => {
    const text = officialListText([
      { ticketCode: TICKET, status: 'routed', nextDeadline: wib('2027-01-04T14:30'), what: 'accept' },
      { ticketCode: 'LK-2026-000124', status: 'in_progress', nextDeadline: wib('2027-02-03T09:00'), what: 'progress' },
      { ticketCode: 'LK-2026-000125', status: 'resolved' },
    ]);
    expect(text).toContain('(3)');
    expect(text).toContain(`1. ${TICKET} — Diteruskan ke OPD`);
    expect(text).toContain('Batas penerimaan: 4 Januari 2027 pukul 14.30 WIB');
    expect(text).toContain('2. LK-2026-000124 — Dalam pengerjaan');
    expect(text).toContain('Laporan perkembangan berikutnya: 3 Februari 2027 pukul 09.00 WIB');
    expect(text).toContain('3. LK-2026-000125 — Selesai — menunggu konfirmasi pelapor');
    expect(text).toContain('INFO <kode>');
    expectSafe(text);
  });

  it('says when there is nothing to list, and cuts a long list', () => {
    expect(officialListText([])).toContain('Tidak ada laporan');
    const items = Array.from({ length: 60 }, (_, i) => ({
      ticketCode: `LK-2026-${String(i + 1).padStart(6, '0')}`,
      status: 'in_progress' as const,
      nextDeadline: wib('2027-02-03T09:00'),
      what: 'progress',
    }));
    const text = officialListText(items);
    expectSafe(text);
    expect(text).toContain('(60)');
    expect(text).toContain('LK-2026-000001');
    expect(text).not.toContain('LK-2026-000060');
    expect(text).toMatch(/… dan \d+ laporan lainnya\./);
    const shown = (text.match(/^\d+\. LK-/gm) ?? []).length;
    const rest = Number(/… dan (\d+) laporan lainnya/.exec(text)![1]);
    expect(shown + rest).toBe(60);
  });

  it('info: the complaint without the reporter', () => {
    const text = officialInfoText({
      ticketCode: TICKET,
      status: 'in_progress',
      kind: 'aduan',
      category: 'infrastruktur',
      description: `Jalan berlubang di depan SDN Sumberasih 1. NIK saya ${NIK}`,
      kecamatan: 'Sumberasih',
      opdName: OPD,
      level: 2,
      targetDate: wib('2028-12-04T14:05'),
      submittedAt: new Date('2026-12-04T07:05:00Z'),
    });
    expect(text).toContain(TICKET);
    expect(text).toContain('Dalam pengerjaan');
    expect(text).toContain('Aduan');
    expect(text).toContain('Infrastruktur');
    expect(text).toContain('Sumberasih');
    expect(text).toContain('Kepala OPD');
    expect(text).toContain('4 Desember 2026 pukul 14.05 WIB');
    expect(text).toContain('Target penyelesaian: 4 Desember 2028');
    expect(text).toContain('Jalan berlubang di depan SDN Sumberasih 1.');
    expectSafe(text);
    expectSafe(
      officialInfoText({
        ticketCode: TICKET,
        status: 'routed',
        kind: 'usul',
        category: 'lainnya',
        description: LONG,
        opdName: LONG,
        level: 1,
        submittedAt: new Date('2026-12-04T07:05:00Z'),
      }),
    );
  });
});

describe('texts of admin actions', () => {
  it('a new difficulty: the new target date, to the citizen and to the OPD', () => {
    const target = wib('2029-12-04T14:05');
    const citizen = citizenDifficultyChangedText({ ticketCode: TICKET, opdName: OPD, difficulty: 'berat', targetDate: target });
    expect(citizen).toContain('Berat');
    expect(citizen).toContain('Target penyelesaian baru: 4 Desember 2029');
    expect(citizen).toContain(OPD);
    expect(citizen).toContain('Admin LAPOR KAND4');
    const official = officialDifficultyChangedText({ ticketCode: TICKET, opdName: OPD, difficulty: 'ringan', targetDate: target });
    expect(official).toContain('Ringan');
    expect(official).toContain('4 Desember 2029');
    expect(official).toContain(`PROGRES ${TICKET}`);
    for (const text of [citizen, official]) {
      expect(text).toContain(TICKET);
      expectSafe(text);
    }
    expectSafe(citizenDifficultyChangedText({ ticketCode: TICKET, opdName: LONG, difficulty: 'sedang', targetDate: target }));
  });

  it('a message from the admin: labelled, line breaks kept, NIK masked, shortened to fit', () => {
    const text = citizenAdminMessageText({ ticketCode: TICKET, text: `Mohon kirim foto terbaru.\nNIK ${NIK} tidak perlu dikirim.` });
    expect(text).toMatch(/^\*Pesan dari Admin LAPOR KAND4 — laporan LK-2026-000123\*/);
    expect(text).toContain('Mohon kirim foto terbaru.\nNIK 3513********0001 tidak perlu dikirim.');
    expectSafe(text);
    const long = citizenAdminMessageText({ ticketCode: TICKET, text: 'x '.repeat(1000) });
    expect(long).toContain('…');
    expectSafe(long);
  });

  it('an escalation by the admin: who did it, why, the new level and what to do', () => {
    const routed = officialAdminEscalationText({ ticketCode: TICKET, level: 2, fromLevel: 1, opdName: OPD, status: 'routed', reason: `Jalan rawan kecelakaan. ${NIK}` });
    expect(routed).toContain('ESKALASI TINGKAT 2 — Kepala OPD');
    expect(routed).toContain('Admin LAPOR KAND4 mengeskalasi laporan');
    expect(routed).toContain('Alasan: Jalan rawan kecelakaan.');
    expect(routed).toContain('Penanggung jawab sebelumnya: Petugas OPD');
    expect(routed).toContain(`TERIMA ${TICKET}`);
    expect(routed).toContain('dieskalasi ke Sekretaris Daerah');
    const top = officialAdminEscalationText({ ticketCode: TICKET, level: 4, fromLevel: 3, opdName: OPD, status: 'in_progress' });
    expect(top).toContain('Bupati');
    expect(top).toContain('Alasan: tidak disebutkan');
    expect(top).toContain(`PROGRES ${TICKET}`);
    expect(top).not.toContain('dieskalasi ke');
    expect(top.endsWith('\n')).toBe(false);
    for (const text of [routed, top, officialAdminEscalationText({ ticketCode: TICKET, level: 3, fromLevel: 2, opdName: LONG, status: 'accepted', reason: LONG })]) {
      expect(text).toContain(TICKET);
      expectSafe(text);
    }
  });

  it('a reopening by the admin: the officials hear why, the citizen that it goes on one level up', () => {
    const official = officialReopenedByAdminText({ ticketCode: TICKET, reason: 'Verifikasi lapangan: lubang masih ada.', level: 3 });
    expect(official).toContain('Admin LAPOR KAND4 membuka kembali');
    expect(official).toContain('Verifikasi lapangan: lubang masih ada.');
    expect(official).toContain('Sekretaris Daerah');
    expect(official).toContain(`SELESAI ${TICKET}`);
    const citizen = citizenReopenedByAdminText({ ticketCode: TICKET, level: 2 });
    expect(citizen).toContain('dibuka kembali');
    expect(citizen).toContain('Kepala OPD');
    expect(citizen).not.toContain('tanggapan Bapak/Ibu');
    for (const text of [official, citizen, officialReopenedByAdminText({ ticketCode: TICKET, reason: LONG, level: 2 })]) {
      expect(text).toContain(TICKET);
      expectSafe(text);
    }
  });
});
