import { describe, it, expect } from 'vitest';
import {
  normaliseTicketCode,
  parseCitizenCommand,
  parseOfficialCommand,
  type CitizenCommand,
  type CommandParse,
  type OfficialCommand,
} from '../../domain/commands';

const TICKET = 'LK-2026-000123';

function expectError<T>(result: CommandParse<T>, ...fragments: string[]): string {
  expect(result).not.toBeNull();
  expect(result?.ok).toBe(false);
  const error = result && !result.ok ? result.error : '';
  for (const fragment of fragments) expect(error).toContain(fragment);
  // Errors never repeat a NIK-like number that was sent.
  expect(error).not.toMatch(/\d{16}/);
  return error;
}

describe('normaliseTicketCode', () => {
  it.each([
    ['LK-2026-000123', TICKET],
    ['lk-2026-000123', TICKET],
    ['lk 2026 000123', TICKET],
    ['LK2026000123', TICKET],
    ['lk 2026 123', TICKET],
    ['LK.2026.000123', TICKET],
    ['Lk-2026/000123', TICKET],
    ['*LK-2026-000123*', TICKET],
    ['2026-000123', TICKET],
    ['LK-2026-000123.', TICKET],
  ])('reads %j', (text, expected) => {
    expect(normaliseTicketCode(text)).toBe(expected);
  });

  it.each(['', 'LK-2026', 'LK-2026-0001234', 'LK-2026-000000', '2026-123', 'LK-2026-000123 RINGAN', 'KL-2026-000123'])(
    'refuses %j',
    (text) => {
      expect(normaliseTicketCode(text)).toBeNull();
    },
  );
});

describe('parseOfficialCommand: valid commands', () => {
  it.each<[string, OfficialCommand]>([
    [`TERIMA ${TICKET} RINGAN`, { type: 'accept', ticketCode: TICKET, difficulty: 'ringan' }],
    ['terima lk 2026 000123 sedang', { type: 'accept', ticketCode: TICKET, difficulty: 'sedang' }],
    ['  Terima:   LK2026000123   BERAT.  ', { type: 'accept', ticketCode: TICKET, difficulty: 'berat' }],
    [`*TERIMA* ${TICKET} 2`, { type: 'accept', ticketCode: TICKET, difficulty: 'sedang' }],
    [`TERIMA, ${TICKET}, berat, segera kami tindak lanjuti`, { type: 'accept', ticketCode: TICKET, difficulty: 'berat' }],
    [`terima ${TICKET} 3 tahun`, { type: 'accept', ticketCode: TICKET, difficulty: 'berat' }],
    [`TERIMA_${TICKET}_RINGAN`, { type: 'accept', ticketCode: TICKET, difficulty: 'ringan' }],
    [
      `PROGRES ${TICKET} Pengaspalan sudah 40%`,
      { type: 'progress', ticketCode: TICKET, note: 'Pengaspalan sudah 40%' },
    ],
    [
      `progress lk-2026-123: Material sudah dikirim.\nPengerjaan mulai Senin.`,
      { type: 'progress', ticketCode: TICKET, note: 'Material sudah dikirim.\nPengerjaan mulai Senin.' },
    ],
    [
      `SELESAI ${TICKET}   Jalan sudah diaspal ulang oleh Dinas PUPR.  `,
      { type: 'resolve', ticketCode: TICKET, note: 'Jalan sudah diaspal ulang oleh Dinas PUPR.' },
    ],
    [`ALIHKAN ${TICKET} dinkes`, { type: 'reroute', ticketCode: TICKET, opdCode: 'DINKES' }],
    [`alihkan lk 2026 000123 dpupr.`, { type: 'reroute', ticketCode: TICKET, opdCode: 'DPUPR' }],
    [`ALIHKAN ${TICKET} Dinas-Kesehatan karena soal puskesmas`, { type: 'reroute', ticketCode: TICKET, opdCode: 'DINAS-KESEHATAN' }],
    [
      `TOLAK ${TICKET} Jalan nasional, bukan kewenangan Kabupaten.`,
      { type: 'reject', ticketCode: TICKET, reason: 'Jalan nasional, bukan kewenangan Kabupaten.' },
    ],
    ['DAFTAR', { type: 'list' }],
    ['daftar.', { type: 'list' }],
    ['  Daftar laporan ', { type: 'list' }],
    [`INFO ${TICKET}`, { type: 'info', ticketCode: TICKET }],
    ['info: lk2026000123', { type: 'info', ticketCode: TICKET }],
  ])('%j', (text, command) => {
    expect(parseOfficialCommand(text)).toEqual({ ok: true, command });
  });

  it('keeps the case and line breaks of a note', () => {
    const result = parseOfficialCommand(`SELESAI ${TICKET}\nTahap 1: Pengurukan SELESAI\nTahap 2: Pengaspalan`);
    expect(result).toEqual({
      ok: true,
      command: { type: 'resolve', ticketCode: TICKET, note: 'Tahap 1: Pengurukan SELESAI\nTahap 2: Pengaspalan' },
    });
  });
});

describe('parseOfficialCommand: malformed commands', () => {
  it('asks for the code', () => {
    expectError(parseOfficialCommand('TERIMA'), 'kode laporan belum disertakan', 'Format: TERIMA <kode> RINGAN|SEDANG|BERAT');
    expectError(parseOfficialCommand('PROGRES'), 'Format: PROGRES <kode> <catatan>');
    expectError(parseOfficialCommand('selesai'), 'Format: SELESAI <kode> <catatan>');
    expectError(parseOfficialCommand('ALIHKAN'), 'Format: ALIHKAN <kode> <kode OPD>');
    expectError(parseOfficialCommand('tolak'), 'Format: TOLAK <kode> <alasan>');
    expectError(parseOfficialCommand('INFO'), 'Format: INFO <kode>');
  });

  it('says when the code is not a ticket code', () => {
    expectError(parseOfficialCommand('TERIMA RINGAN'), 'kode laporan tidak dikenali', 'LK-2026-000123', 'Format: TERIMA');
    expectError(parseOfficialCommand('TERIMA LK-2026 ringan'), 'tidak dikenali');
    expectError(parseOfficialCommand('INFO LK-2026-000000'), 'tidak dikenali', 'Format: INFO <kode>');
  });

  it('does not echo a NIK typed in place of the code', () => {
    const error = expectError(parseOfficialCommand('TERIMA 3513015508900001 RINGAN'), 'tidak dikenali');
    expect(error).not.toContain('3513015508900001');
  });

  it('asks for the difficulty', () => {
    expectError(parseOfficialCommand(`TERIMA ${TICKET}`), 'tingkat kesulitan belum disertakan', 'Format: TERIMA <kode> RINGAN|SEDANG|BERAT');
    expectError(parseOfficialCommand(`TERIMA ${TICKET} mudah`), 'RINGAN', 'SEDANG', 'BERAT', 'Format: TERIMA <kode> RINGAN|SEDANG|BERAT');
    expectError(parseOfficialCommand(`TERIMA ${TICKET} 4`), 'Format: TERIMA');
  });

  it('asks for the note, the OPD code or the reason', () => {
    expectError(parseOfficialCommand(`PROGRES ${TICKET}`), 'catatan perkembangan belum disertakan', 'Format: PROGRES <kode> <catatan>');
    expectError(parseOfficialCommand(`SELESAI ${TICKET} .`), 'catatan penyelesaian belum disertakan', 'Format: SELESAI <kode> <catatan>');
    expectError(parseOfficialCommand(`ALIHKAN ${TICKET}`), 'kode OPD', 'Format: ALIHKAN <kode> <kode OPD>');
    expectError(parseOfficialCommand(`TOLAK ${TICKET}:`), 'alasan penolakan', 'Format: TOLAK <kode> <alasan>');
  });

  it('gives an example with every error', () => {
    expectError(parseOfficialCommand('TOLAK'), `Contoh: TOLAK ${TICKET}`);
  });
});

describe('parseOfficialCommand: not a command', () => {
  it.each([
    'Terima kasih',
    'terima kasih pak, segera kami proses',
    'Terimakasih',
    'Selamat pagi',
    'Mohon maaf, laporan ini sedang kami cek',
    'STATUS LK-2026-000123',
    'YA LK-2026-000123',
    '',
    '   ',
    '123',
  ])('%j', (text) => {
    expect(parseOfficialCommand(text)).toBeNull();
  });
});

describe('parseCitizenCommand: valid commands', () => {
  it.each<[string, CitizenCommand]>([
    [`YA ${TICKET}`, { type: 'confirm', ticketCode: TICKET }],
    ['ya lk 2026 000123', { type: 'confirm', ticketCode: TICKET }],
    ['Iya, LK2026000123. Terima kasih', { type: 'confirm', ticketCode: TICKET }],
    [`YA_${TICKET}`, { type: 'confirm', ticketCode: TICKET }],
    [`*YA ${TICKET}*`, { type: 'confirm', ticketCode: TICKET }],
    [
      `TIDAK ${TICKET} Jalan masih berlubang di depan SDN.`,
      { type: 'dispute', ticketCode: TICKET, reason: 'Jalan masih berlubang di depan SDN.' },
    ],
    [
      'tidak lk-2026-000123:\nLampu masih mati.\nSudah 3 malam.',
      { type: 'dispute', ticketCode: TICKET, reason: 'Lampu masih mati.\nSudah 3 malam.' },
    ],
    [`NILAI ${TICKET} 5`, { type: 'rate', ticketCode: TICKET, rating: 5 }],
    ['nilai lk 2026 000123 1', { type: 'rate', ticketCode: TICKET, rating: 1 }],
    [`NILAI ${TICKET} 4/5`, { type: 'rate', ticketCode: TICKET, rating: 4 }],
    [`Nilai: ${TICKET} 3 dari 5, cukup baik`, { type: 'rate', ticketCode: TICKET, rating: 3 }],
    [`NILAI ${TICKET} 5.`, { type: 'rate', ticketCode: TICKET, rating: 5 }],
    [`NILAI ${TICKET} lima`, { type: 'rate', ticketCode: TICKET, rating: 5 }],
    [`NILAI ${TICKET} ⭐⭐⭐⭐`, { type: 'rate', ticketCode: TICKET, rating: 4 }],
    [`NILAI_${TICKET}_2`, { type: 'rate', ticketCode: TICKET, rating: 2 }],
    [`BATAL ${TICKET}`, { type: 'withdraw', ticketCode: TICKET }],
    ['batal lk2026000123', { type: 'withdraw', ticketCode: TICKET }],
    [`batalkan laporan ${TICKET}`, { type: 'withdraw', ticketCode: TICKET }],
  ])('%j', (text, command) => {
    expect(parseCitizenCommand(text)).toEqual({ ok: true, command });
  });
});

describe('parseCitizenCommand: malformed commands', () => {
  it('asks for the code after a bare YA, TIDAK or NILAI', () => {
    expectError(parseCitizenCommand('YA'), 'kode laporan belum disertakan', 'Format: YA <kode>', `Contoh: YA ${TICKET}`);
    expectError(parseCitizenCommand('ya.'), 'Format: YA <kode>');
    expectError(parseCitizenCommand('TIDAK'), 'Format: TIDAK <kode> <alasan>');
    expectError(parseCitizenCommand('nilai'), 'Format: NILAI <kode> <1-5>');
  });

  it('says when the code is not a ticket code', () => {
    expectError(parseCitizenCommand('YA LK-2026'), 'tidak dikenali', 'Format: YA <kode>');
    expectError(parseCitizenCommand('BATAL LK 2026 0000001234'), 'tidak dikenali', 'Format: BATAL <kode>');
    expectError(parseCitizenCommand('TIDAK 2026-12 jalan masih rusak'), 'tidak dikenali', 'Format: TIDAK <kode> <alasan>');
  });

  it('asks for the reason of a dispute', () => {
    expectError(parseCitizenCommand(`TIDAK ${TICKET}`), 'alasan', 'Format: TIDAK <kode> <alasan>');
    expectError(parseCitizenCommand(`tidak ${TICKET} !!`), 'Format: TIDAK <kode> <alasan>');
  });

  it('asks for a rating of 1 to 5', () => {
    expectError(parseCitizenCommand(`NILAI ${TICKET}`), 'nilai belum disertakan', 'Format: NILAI <kode> <1-5>');
    expectError(parseCitizenCommand(`NILAI ${TICKET} 6`), '1 sampai 5', 'Format: NILAI <kode> <1-5>');
    expectError(parseCitizenCommand(`NILAI ${TICKET} 0`), '1 sampai 5');
    expectError(parseCitizenCommand(`NILAI ${TICKET} 10`), '1 sampai 5');
    expectError(parseCitizenCommand(`NILAI ${TICKET} 4,5`), '1 sampai 5');
    expectError(parseCitizenCommand(`NILAI ${TICKET} bagus`), '1 sampai 5');
  });
});

describe('parseCitizenCommand: not a command', () => {
  it.each([
    'BATAL',
    'batal.',
    'Batal laporan',
    'batalkan',
    'Tidak ada lampu jalan di desa kami',
    'Ya Allah jalannya rusak parah',
    'Nilai rapor anak saya ditahan sekolah',
    'tidak tahu',
    'Terima kasih',
    'STATUS LK-2026-000123',
    `TERIMA ${TICKET} RINGAN`,
    'Nama: Siti Aminah',
    '',
  ])('%j', (text) => {
    expect(parseCitizenCommand(text)).toBeNull();
  });
});
