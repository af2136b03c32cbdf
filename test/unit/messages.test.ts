import { describe, it, expect } from 'vitest';
import {
  cancelledText,
  categoryLabel,
  categoryNotRecognisedText,
  formatDateWib,
  helpText,
  idleTimeoutText,
  kindLabel,
  mediaFailedText,
  mediaRejectedText,
  mediaTooLargeText,
  nikErrorText,
  nothingToCancelText,
  officialNewComplaintText,
  questionFor,
  receiptText,
  statusLabel,
  statusMissingCodeText,
  statusNotFoundText,
  statusText,
  welcomeText,
} from '../../domain/messages';
import { validateNik } from '../../domain/nik';
import { CATEGORIES, REPORT_FIELDS, REPORT_KINDS, emptyDraft, type ReportDraft } from '../../domain/report';

const NIK = '3513015508900001';
const TICKET = 'LK-2026-000123';
/** Twilio rejects WhatsApp bodies longer than this. */
const WHATSAPP_MAX_CHARS = 1600;

function sitiDraft(overrides: Partial<ReportDraft> = {}): ReportDraft {
  return {
    kind: 'aduan',
    kindGiven: true,
    name: 'Siti Aminah',
    address: 'Dusun Krajan RT 02 RW 03, Desa Sumberasih, Kec. Sumberasih',
    nik: NIK,
    outsideRegency: false,
    category: 'infrastruktur',
    categoryInferred: false,
    description: 'Jalan di depan SDN Sumberasih 1 berlubang dan membahayakan anak sekolah.',
    kecamatan: 'Sumberasih',
    evidence: [{ mediaId: 'ME1', contentType: 'image/jpeg', sizeBytes: 204_800 }],
    ...overrides,
  };
}

function expectNoNik(text: string, nik = NIK): void {
  expect(text).not.toContain(nik);
  expect(text).not.toMatch(/\d{16}/);
  // The middle of the NIK (district + birth date) must never show either.
  expect(text).not.toContain(nik.slice(4, 12));
}

describe('formatDateWib', () => {
  it('formats in WIB (UTC+7) with an Indonesian month', () => {
    expect(formatDateWib(new Date('2026-12-04T07:05:00Z'))).toBe('4 Desember 2026 pukul 14.05 WIB');
  });

  it('pads hours and minutes', () => {
    expect(formatDateWib(new Date('2026-03-01T02:09:00Z'))).toBe('1 Maret 2026 pukul 09.09 WIB');
  });

  it('moves to the next day (and year) after 17.00 UTC', () => {
    expect(formatDateWib(new Date('2026-12-31T17:30:00Z'))).toBe('1 Januari 2027 pukul 00.30 WIB');
  });

  it('is the same instant regardless of the offset the date was written with', () => {
    expect(formatDateWib(new Date('2026-08-17T10:00:00+07:00'))).toBe('17 Agustus 2026 pukul 10.00 WIB');
  });

  it('handles 29 February', () => {
    expect(formatDateWib(new Date('2028-02-29T16:59:00Z'))).toBe('29 Februari 2028 pukul 23.59 WIB');
  });

  it.each([
    [0, 'Januari'], [1, 'Februari'], [2, 'Maret'], [3, 'April'], [4, 'Mei'], [5, 'Juni'],
    [6, 'Juli'], [7, 'Agustus'], [8, 'September'], [9, 'Oktober'], [10, 'November'], [11, 'Desember'],
  ])('month %i is %s', (month, name) => {
    expect(formatDateWib(new Date(Date.UTC(2026, month, 15, 5, 0)))).toBe(`15 ${name} 2026 pukul 12.00 WIB`);
  });
});

describe('labels', () => {
  it.each([
    ['pendidikan', 'Pendidikan'],
    ['kesehatan', 'Kesehatan'],
    ['infrastruktur', 'Infrastruktur'],
    ['layanan_publik', 'Layanan Publik'],
    ['lainnya', 'Lainnya'],
  ] as const)('category %s → %s', (category, label) => {
    expect(categoryLabel(category)).toBe(label);
  });

  it.each([
    ['aduan', 'Aduan'],
    ['usul', 'Usul'],
    ['saran', 'Saran'],
    ['nasihat', 'Nasihat'],
  ] as const)('kind %s → %s', (kind, label) => {
    expect(kindLabel(kind)).toBe(label);
  });

  it('labels statuses', () => {
    expect(statusLabel('received')).toBe('Diterima');
    expect(statusLabel('routed')).toBe('Diteruskan ke OPD');
  });
});

describe('helpText and welcomeText', () => {
  const help = helpText();

  it('names the service and its meaning', () => {
    expect(help).toContain('LAPOR KAND4 Kabupaten Probolinggo');
    expect(help).toContain('Kelola Aduan Nasehat Ditindaklanjuti Agar tuntas');
    expect(help).toContain('24 jam');
  });

  it('shows the report format', () => {
    for (const label of ['Nama:', 'Alamat:', 'NIK:', 'Kategori:', 'Aduan:', 'Lokasi:']) expect(help).toContain(label);
    for (const kind of ['Usul', 'Saran', 'Nasihat']) expect(help).toContain(kind);
    for (const category of CATEGORIES) expect(help).toContain(categoryLabel(category));
    expect(help).toMatch(/foto atau video/);
    expect(help).toMatch(/wajib/);
  });

  it('lists the commands', () => {
    expect(help).toContain('STATUS');
    expect(help).toContain('MENU');
    expect(help).toContain('BANTUAN');
    expect(help).toContain('BATAL');
  });

  it('has an example that the parser understands, without a real NIK', () => {
    expect(help).toContain('Nama: Siti Aminah');
    expect(help).not.toMatch(/\d{16}/);
  });

  it('fits in one WhatsApp message', () => {
    expect(help.length).toBeLessThanOrEqual(WHATSAPP_MAX_CHARS);
    expect(welcomeText().length).toBeLessThanOrEqual(WHATSAPP_MAX_CHARS);
  });

  it('welcomes, then explains', () => {
    const welcome = welcomeText();
    expect(welcome).toMatch(/^Selamat datang di LAPOR KAND4 Kabupaten Probolinggo/);
    expect(welcome).toContain(help);
  });
});

describe('questionFor', () => {
  it('asks a different question for each field', () => {
    const questions = REPORT_FIELDS.map((field) => questionFor(field, emptyDraft()));
    expect(new Set(questions).size).toBe(REPORT_FIELDS.length);
    for (const question of questions) expect(question.length).toBeGreaterThan(20);
  });

  it('asks for the name, address and NIK plainly', () => {
    expect(questionFor('name', emptyDraft())).toMatch(/nama lengkap/);
    expect(questionFor('address', emptyDraft())).toMatch(/alamat lengkap/);
    expect(questionFor('nik', emptyDraft())).toMatch(/NIK.*16 angka/);
  });

  it('lists the five categories, numbered', () => {
    const question = questionFor('category', emptyDraft());
    expect(question).toContain('1. Pendidikan');
    expect(question).toContain('2. Kesehatan');
    expect(question).toContain('3. Infrastruktur');
    expect(question).toContain('4. Layanan Publik');
    expect(question).toContain('5. Lainnya');
  });

  it('explains why a photo or video is required for an aduan', () => {
    const question = questionFor('evidence', emptyDraft());
    expect(question).toMatch(/foto atau video/);
    expect(question).toMatch(/wajib/);
    expect(question).toMatch(/hoaks/);
  });

  it('names the kind of report when asking for its content', () => {
    expect(questionFor('description', { ...emptyDraft(), kind: 'usul' })).toMatch(/isi usul/);
    expect(questionFor('description', emptyDraft())).toMatch(/isi aduan/);
  });
});

describe('problem texts', () => {
  it('wraps the NIK problem and asks to resend', () => {
    const result = validateNik('351301550890000');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const text = nikErrorText(result.message);
    expect(text).toContain('NIK harus 16 angka, yang Anda kirim 15 angka.');
    expect(text).toMatch(/kirim ulang/);
    expect(text).not.toContain('351301550890000');
  });

  it('offers the category list again', () => {
    const text = categoryNotRecognisedText();
    expect(text).toMatch(/tidak kami kenali/);
    expect(text).toContain('4. Layanan Publik');
  });

  it.each([
    ['audio/ogg', 'pesan suara'],
    ['application/pdf', 'dokumen'],
    ['text/vcard', 'dokumen'],
    ['application/zip', 'berkas'],
  ])('rejects %s as evidence, naming it generally (%s)', (contentType, word) => {
    const text = mediaRejectedText(contentType);
    expect(text).toContain(word);
    expect(text).toMatch(/foto atau video/);
    expect(text).not.toContain(contentType);
  });

  it('does not echo a strange content type', () => {
    const text = mediaRejectedText('application/x-<script>alert(1)</script>');
    expect(text).not.toContain('script');
    expect(text).not.toContain('x-');
    expect(text).toContain('berkas');
  });

  it('states the size limit', () => {
    expect(mediaTooLargeText(16)).toContain('16 MB');
    expect(mediaTooLargeText(2.5)).toContain('2,5 MB');
  });

  it('asks to resend a file that could not be downloaded', () => {
    expect(mediaFailedText()).toMatch(/kirim ulang/);
  });
});

describe('receiptText', () => {
  it('gives the ticket code, a summary and what happens next', () => {
    const text = receiptText({ ticketCode: TICKET, draft: sitiDraft() });
    expect(text).toContain(`*${TICKET}*`);
    expect(text).toContain(`STATUS ${TICKET}`);
    expect(text).toContain('Siti Aminah');
    expect(text).toContain('Jenis: Aduan');
    expect(text).toContain('Kategori: Infrastruktur');
    expect(text).not.toContain('(otomatis)');
    expect(text).toContain('Kecamatan: Sumberasih');
    expect(text).toContain('Jalan di depan SDN Sumberasih 1 berlubang dan membahayakan anak sekolah.');
    expect(text).toContain('1 foto/video');
    expect(text).toMatch(/OPD/);
    expect(text).toMatch(/1, 2, atau 3 tahun/);
    expect(text).toMatch(/WhatsApp/);
  });

  it('never shows the NIK or the address', () => {
    const text = receiptText({ ticketCode: TICKET, draft: sitiDraft() });
    expectNoNik(text);
    expect(text).not.toContain('Krajan');
    expect(text).not.toContain('RT 02');
    expect(text).not.toMatch(/Alamat/i);
  });

  it('addresses a woman (from the NIK) as Ibu', () => {
    expect(receiptText({ ticketCode: TICKET, draft: sitiDraft() })).toMatch(/^Terima kasih, Ibu Siti Aminah\./);
    const man = sitiDraft({ name: 'Budi Santoso', nik: '3513011508900001' });
    expect(receiptText({ ticketCode: TICKET, draft: man })).toMatch(/^Terima kasih, Bapak Budi Santoso\./);
  });

  it('marks an inferred category', () => {
    const text = receiptText({ ticketCode: TICKET, draft: sitiDraft({ categoryInferred: true }) });
    expect(text).toContain('Kategori: Infrastruktur (otomatis)');
  });

  it('shortens a long description to about 120 characters', () => {
    const long = `Jalan penghubung antara Desa Sumberasih dan Desa Banjarsari ${'rusak parah dan berlubang '.repeat(20)}`;
    const text = receiptText({ ticketCode: TICKET, draft: sitiDraft({ description: long }) });
    const line = text.split('\n').find((l) => l.startsWith('• Isi: '))!;
    const summary = line.slice('• Isi: '.length);
    expect(summary.endsWith('…')).toBe(true);
    expect(summary.length).toBeLessThanOrEqual(121);
    expect(summary.length).toBeGreaterThan(80);
    expect(long.startsWith(summary.slice(0, -1))).toBe(true);
  });

  it('puts a multi-line description on one line', () => {
    const text = receiptText({ ticketCode: TICKET, draft: sitiDraft({ description: 'Lampu mati\nsudah seminggu' }) });
    expect(text).toContain('• Isi: Lampu mati sudah seminggu');
  });

  it('masks a NIK the citizen typed into the description', () => {
    const draft = sitiDraft({ description: 'KTP saya 3513 0155 0890 0001 belum jadi' });
    const text = receiptText({ ticketCode: TICKET, draft });
    expectNoNik(text);
    expect(text).toContain('3513********0001');
  });

  it('counts the evidence files', () => {
    const evidence = [1, 2, 3].map((i) => ({ mediaId: `ME${i}`, contentType: 'image/jpeg', sizeBytes: 1000 }));
    expect(receiptText({ ticketCode: TICKET, draft: sitiDraft({ evidence }) })).toContain('3 foto/video');
    expect(receiptText({ ticketCode: TICKET, draft: sitiDraft({ kind: 'saran', evidence: [] }) })).toContain(
      'Bukti: tidak ada',
    );
  });

  it('names the kind for a usul', () => {
    const text = receiptText({ ticketCode: TICKET, draft: sitiDraft({ kind: 'usul' }) });
    expect(text).toContain('Usul Anda sudah kami terima');
    expect(text).toContain('Jenis: Usul');
  });

  it('leaves out an unknown kecamatan', () => {
    expect(receiptText({ ticketCode: TICKET, draft: sitiDraft({ kecamatan: undefined }) })).not.toContain('Kecamatan');
  });

  it('notes politely when the NIK is from outside Kabupaten Probolinggo', () => {
    const outside = sitiDraft({ nik: '3574015508900001', outsideRegency: true });
    const text = receiptText({ ticketCode: TICKET, draft: outside });
    expect(text).toMatch(/di luar Kabupaten Probolinggo/);
    expect(text).toMatch(/tetap kami terima/);
    expectNoNik(text, '3574015508900001');
    expect(receiptText({ ticketCode: TICKET, draft: sitiDraft() })).not.toMatch(/di luar Kabupaten/);
  });

  it('fits in one WhatsApp message even with a long description', () => {
    const draft = sitiDraft({ description: 'x'.repeat(5000), name: 'A'.repeat(100) });
    expect(receiptText({ ticketCode: TICKET, draft }).length).toBeLessThanOrEqual(WHATSAPP_MAX_CHARS);
  });
});

describe('status texts', () => {
  const submittedAt = new Date('2026-12-04T07:05:00Z');

  it('shows a routed report', () => {
    const text = statusText({ ticketCode: TICKET, status: 'routed', opdName: 'Dinas PUPR', submittedAt });
    expect(text).toContain(TICKET);
    expect(text).toContain('Diteruskan ke OPD');
    expect(text).toContain('4 Desember 2026 pukul 14.05 WIB');
    expect(text).toContain('Dinas PUPR');
  });

  it('shows a received report without an OPD', () => {
    const text = statusText({ ticketCode: TICKET, status: 'received', submittedAt });
    expect(text).toContain('Status: Diterima');
    expect(text).not.toContain('Ditangani oleh');
  });

  it('says the same neutral thing whether a code is unknown or someone else’s', () => {
    const text = statusNotFoundText(TICKET);
    expect(text).toContain(TICKET);
    expect(text).toMatch(/tidak kami temukan/);
    expect(text).not.toMatch(/milik|orang lain|tidak berhak|tidak ada di sistem/);
    expect(statusNotFoundText('LK-2026-000124')).toBe(text.replace(TICKET, 'LK-2026-000124'));
  });

  it('asks for the missing code with an example', () => {
    expect(statusMissingCodeText()).toMatch(/STATUS LK-\d{4}-\d{6}/);
  });
});

describe('ending a half-done report', () => {
  it('explains the 24-hour timeout', () => {
    const text = idleTimeoutText();
    expect(text).toMatch(/24 jam/);
    expect(text).toMatch(/tidak kami simpan/);
    expect(text).toMatch(/kapan saja/);
  });

  it('confirms a cancellation', () => {
    expect(cancelledText()).toMatch(/dibatalkan/);
    expect(nothingToCancelText()).toMatch(/tidak ada laporan/);
    expect(cancelledText()).not.toBe(nothingToCancelText());
  });
});

describe('officialNewComplaintText', () => {
  const notice = {
    ticketCode: TICKET,
    kind: 'aduan' as const,
    category: 'infrastruktur' as const,
    description: 'Jalan di depan SDN Sumberasih 1 berlubang.\nSudah 2 tahun.',
    kecamatan: 'Sumberasih',
    opdName: 'Dinas Pekerjaan Umum dan Penataan Ruang',
  };

  it('tells the OPD what, where and which ticket', () => {
    const text = officialNewComplaintText(notice);
    expect(text).toContain(TICKET);
    expect(text).toContain('Dinas Pekerjaan Umum dan Penataan Ruang');
    expect(text).toContain('Aduan');
    expect(text).toContain('Infrastruktur');
    expect(text).toContain('Kecamatan: Sumberasih');
    expect(text).toContain('Jalan di depan SDN Sumberasih 1 berlubang.\nSudah 2 tahun.');
  });

  it('carries no NIK, phone number or address, even if typed into the description', () => {
    const text = officialNewComplaintText({
      ...notice,
      description: 'Saya Siti, NIK 3513015508900001, jalan rusak',
    });
    expectNoNik(text);
    expect(text).not.toMatch(/\+?62\d{8,}|08\d{8,}/);
    expect(text).not.toMatch(/Alamat|NIK:/);
  });

  it('leaves out an unknown kecamatan', () => {
    expect(officialNewComplaintText({ ...notice, kecamatan: undefined })).not.toContain('Kecamatan');
  });

  it('fits in one WhatsApp message', () => {
    const text = officialNewComplaintText({ ...notice, description: 'kata '.repeat(1000) });
    expect(text.length).toBeLessThanOrEqual(WHATSAPP_MAX_CHARS);
  });
});

describe('every citizen text', () => {
  const texts = [
    helpText(),
    welcomeText(),
    ...REPORT_FIELDS.map((field) => questionFor(field, emptyDraft())),
    ...REPORT_KINDS.map((kind) => questionFor('description', { ...emptyDraft(), kind })),
    categoryNotRecognisedText(),
    mediaRejectedText('audio/ogg'),
    mediaTooLargeText(16),
    mediaFailedText(),
    receiptText({ ticketCode: TICKET, draft: sitiDraft() }),
    statusText({ ticketCode: TICKET, status: 'routed', submittedAt: new Date(0) }),
    statusNotFoundText(TICKET),
    statusMissingCodeText(),
    idleTimeoutText(),
    cancelledText(),
    nothingToCancelText(),
  ];

  it.each(texts.map((text, i) => [i, text]))('text %i is polite, short enough and NIK-free', (_, text) => {
    expect(text.length).toBeGreaterThan(0);
    expect(text.length).toBeLessThanOrEqual(WHATSAPP_MAX_CHARS);
    expectNoNik(text);
    expect(text).not.toMatch(/undefined|null|NaN|\[object/);
  });
});
