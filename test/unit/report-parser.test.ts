import { describe, it, expect } from 'vitest';
import {
  inferCategory,
  isGreeting,
  mergeIntoDraft,
  parseCategory,
  parseCommand,
  parseKind,
  parseReportText,
  tidyNameCase,
  withLocation,
  type ParsedReportText,
} from '../../domain/report-parser';
import { emptyDraft, nextMissingField, type ReportDraft } from '../../domain/report';

const CANONICAL = `Nama: Siti Aminah
Alamat: Dusun Krajan RT 02 RW 03, Desa Sumberasih, Kec. Sumberasih
NIK: 3513015508900001
Kategori: Infrastruktur
Aduan: Jalan di depan SDN Sumberasih 1 berlubang dan membahayakan anak sekolah.`;

const CANONICAL_PARSED: ParsedReportText = {
  labelled: true,
  name: 'Siti Aminah',
  address: 'Dusun Krajan RT 02 RW 03, Desa Sumberasih, Kec. Sumberasih',
  nikRaw: '3513015508900001',
  category: 'infrastruktur',
  kind: 'aduan',
  description: 'Jalan di depan SDN Sumberasih 1 berlubang dan membahayakan anak sekolah.',
};

/** Deep-freezes a draft so a test fails if mergeIntoDraft mutates it. */
function frozen(draft: ReportDraft): ReportDraft {
  Object.freeze(draft.evidence);
  return Object.freeze(draft);
}

describe('parseReportText: whole reports', () => {
  it('reads the canonical example', () => {
    expect(parseReportText(CANONICAL)).toEqual(CANONICAL_PARSED);
  });

  it('reads the canonical example with Windows line endings', () => {
    expect(parseReportText(CANONICAL.replace(/\n/g, '\r\n'))).toEqual(CANONICAL_PARSED);
  });

  it('reads an all-caps report', () => {
    const parsed = parseReportText(`NAMA: SITI AMINAH
ALAMAT: DUSUN KRAJAN RT 02 RW 03, DESA SUMBERASIH, KEC. SUMBERASIH
NIK: 3513015508900001
KATEGORI: INFRASTRUKTUR
ADUAN: JALAN DI DEPAN SDN SUMBERASIH 1 BERLUBANG`);
    expect(parsed).toEqual({
      labelled: true,
      name: 'SITI AMINAH',
      address: 'DUSUN KRAJAN RT 02 RW 03, DESA SUMBERASIH, KEC. SUMBERASIH',
      nikRaw: '3513015508900001',
      category: 'infrastruktur',
      kind: 'aduan',
      description: 'JALAN DI DEPAN SDN SUMBERASIH 1 BERLUBANG',
    });
  });

  it('reads WhatsApp bold and italic markers', () => {
    const parsed = parseReportText(`*Nama:* Siti Aminah
*Alamat*: Dusun Krajan RT 02 RW 03, Desa Sumberasih, Kec. Sumberasih
_NIK_ : 3513015508900001
*Kategori :* _Infrastruktur_
*Aduan:* Jalan di depan SDN Sumberasih 1 berlubang dan membahayakan anak sekolah.`);
    expect(parsed).toEqual(CANONICAL_PARSED);
  });

  it('reads a report with extra blank lines', () => {
    const parsed = parseReportText(`\n\nNama: Siti Aminah\n\n\nAlamat: Dusun Krajan RT 02 RW 03, Desa Sumberasih, Kec. Sumberasih\n\nNIK: 3513015508900001\n\n\nKategori: Infrastruktur\n\nAduan: Jalan di depan SDN Sumberasih 1 berlubang dan membahayakan anak sekolah.\n\n`);
    expect(parsed).toEqual(CANONICAL_PARSED);
  });

  it('reads a numbered list with mixed separators', () => {
    const parsed = parseReportText(`1. Nama: Siti Aminah
2) Alamat - Dusun Krajan RT 02 RW 03, Desa Sumberasih, Kec. Sumberasih
3. No. KTP = 3513015508900001
4. Kategori – Infrastruktur
5. Aduan： Jalan di depan SDN Sumberasih 1 berlubang dan membahayakan anak sekolah.`);
    expect(parsed).toEqual(CANONICAL_PARSED);
  });

  it('reads bold numbered labels and bullets', () => {
    const parsed = parseReportText(`*1. NAMA :* SITI AMINAH
- Alamat: Desa Sumber
• NIK: 3513015508900001`);
    expect(parsed.name).toBe('SITI AMINAH');
    expect(parsed.address).toBe('Desa Sumber');
    expect(parsed.nikRaw).toBe('3513015508900001');
  });

  it('tolerates odd spacing around labels and separators', () => {
    const parsed = parseReportText(`Nama : siti aminah
   Alamat    :Desa Sumberasih
NIK  =  3513 0155 0890 0001
Kategori:infrastruktur
Aduan  :   jalan rusak   `);
    expect(parsed).toEqual({
      labelled: true,
      name: 'siti aminah',
      address: 'Desa Sumberasih',
      nikRaw: '3513 0155 0890 0001',
      category: 'infrastruktur',
      kind: 'aduan',
      description: 'jalan rusak',
    });
  });

  it('keeps a multi-line description, dropping blank lines and a closing "terima kasih"', () => {
    const parsed = parseReportText(`Nama: Siti Aminah
Aduan: Jalan di depan SDN Sumberasih 1 berlubang.
Sudah hampir 2 tahun tidak diperbaiki.

Kalau hujan lubangnya tergenang air dan anak-anak sering jatuh.
Terima kasih`);
    expect(parsed.description).toBe(
      'Jalan di depan SDN Sumberasih 1 berlubang.\nSudah hampir 2 tahun tidak diperbaiki.\nKalau hujan lubangnya tergenang air dan anak-anak sering jatuh.',
    );
  });

  it('reads a description that starts on the line after its label', () => {
    const parsed = parseReportText(`Nama:\nSiti Aminah\nAduan:\nLampu PJU mati\nsejak seminggu`);
    expect(parsed.name).toBe('Siti Aminah');
    expect(parsed.description).toBe('Lampu PJU mati\nsejak seminggu');
  });

  it('reads an "Usulan:" report', () => {
    const parsed = parseReportText(`Nama: Ahmad Fauzi
Alamat: Desa Alassumur Kulon, Kec. Besuk
NIK: 3513121204850003
Kategori: Infrastruktur
Usulan: Mohon dibangun lampu penerangan jalan di jalan desa menuju pasar.`);
    expect(parsed.kind).toBe('usul');
    expect(parsed.description).toBe('Mohon dibangun lampu penerangan jalan di jalan desa menuju pasar.');
    expect(parsed.category).toBe('infrastruktur');
  });

  it('ignores a greeting before the labels', () => {
    const parsed = parseReportText(`Assalamualaikum wr. wb.
Selamat pagi min

${CANONICAL}`);
    expect(parsed).toEqual(CANONICAL_PARSED);
  });

  it('ignores a lead-in line before the labels', () => {
    const parsed = parseReportText(`Halo min, berikut laporan saya:\n${CANONICAL}`);
    expect(parsed).toEqual(CANONICAL_PARSED);
  });

  it('reads lines in any order', () => {
    const parsed = parseReportText(`Aduan: Jalan di depan SDN Sumberasih 1 berlubang dan membahayakan anak sekolah.
Kategori: Infrastruktur
NIK: 3513015508900001
Nama: Siti Aminah
Alamat: Dusun Krajan RT 02 RW 03, Desa Sumberasih, Kec. Sumberasih`);
    expect(parsed).toEqual(CANONICAL_PARSED);
  });

  it('uses text before the labels as the description when no label gives one', () => {
    const parsed = parseReportText(`Selamat siang, jalan di Desa Sumberasih rusak parah
Nama: Siti Aminah
NIK: 3513015508900001`);
    expect(parsed.description).toBe('Selamat siang, jalan di Desa Sumberasih rusak parah');
    expect(parsed.name).toBe('Siti Aminah');
  });

  it('ignores text before the labels when a label gives the description', () => {
    const parsed = parseReportText(`Saya mau lapor pak\nNama: Siti\nAduan: Jalan rusak`);
    expect(parsed.description).toBe('Jalan rusak');
  });

  it('does not take a greeting-only preamble as the description', () => {
    const parsed = parseReportText(`Assalamualaikum\nNama: Siti Aminah`);
    expect(parsed.description).toBeUndefined();
  });

  it('reads a report with only some fields', () => {
    expect(parseReportText('Nama: Budi Santoso\nAlamat: Desa Wangkal, Kec. Gading')).toEqual({
      labelled: true,
      name: 'Budi Santoso',
      address: 'Desa Wangkal, Kec. Gading',
    });
  });

  it('lets a repeated label override the earlier one', () => {
    expect(parseReportText('Nama: Budi\nNama: Budi Santoso').name).toBe('Budi Santoso');
  });

  it('keeps the label of a second description part, and the first kind', () => {
    const parsed = parseReportText(`Aduan: Jalan rusak di Desa Tongas Wetan\nSaran: Segera diaspal sebelum musim hujan`);
    expect(parsed.kind).toBe('aduan');
    expect(parsed.description).toBe('Jalan rusak di Desa Tongas Wetan\nSaran: Segera diaspal sebelum musim hujan');
  });

  it('takes the kind from "Jenis:" over the description label', () => {
    const parsed = parseReportText('Jenis: Saran\nAduan: Perpanjang jam buka puskesmas');
    expect(parsed.kind).toBe('saran');
  });

  it('leaves an unrecognised "Jenis:" without a kind', () => {
    const parsed = parseReportText('Jenis: pertanyaan\nIsi: kapan bantuan cair?');
    expect(parsed.kind).toBeUndefined();
    expect(parsed.description).toBe('kapan bantuan cair?');
  });

  it('gathers location labels into one location text', () => {
    const parsed = parseReportText(`Lokasi: depan SDN Sumberasih 1
Desa: Sumberasih
Kec: Sumberasih`);
    expect(parsed.locationText).toBe('depan SDN Sumberasih 1, Desa Sumberasih, Kec. Sumberasih');
  });

  it('continues a location over several lines', () => {
    expect(parseReportText('Lokasi kejadian: jembatan\ndekat balai desa').locationText).toBe('jembatan\ndekat balai desa');
  });

  it('records an unrecognised category as text', () => {
    const parsed = parseReportText('Kategori: Pertanian\nAduan: pupuk langka');
    expect(parsed.category).toBeUndefined();
    expect(parsed.categoryText).toBe('Pertanian');
  });

  it('reads "NIK" followed by the number without a separator', () => {
    expect(parseReportText('Nama: Siti\nNIK 3513 0155 0890 0001').nikRaw).toBe('3513 0155 0890 0001');
  });

  it('does not split hyphenated words or times', () => {
    const parsed = parseReportText(`Kategori: lain-lain
Aduan: Banjir setiap hujan
Pukul 10.00 - 12.00 air masih tinggi
Jalan-jalan desa tergenang - parah`);
    expect(parsed.category).toBe('lainnya');
    expect(parsed.description).toBe(
      'Banjir setiap hujan\nPukul 10.00 - 12.00 air masih tinggi\nJalan-jalan desa tergenang - parah',
    );
  });

  it('reads a form-style address split over Desa/RT-RW/Kecamatan lines', () => {
    const parsed = parseReportText(`Nama: Siti Aminah
Alamat: Dusun Krajan
RT/RW: 02/03
Desa: Sumberasih
Kecamatan: Sumberasih
Lokasi: depan SDN Sumberasih 1
Kec: Sumberasih`);
    expect(parsed.address).toBe('Dusun Krajan, RT/RW 02/03, Desa Sumberasih, Kec. Sumberasih');
    expect(parsed.locationText).toBe('depan SDN Sumberasih 1, Kec. Sumberasih');
  });

  it('drops a phone number and other details that are not asked for', () => {
    const parsed = parseReportText(`Nama: Siti Aminah
No. HP/WA: 0812 3456 7890
NIK: 3513015508900001
E-mail: siti@example.com
Pekerjaan: petani
Aduan: Jalan berlubang`);
    expect(parsed).toEqual({
      labelled: true,
      name: 'Siti Aminah',
      nikRaw: '3513015508900001',
      kind: 'aduan',
      description: 'Jalan berlubang',
    });
  });

  it('keeps the time of the event with the description', () => {
    const parsed = parseReportText('Aduan: Ada pungli di kantor desa\nWaktu kejadian: Senin, 1 Desember 2026');
    expect(parsed.description).toBe('Ada pungli di kantor desa\nWaktu kejadian: Senin, 1 Desember 2026');
  });

  it('does not take the time of the event alone as the description', () => {
    const parsed = parseReportText('Lampu jalan mati\nTanggal kejadian: kemarin malam');
    expect(parsed.description).toBe('Lampu jalan mati\nTanggal kejadian: kemarin malam');
  });

  it('does not mistake a sentence with a colon for a label', () => {
    const parsed = parseReportText('Saya mau lapor: jalan rusak', 'description');
    expect(parsed).toEqual({ labelled: false, description: 'Saya mau lapor: jalan rusak' });
  });
});

describe('parseReportText: label variants', () => {
  it.each([
    ['Nama', 'name'],
    ['Nama Lengkap', 'name'],
    ['nama pelapor', 'name'],
    ['Alamat', 'address'],
    ['Alamat Lengkap', 'address'],
    ['ALAMAT PELAPOR', 'address'],
    ['Domisili', 'address'],
    ['NIK', 'nikRaw'],
    ['No NIK', 'nikRaw'],
    ['No. NIK', 'nikRaw'],
    ['Nomor NIK', 'nikRaw'],
    ['Nomor Induk Kependudukan', 'nikRaw'],
    ['No KTP', 'nikRaw'],
    ['No. KTP', 'nikRaw'],
    ['KTP', 'nikRaw'],
    ['Lokasi', 'locationText'],
    ['Lokasi Kejadian', 'locationText'],
    ['Tempat', 'locationText'],
    ['Tempat Kejadian', 'locationText'],
  ] as const)('"%s:" fills %s', (label, field) => {
    const parsed = parseReportText(`${label}: Sesuatu`);
    expect(parsed.labelled).toBe(true);
    expect(parsed[field]).toBe('Sesuatu');
  });

  it.each([
    ['Kecamatan', 'Kec. Gending'],
    ['Kec', 'Kec. Gending'],
    ['Kec.', 'Kec. Gending'],
    ['Desa', 'Desa Gending'],
    ['Ds.', 'Desa Gending'],
    ['Kel.', 'Desa Gending'],
    ['Kelurahan', 'Desa Gending'],
    ['Desa/Kelurahan', 'Desa Gending'],
    ['Desa / Kelurahan', 'Desa Gending'],
  ])('"%s:" is a location', (label, location) => {
    expect(parseReportText(`${label}: Gending`).locationText).toBe(location);
  });

  it.each([
    ['Kategori', 'kesehatan'],
    ['Bidang', 'kesehatan'],
    ['Kategori Aduan', 'kesehatan'],
  ])('"%s:" is the category', (label, category) => {
    expect(parseReportText(`${label}: Kesehatan`).category).toBe(category);
  });

  it.each([
    ['Jenis', 'nasihat'],
    ['Jenis Laporan', 'nasihat'],
  ])('"%s:" is the kind', (label, kind) => {
    expect(parseReportText(`${label}: Nasehat`).kind).toBe(kind);
  });

  it.each([
    ['Aduan', 'aduan'],
    ['Pengaduan', 'aduan'],
    ['Keluhan', 'aduan'],
    ['Usul', 'usul'],
    ['Usulan', 'usul'],
    ['Saran', 'saran'],
    ['Nasihat', 'nasihat'],
    ['Nasehat', 'nasihat'],
    ['Laporan', undefined],
    ['Isi', undefined],
    ['Isi Laporan', undefined],
    ['Isi Aduan', undefined],
    ['Uraian', undefined],
    ['Kronologi', undefined],
    ['Masukan', undefined],
    ['Aspirasi', undefined],
  ])('"%s:" is the description, kind %s', (label, kind) => {
    const parsed = parseReportText(`${label}: Lampu jalan mati`);
    expect(parsed.description).toBe('Lampu jalan mati');
    expect(parsed.kind).toBe(kind);
  });

  it.each([':', '：', '=', ' - ', ' – ', ' :', '  =  ', ' —'])('accepts the separator "%s"', (separator) => {
    expect(parseReportText(`Nama${separator} Siti Aminah`).name).toBe('Siti Aminah');
  });
});

describe('parseReportText: unlabelled answers', () => {
  it('takes the whole text as the expected field', () => {
    expect(parseReportText('  siti aminah ', 'name')).toEqual({ labelled: false, name: 'siti aminah' });
    expect(parseReportText('Desa Sumberasih, Kec. Sumberasih', 'address')).toEqual({
      labelled: false,
      address: 'Desa Sumberasih, Kec. Sumberasih',
    });
    expect(parseReportText('Jalan rusak parah', 'description')).toEqual({
      labelled: false,
      description: 'Jalan rusak parah',
    });
  });

  it('drops "nama saya" from an answered name', () => {
    expect(parseReportText('Nama saya Siti Aminah', 'name').name).toBe('Siti Aminah');
    expect(parseReportText('saya Budi', 'name').name).toBe('Budi');
  });

  it('takes a NIK, with or without spaces or words around it', () => {
    expect(parseReportText('3513 0155 0890 0001', 'nik').nikRaw).toBe('3513 0155 0890 0001');
    expect(parseReportText('NIK saya 3513015508900001 pak', 'nik').nikRaw).toBe('3513015508900001');
    // Two numbers: passed on whole, so validation reports what is wrong.
    expect(parseReportText('3513 atau 3574', 'nik').nikRaw).toBe('3513 atau 3574');
  });

  it('parses an answered category', () => {
    expect(parseReportText('3', 'category')).toEqual({ labelled: false, category: 'infrastruktur' });
    expect(parseReportText('pelayanan publik', 'category').category).toBe('layanan_publik');
    expect(parseReportText('Pertanian', 'category')).toEqual({ labelled: false, categoryText: 'Pertanian' });
  });

  it('takes nothing from text when a photo or video is expected', () => {
    expect(parseReportText('sebentar ya, fotonya menyusul', 'evidence')).toEqual({ labelled: false });
  });

  it('takes unexpected text as a description', () => {
    expect(parseReportText('Lampu PJU di Jl. Raya Dringu mati')).toEqual({
      labelled: false,
      description: 'Lampu PJU di Jl. Raya Dringu mati',
    });
  });

  it('takes nothing from a greeting or an emoji', () => {
    expect(parseReportText('Selamat pagi min')).toEqual({ labelled: false });
    expect(parseReportText('Halo', 'name')).toEqual({ labelled: false });
    expect(parseReportText('🙏🙏', 'description')).toEqual({ labelled: false });
    expect(parseReportText('   ')).toEqual({ labelled: false });
  });

  it('takes "Desa:"/"Kec:" lines as the address when the address was asked for', () => {
    const parsed = parseReportText('Desa: Sumberasih\nKec: Sumberasih', 'address');
    expect(parsed.address).toBe('Desa Sumberasih, Kec. Sumberasih');
  });

  it('still reads labels while a field is expected', () => {
    const parsed = parseReportText('Usulan: Tambah guru di SDN Tiris 2', 'description');
    expect(parsed).toEqual({ labelled: true, kind: 'usul', description: 'Tambah guru di SDN Tiris 2' });
  });
});

describe('parseCategory', () => {
  it.each([
    ['Pendidikan', 'pendidikan'],
    ['1', 'pendidikan'],
    ['pendidikan/sekolah', 'pendidikan'],
    ['Sekolah', 'pendidikan'],
    ['KESEHATAN', 'kesehatan'],
    ['2', 'kesehatan'],
    ['infrastruktur', 'infrastruktur'],
    ['3', 'infrastruktur'],
    ['infra', 'infrastruktur'],
    ['Jalan', 'infrastruktur'],
    ['3. Infrastruktur', 'infrastruktur'],
    ['4', 'layanan_publik'],
    ['Layanan Publik', 'layanan_publik'],
    ['layanan masyarakat', 'layanan_publik'],
    ['Pelayanan publik', 'layanan_publik'],
    ['pelayanan', 'layanan_publik'],
    ['5', 'lainnya'],
    ['lain', 'lainnya'],
    ['lain-lain', 'lainnya'],
    ['Lainnya', 'lainnya'],
    ['*Kesehatan*', 'kesehatan'],
    ['pelayanan kesehatan', 'kesehatan'],
  ])('"%s" → %s', (text, category) => {
    expect(parseCategory(text)).toBe(category);
  });

  it.each(['pertanian', '', '6', '12', 'pendidikan dan kesehatan', '1 atau 2'])('"%s" is not recognised', (text) => {
    expect(parseCategory(text)).toBeUndefined();
  });
});

describe('parseKind', () => {
  it.each([
    ['aduan', 'aduan'],
    ['Keluhan', 'aduan'],
    ['PENGADUAN', 'aduan'],
    ['usul', 'usul'],
    ['Usulan', 'usul'],
    ['saran', 'saran'],
    ['Nasihat', 'nasihat'],
    ['nasehat', 'nasihat'],
    ['aspirasi', 'usul'],
    ['Aduan/Keluhan', 'aduan'],
    ['saran / aspirasi', 'saran'],
  ])('"%s" → %s', (text, kind) => {
    expect(parseKind(text)).toBe(kind);
  });

  it.each(['pertanyaan', '', 'usul dan saran'])('"%s" is not recognised', (text) => {
    expect(parseKind(text)).toBeUndefined();
  });
});

describe('inferCategory', () => {
  it.each([
    ['Guru di SDN Maron 3 sering tidak masuk kelas', 'pendidikan'],
    ['Dana PIP anak saya belum cair', 'pendidikan'],
    ['Ijazah belum diberikan oleh SMP', 'pendidikan'],
    ['Antrean di Puskesmas Kraksaan sangat lama, dokter datang siang', 'kesehatan'],
    ['Obat di RSUD Waluyo Jati habis', 'kesehatan'],
    ['Posyandu tidak berjalan, banyak balita stunting', 'kesehatan'],
    ['Kartu BPJS ditolak bidan desa', 'kesehatan'],
    ['Jembatan di Desa Sumberanyar rusak', 'infrastruktur'],
    ['Lampu jalan (PJU) mati sejak seminggu', 'infrastruktur'],
    ['Saluran irigasi tersumbat sehingga sawah banjir', 'infrastruktur'],
    ['Drainase mampet', 'infrastruktur'],
    ['KTP saya sudah 3 bulan belum jadi di Dukcapil', 'layanan_publik'],
    ['Mengurus akta kelahiran dan KK dimintai pungli', 'layanan_publik'],
    ['Perizinan usaha dipersulit', 'layanan_publik'],
    ['Mohon izin melaporkan jalan berlubang di Desa Bago', 'infrastruktur'],
  ])('"%s" → %s', (description, category) => {
    expect(inferCategory(description)).toBe(category);
  });

  it('matches whole words only', () => {
    // "sdm" is not "sd", "obatnya" is not a keyword on its own.
    expect(inferCategory('Kualitas SDM perlu ditingkatkan')).toBeUndefined();
  });

  it('gives up on a tie', () => {
    // Canonical description: jalan + berlubang (infrastruktur) vs SDN + sekolah (pendidikan).
    expect(inferCategory('Jalan di depan SDN Sumberasih 1 berlubang dan membahayakan anak sekolah.')).toBeUndefined();
    expect(inferCategory('Jalan menuju puskesmas')).toBeUndefined();
  });

  it('gives up when nothing matches', () => {
    expect(inferCategory('Tetangga saya berisik setiap malam')).toBeUndefined();
    expect(inferCategory('')).toBeUndefined();
  });
});

describe('parseCommand', () => {
  it.each([
    ['status LK-2026-000123', 'LK-2026-000123'],
    ['STATUS LK-2026-000123', 'LK-2026-000123'],
    ['Status: lk 2026 000123', 'LK-2026-000123'],
    ['cek status LK-2026-123', 'LK-2026-000123'],
    ['Status lk2026000123', 'LK-2026-000123'],
    ['status laporan LK-2026-000045', 'LK-2026-000045'],
    ['*STATUS* LK-2025-000999', 'LK-2025-000999'],
    ['status  LK_2026_7.', 'LK-2026-000007'],
    ['status 2026-000123', 'LK-2026-000123'],
    ['LK-2026-000123', 'LK-2026-000123'],
    ['lk 2026 12', 'LK-2026-000012'],
  ])('"%s" asks for the status of %s', (text, ticketCode) => {
    expect(parseCommand(text)).toEqual({ type: 'status', ticketCode });
  });

  it.each(['STATUS', 'status?', 'Status laporan saya', 'cek status', 'status 123', 'status LK-2026-0000000'])(
    '"%s" asks for a status without a usable code',
    (text) => {
      expect(parseCommand(text)).toEqual({ type: 'status_missing_code' });
    },
  );

  it.each(['MENU', 'menu', 'Bantuan', 'HELP', 'info', '?', '*Menu*', 'menu.'])('"%s" asks for help', (text) => {
    expect(parseCommand(text)).toEqual({ type: 'help' });
  });

  it.each(['BATAL', 'batal', 'Batalkan', 'batalkan laporan', 'Batal!'])('"%s" cancels', (text) => {
    expect(parseCommand(text)).toEqual({ type: 'cancel' });
  });

  it.each([
    'halo',
    'Hallo',
    'Hai',
    'hi',
    'Assalamualaikum',
    "Assalamu'alaikum",
    'Assalamu alaikum wr wb',
    'asalamualaikum',
    'Aslmualaikum',
    'assalamualaikum warahmatullahi wabarakatuh',
    'Selamat pagi',
    'selamat siang pak',
    'Selamat sore',
    'selamat malam min',
    'Permisi',
    'min',
    'P',
    'test',
    'tes',
    'Halo min 🙏',
    'Pagi kak',
  ])('"%s" is a greeting', (text) => {
    expect(parseCommand(text)).toEqual({ type: 'greeting' });
    expect(isGreeting(text)).toBe(true);
  });

  it.each([
    'Halo min, jalan di desa saya rusak',
    'Jalan rusak',
    'Status jalan ini tidak jelas sudah dua tahun',
    'Nama: Siti Aminah',
    '3513015508900001',
    'menu apa saja yang tersedia di kantin sekolah',
    'batal bayar pajak',
    '',
    '🙏',
  ])('"%s" is not a command', (text) => {
    expect(parseCommand(text)).toBeNull();
  });
});

describe('mergeIntoDraft', () => {
  it('fills a new draft from the canonical example', () => {
    const { draft, nikError, categoryUnrecognised } = mergeIntoDraft(frozen(emptyDraft()), parseReportText(CANONICAL));
    expect(nikError).toBeUndefined();
    expect(categoryUnrecognised).toBeUndefined();
    expect(draft).toEqual({
      kind: 'aduan',
      kindGiven: true,
      name: 'Siti Aminah',
      address: 'Dusun Krajan RT 02 RW 03, Desa Sumberasih, Kec. Sumberasih',
      nik: '3513015508900001',
      outsideRegency: false,
      category: 'infrastruktur',
      categoryInferred: false,
      description: 'Jalan di depan SDN Sumberasih 1 berlubang dan membahayakan anak sekolah.',
      kecamatan: 'Sumberasih',
      evidence: [],
    });
    // Only the photo is missing.
    expect(nextMissingField(draft)).toBe('evidence');
  });

  it('returns a new draft and leaves the old one alone', () => {
    const before = frozen({ ...emptyDraft(), name: 'Budi' });
    const { draft } = mergeIntoDraft(before, { labelled: true, name: 'Siti' });
    expect(draft).not.toBe(before);
    expect(draft.evidence).not.toBe(before.evidence);
    expect(before.name).toBe('Budi');
    expect(draft.name).toBe('Siti');
  });

  it.each([
    ['SITI AMINAH', 'Siti Aminah'],
    ['siti   aminah', 'Siti Aminah'],
    ['  ahmad  fauzi\n', 'Ahmad Fauzi'],
    ['M. YUSUF', 'M. Yusuf'],
    ['siti nur-aini', 'Siti Nur-Aini'],
    ['Siti binti ABDULLAH', 'Siti binti ABDULLAH'],
    ['Moh. Ma’ruf', 'Moh. Ma’ruf'],
  ])('tidies the name "%s" → "%s"', (raw, name) => {
    expect(mergeIntoDraft(emptyDraft(), { labelled: true, name: raw }).draft.name).toBe(name);
  });

  it('title-cases all-caps names without touching apostrophes', () => {
    expect(tidyNameCase("MA'RUF AMIN")).toBe("Ma'ruf Amin");
  });

  it('accepts a NIK with spaces and stores the digits', () => {
    const { draft } = mergeIntoDraft(emptyDraft(), parseReportText('3513 0155 0890 0001', 'nik'));
    expect(draft.nik).toBe('3513015508900001');
    expect(draft.outsideRegency).toBe(false);
  });

  it('flags a NIK from outside Kabupaten Probolinggo', () => {
    const { draft, nikError } = mergeIntoDraft(emptyDraft(), { labelled: true, nikRaw: '3574015508900001' });
    expect(nikError).toBeUndefined();
    expect(draft.outsideRegency).toBe(true);
  });

  it('returns the NIK problem and keeps no invalid NIK', () => {
    const { draft, nikError } = mergeIntoDraft(emptyDraft(), { labelled: true, nikRaw: '351301550890000' });
    expect(nikError).toBe('NIK harus 16 angka, yang Anda kirim 15 angka.');
    expect(draft.nik).toBeUndefined();
    expect(nextMissingField(draft)).toBe('name');
  });

  it('keeps the previous valid NIK when a new one is invalid', () => {
    const before = { ...emptyDraft(), nik: '3513015508900001', outsideRegency: false };
    const { draft, nikError } = mergeIntoDraft(before, { labelled: true, nikRaw: '3513011513900001' });
    expect(nikError).toMatch(/bulan 13 tidak ada/);
    expect(draft.nik).toBe('3513015508900001');
  });

  it('lets a later valid NIK replace an earlier one', () => {
    const before = { ...emptyDraft(), nik: '3513015508900001', outsideRegency: false };
    const { draft } = mergeIntoDraft(before, { labelled: true, nikRaw: '3574015508900002' });
    expect(draft.nik).toBe('3574015508900002');
    expect(draft.outsideRegency).toBe(true);
  });

  it('sets the kind and remembers that it was given', () => {
    const { draft } = mergeIntoDraft(emptyDraft(), parseReportText('Saran: Perbanyak tempat sampah di alun-alun'));
    expect(draft.kind).toBe('saran');
    expect(draft.kindGiven).toBe(true);
  });

  it('does not mark the default kind as given', () => {
    const { draft } = mergeIntoDraft(emptyDraft(), parseReportText('Isi: Lampu jalan mati'));
    expect(draft.kind).toBe('aduan');
    expect(draft.kindGiven).toBeUndefined();
  });

  it('reports an unrecognised category and leaves it to be asked', () => {
    const { draft, categoryUnrecognised } = mergeIntoDraft(emptyDraft(), parseReportText('Pertanian', 'category'));
    expect(categoryUnrecognised).toBe(true);
    expect(draft.category).toBeUndefined();
  });

  it('infers the category from the description when none was given', () => {
    const { draft } = mergeIntoDraft(emptyDraft(), parseReportText('Aduan: Puskesmas Dringu tutup jam 10 pagi'));
    expect(draft.category).toBe('kesehatan');
    expect(draft.categoryInferred).toBe(true);
  });

  it('leaves the category to be asked when it cannot be inferred', () => {
    const { draft } = mergeIntoDraft(emptyDraft(), parseReportText('Aduan: Tetangga berisik'));
    expect(draft.category).toBeUndefined();
    expect(draft.categoryInferred).toBe(false);
  });

  it('never overrides a category the citizen chose with a guess', () => {
    const before = { ...emptyDraft(), category: 'lainnya' as const, categoryInferred: false };
    const { draft } = mergeIntoDraft(before, { labelled: false, description: 'Puskesmas tutup' });
    expect(draft.category).toBe('lainnya');
    expect(draft.categoryInferred).toBe(false);
  });

  it('replaces a guess with the category the citizen chose', () => {
    const first = mergeIntoDraft(emptyDraft(), { labelled: false, description: 'Puskesmas tutup' }).draft;
    expect(first.categoryInferred).toBe(true);
    const { draft } = mergeIntoDraft(first, parseReportText('4', 'category'));
    expect(draft.category).toBe('layanan_publik');
    expect(draft.categoryInferred).toBe(false);
  });

  it('re-guesses the category when a new description replaces the old one', () => {
    const first = mergeIntoDraft(emptyDraft(), { labelled: false, description: 'Puskesmas tutup' }).draft;
    const second = mergeIntoDraft(first, { labelled: false, description: 'Jembatan putus' }).draft;
    expect(second.category).toBe('infrastruktur');
    const third = mergeIntoDraft(second, { labelled: false, description: 'Tetangga berisik' }).draft;
    expect(third.category).toBeUndefined();
    expect(third.categoryInferred).toBe(false);
  });

  it('finds the kecamatan in the location before the address', () => {
    const { draft } = mergeIntoDraft(
      emptyDraft(),
      parseReportText('Alamat: Desa Sumberasih, Kec. Sumberasih\nLokasi: Jl. Raya Paiton depan pasar'),
    );
    expect(draft.kecamatan).toBe('Paiton');
  });

  it('falls back to the address for the kecamatan', () => {
    const { draft } = mergeIntoDraft(
      emptyDraft(),
      parseReportText('Alamat: Desa Sumberasih, Kec. Sumberasih\nLokasi: depan balai desa'),
    );
    expect(draft.kecamatan).toBe('Sumberasih');
  });

  it('lets later values override earlier ones, kecamatan included', () => {
    const first = mergeIntoDraft(emptyDraft(), parseReportText(CANONICAL)).draft;
    const { draft } = mergeIntoDraft(first, parseReportText('Alamat: Desa Bhinor, Kec. Paiton\nKategori: 4'));
    expect(draft.address).toBe('Desa Bhinor, Kec. Paiton');
    expect(draft.kecamatan).toBe('Paiton');
    expect(draft.category).toBe('layanan_publik');
    expect(draft.name).toBe('Siti Aminah');
    expect(draft.nik).toBe('3513015508900001');
  });

  it('ignores fields that are empty', () => {
    const before = { ...emptyDraft(), name: 'Siti Aminah', address: 'Desa Sumber' };
    const { draft } = mergeIntoDraft(before, parseReportText('Nama:\nAlamat:   '));
    expect(draft.name).toBe('Siti Aminah');
    expect(draft.address).toBe('Desa Sumber');
  });

  it('builds a report answer by answer, as the conversation asks', () => {
    const answers: Record<string, string> = {
      name: 'budi santoso',
      address: 'Dusun Krajan, Desa Tegalrejo, Kecamatan Kotaanyar',
      nik: '3513 1201 0380 0004',
      description: 'Lampu PJU di perempatan desa mati sudah sebulan',
    };
    let draft = emptyDraft();
    for (let step = 0; step < 4; step++) {
      const field = nextMissingField(draft);
      expect(field).not.toBeNull();
      draft = mergeIntoDraft(draft, parseReportText(answers[field!], field!)).draft;
    }
    expect(draft).toMatchObject({
      name: 'Budi Santoso',
      nik: '3513120103800004',
      kecamatan: 'Kotaanyar',
      category: 'infrastruktur',
      categoryInferred: true,
    });
    expect(nextMissingField(draft)).toBe('evidence');
  });
});

describe('withLocation', () => {
  it('stores a shared WhatsApp location and its label', () => {
    const before = frozen(emptyDraft());
    const draft = withLocation(before, -7.7543, 113.2159, 'Pasar Kraksaan, Kec. Kraksaan');
    expect(draft).toMatchObject({
      latitude: -7.7543,
      longitude: 113.2159,
      locationText: 'Pasar Kraksaan, Kec. Kraksaan',
      kecamatan: 'Kraksaan',
    });
    expect(before.latitude).toBeUndefined();
  });

  it('keeps the earlier location text when the pin has no label', () => {
    const before = { ...emptyDraft(), locationText: 'depan SDN Tiris 1' };
    const draft = withLocation(before, -7.9, 113.4);
    expect(draft.locationText).toBe('depan SDN Tiris 1');
    expect(draft.kecamatan).toBe('Tiris');
  });

  it.each([
    [Number.NaN, 113],
    [-91, 113],
    [-7.7, 181],
    [Number.POSITIVE_INFINITY, 0],
  ])('ignores invalid coordinates (%s, %s)', (lat, lon) => {
    const draft = withLocation(emptyDraft(), lat, lon, 'Paiton');
    expect(draft.latitude).toBeUndefined();
    expect(draft.longitude).toBeUndefined();
    expect(draft.locationText).toBeUndefined();
  });
});
