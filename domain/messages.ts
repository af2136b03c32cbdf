// Every text a citizen (or an OPD official) reads. Pure functions, Bahasa Indonesia.
// Texts never contain a NIK, and texts for officials never contain the reporter's
// NIK, phone number or address.

import { maskNik, validateNik } from './nik';
import { toWib } from './time';
import type { Category, ComplaintStatus, ReportDraft, ReportField, ReportKind } from './report';

const SERVICE = 'LAPOR KAND4 Kabupaten Probolinggo';
const EXAMPLE_TICKET = 'LK-2026-000123';

const CATEGORY_LABELS: Record<Category, string> = {
  pendidikan: 'Pendidikan',
  kesehatan: 'Kesehatan',
  infrastruktur: 'Infrastruktur',
  layanan_publik: 'Layanan Publik',
  lainnya: 'Lainnya',
};

const KIND_LABELS: Record<ReportKind, string> = {
  aduan: 'Aduan',
  usul: 'Usul',
  saran: 'Saran',
  nasihat: 'Nasihat',
};

const STATUS_LABELS: Record<ComplaintStatus, string> = {
  received: 'Diterima',
  routed: 'Diteruskan ke OPD',
  accepted: 'Diterima OPD',
  in_progress: 'Dalam pengerjaan',
  resolved: 'Selesai, menunggu konfirmasi pelapor',
  tuntas: 'Tuntas',
  rejected: 'Ditolak',
  withdrawn: 'Dibatalkan pelapor',
};

const STATUS_EXPLANATIONS: Record<ComplaintStatus, string> = {
  received: 'Laporan sedang kami periksa dan segera diteruskan ke OPD yang bertanggung jawab.',
  routed: 'Laporan sudah diteruskan ke OPD yang bertanggung jawab dan menunggu diterima OPD.',
  accepted: 'OPD sudah menerima laporan dan menetapkan target penyelesaian.',
  in_progress: 'OPD sedang mengerjakan tindak lanjut laporan ini.',
  resolved: 'OPD menyatakan laporan sudah selesai. Mohon konfirmasi apakah sudah tuntas.',
  tuntas: 'Laporan sudah tuntas. Terima kasih atas partisipasi Bapak/Ibu.',
  rejected: 'Laporan tidak dapat ditindaklanjuti.',
  withdrawn: 'Laporan sudah dibatalkan atas permintaan pelapor.',
};

const MONTHS = [
  'Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni',
  'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember',
];


export function categoryLabel(category: Category): string {
  return CATEGORY_LABELS[category];
}

export function kindLabel(kind: ReportKind): string {
  return KIND_LABELS[kind];
}

export function statusLabel(status: ComplaintStatus): string {
  return STATUS_LABELS[status] ?? status;
}

/** "4 Desember 2026 pukul 14.05 WIB" */
export function formatDateWib(date: Date): string {
  const wib = toWib(date);
  const hours = String(wib.getUTCHours()).padStart(2, '0');
  const minutes = String(wib.getUTCMinutes()).padStart(2, '0');
  return `${wib.getUTCDate()} ${MONTHS[wib.getUTCMonth()]} ${wib.getUTCFullYear()} pukul ${hours}.${minutes} WIB`;
}

// ---------------------------------------------------------------------------------------------
// Guidance

export function helpText(): string {
  return [
    `*${SERVICE}*`,
    '_Kelola Aduan Nasehat Ditindaklanjuti Agar tuntas_',
    '',
    'Layanan WhatsApp resmi Pemerintah Kabupaten Probolinggo untuk menyampaikan aduan, usul, saran, dan nasihat. Layanan ini buka 24 jam.',
    '',
    '*Format laporan:*',
    'Nama: (nama lengkap sesuai KTP)',
    'Alamat: (alamat lengkap)',
    'NIK: (16 angka sesuai KTP)',
    'Kategori: Pendidikan / Kesehatan / Infrastruktur / Layanan Publik / Lainnya',
    'Aduan: (isi laporan; bisa juga Usul, Saran, atau Nasihat)',
    'Lokasi: (tempat kejadian, boleh dikosongkan)',
    '',
    'Lampirkan *foto atau video* sebagai bukti. Untuk aduan, bukti foto/video *wajib*.',
    '',
    '*Contoh:*',
    'Nama: Siti Aminah',
    'Alamat: Dusun Krajan RT 02 RW 03, Desa Sumberasih, Kec. Sumberasih',
    'NIK: 3513xxxxxxxxxxxx',
    'Kategori: Infrastruktur',
    'Aduan: Jalan di depan SDN Sumberasih 1 berlubang dan membahayakan anak sekolah.',
    '',
    'Data boleh dikirim bertahap; kami akan menanyakan yang belum lengkap.',
    '',
    '*Perintah:*',
    `• STATUS <kode> — cek perkembangan laporan, contoh: STATUS ${EXAMPLE_TICKET}`,
    '• MENU atau BANTUAN — tampilkan panduan ini',
    '• BATAL — batalkan laporan yang belum selesai',
  ].join('\n');
}

export function welcomeText(): string {
  return [
    `Selamat datang di ${SERVICE}. Terima kasih telah menghubungi kami, Bapak/Ibu.`,
    '',
    helpText(),
  ].join('\n');
}

const CATEGORY_MENU = [
  '1. Pendidikan',
  '2. Kesehatan',
  '3. Infrastruktur',
  '4. Layanan Publik',
  '5. Lainnya',
].join('\n');

/** One question at a time, for the next missing field. */
export function questionFor(field: ReportField, draft: ReportDraft): string {
  const kind = kindLabel(draft.kind).toLowerCase();
  switch (field) {
    case 'name':
      return 'Mohon kirim *nama lengkap* Bapak/Ibu sesuai KTP.';
    case 'address':
      return 'Mohon kirim *alamat lengkap* Bapak/Ibu (dusun/jalan, RT/RW, desa, dan kecamatan).';
    case 'nik':
      return 'Mohon kirim *NIK* Bapak/Ibu (16 angka pada KTP). NIK hanya dipakai untuk verifikasi dan kami jaga kerahasiaannya.';
    case 'description':
      return `Mohon ceritakan *isi ${kind}* Bapak/Ibu: apa yang terjadi atau yang diusulkan, di mana tempatnya, dan sejak kapan.`;
    case 'category':
      return ['Termasuk *kategori* apa laporan ini? Balas dengan angkanya:', CATEGORY_MENU].join('\n');
    case 'evidence':
      return [
        'Mohon kirim *foto atau video* sebagai bukti.',
        'Untuk aduan, bukti foto/video wajib dilampirkan agar laporan dapat diverifikasi dan tidak dianggap hoaks.',
      ].join('\n');
  }
}

// ---------------------------------------------------------------------------------------------
// Problems with what was sent

export function nikErrorText(message: string): string {
  return `Maaf, NIK belum dapat kami terima. ${message}\nMohon kirim ulang NIK Bapak/Ibu (16 angka sesuai KTP).`;
}

export function categoryNotRecognisedText(): string {
  return ['Maaf, kategori tersebut tidak kami kenali. Mohon pilih salah satu dengan membalas angkanya:', CATEGORY_MENU].join(
    '\n',
  );
}

/** Names the kind of file in general terms; the content type itself comes from outside and is not echoed. */
export function mediaRejectedText(contentType: string): string {
  return `Maaf, ${describeFile(contentType)} yang Bapak/Ibu kirim tidak dapat kami terima sebagai bukti. Bukti hanya berupa *foto atau video*.`;
}

function describeFile(contentType: string): string {
  const type = contentType.toLowerCase().split(';')[0].trim();
  if (type.startsWith('audio/')) return 'pesan suara/audio';
  if (type === 'application/pdf' || type.startsWith('text/') || type.includes('document') || type.includes('msword')) {
    return 'dokumen';
  }
  if (type.includes('vcard') || type.includes('contact')) return 'kontak';
  return 'berkas';
}

export function mediaTooLargeText(maxMb: number): string {
  const limit = Number.isInteger(maxMb) ? String(maxMb) : maxMb.toFixed(1).replace('.', ',');
  return `Maaf, ukuran berkas melebihi batas ${limit} MB. Mohon kirim foto atau video yang lebih kecil (misalnya video yang lebih pendek).`;
}

export function mediaFailedText(): string {
  return 'Maaf, foto/video yang Bapak/Ibu kirim tidak berhasil kami unduh. Mohon kirim ulang.';
}

// ---------------------------------------------------------------------------------------------
// Receipt and status

export function receiptText({ ticketCode, draft }: { ticketCode: string; draft: ReportDraft }): string {
  const summary = [
    draft.name ? `• Pelapor: ${draft.name}` : null,
    `• Jenis: ${kindLabel(draft.kind)}`,
    draft.category
      ? `• Kategori: ${categoryLabel(draft.category)}${draft.categoryInferred ? ' (otomatis)' : ''}`
      : null,
    draft.kecamatan ? `• Kecamatan: ${draft.kecamatan}` : null,
    draft.description ? `• Isi: ${shorten(draft.description, 120)}` : null,
    `• Bukti: ${draft.evidence.length > 0 ? `${draft.evidence.length} foto/video` : 'tidak ada'}`,
  ].filter((line): line is string => line !== null);

  const lines = [
    `Terima kasih, ${salutation(draft)}. ${kindLabel(draft.kind)} Anda sudah kami terima.`,
    '',
    `Kode laporan: *${ticketCode}*`,
    'Mohon simpan kode ini untuk memantau perkembangan laporan.',
    '',
    '*Ringkasan:*',
    ...summary,
    '',
    '*Langkah selanjutnya:*',
    'Laporan akan diteruskan ke Organisasi Perangkat Daerah (OPD) yang bertanggung jawab. OPD diberi target penyelesaian 1, 2, atau 3 tahun sesuai tingkat kesulitannya.',
    `Perkembangan laporan akan kami kirimkan melalui WhatsApp ini. Bapak/Ibu juga dapat mengecek kapan saja dengan mengirim: STATUS ${ticketCode}`,
  ];
  if (draft.outsideRegency) {
    lines.push(
      '',
      'Catatan: NIK Bapak/Ibu terdaftar di luar Kabupaten Probolinggo. Laporan tetap kami terima dan tindak lanjuti.',
    );
  }
  return lines.join('\n');
}

/** "Ibu Siti Aminah" when the NIK tells us, otherwise "Bapak/Ibu Siti Aminah". */
function salutation(draft: ReportDraft): string {
  const nik = draft.nik ? validateNik(draft.nik) : undefined;
  const title = nik?.ok ? (nik.gender === 'P' ? 'Ibu' : 'Bapak') : 'Bapak/Ibu';
  return draft.name ? `${title} ${draft.name}` : title;
}

export function statusText({
  ticketCode,
  status,
  opdName,
  submittedAt,
}: {
  ticketCode: string;
  status: ComplaintStatus;
  opdName?: string;
  submittedAt: Date;
}): string {
  return [
    `Status laporan *${ticketCode}*`,
    `• Status: ${statusLabel(status)}`,
    `• Diterima: ${formatDateWib(submittedAt)}`,
    opdName ? `• Ditangani oleh: ${opdName}` : null,
    '',
    STATUS_EXPLANATIONS[status] ?? '',
    'Perkembangan berikutnya akan kami kirimkan melalui WhatsApp ini.',
  ]
    .filter((line): line is string => line !== null)
    .join('\n');
}

/** The same text whether the code does not exist or belongs to someone else. */
export function statusNotFoundText(ticketCode: string): string {
  return `Laporan dengan kode ${ticketCode} tidak kami temukan untuk nomor WhatsApp ini. Mohon periksa kembali kode laporan Anda (contoh: ${EXAMPLE_TICKET}).`;
}

export function statusMissingCodeText(): string {
  return `Mohon sertakan kode laporan. Contoh: STATUS ${EXAMPLE_TICKET}`;
}

// ---------------------------------------------------------------------------------------------
// Ending a half-done report

export function idleTimeoutText(): string {
  return [
    'Laporan Bapak/Ibu yang belum lengkap kami tutup karena tidak ada balasan selama 24 jam.',
    'Data yang sudah dikirim tidak kami simpan.',
    'Bapak/Ibu dapat memulai laporan lagi kapan saja. Ketik MENU untuk melihat panduan.',
  ].join('\n');
}

export function cancelledText(): string {
  return 'Laporan yang belum selesai telah dibatalkan dan data yang sudah dikirim tidak kami simpan. Bapak/Ibu dapat memulai laporan baru kapan saja. Ketik MENU untuk melihat panduan.';
}

export function nothingToCancelText(): string {
  return 'Saat ini tidak ada laporan yang sedang diisi. Ketik MENU untuk melihat panduan membuat laporan.';
}

// ---------------------------------------------------------------------------------------------
// Officials

/** WhatsApp (Twilio) messages are limited to 1600 characters. */
const OFFICIAL_DESCRIPTION_MAX = 1000;

export function officialNewComplaintText({
  ticketCode,
  kind,
  category,
  description,
  kecamatan,
  opdName,
}: {
  ticketCode: string;
  kind: ReportKind;
  category: Category;
  description: string;
  kecamatan?: string;
  opdName: string;
}): string {
  return [
    `*${SERVICE} — ${kindLabel(kind)} baru*`,
    `Kepada: ${opdName}`,
    '',
    `• Kode: ${ticketCode}`,
    `• Jenis: ${kindLabel(kind)}`,
    `• Kategori: ${categoryLabel(category)}`,
    kecamatan ? `• Kecamatan: ${kecamatan}` : null,
    '',
    '*Uraian:*',
    shorten(description, OFFICIAL_DESCRIPTION_MAX, false),
    '',
    'Mohon segera ditindaklanjuti sesuai kewenangan. Identitas pelapor dilindungi dan tidak dicantumkan dalam pemberitahuan ini.',
  ]
    .filter((line): line is string => line !== null)
    .join('\n');
}

// ---------------------------------------------------------------------------------------------

/**
 * Cuts text to about `max` characters at a word boundary. Any 16-digit number in it is masked:
 * citizens sometimes type their NIK into the description.
 */
function shorten(text: string, max: number, singleLine = true): string {
  let result = text.replace(/\d(?:[\s.\-]?\d){15}/g, (nik) => maskNik(nik.replace(/\D/g, '')));
  if (singleLine) result = result.replace(/\s+/g, ' ');
  result = result.trim();
  if (result.length <= max) return result;
  const cut = result.slice(0, max);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > max * 0.6 ? cut.slice(0, lastSpace) : cut).replace(/[\s,.;:]+$/, '')}…`;
}
