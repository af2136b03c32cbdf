// The texts of a complaint's life after intake: to the citizen (accepted, progress, resolved,
// tuntas, rejected, rerouted, withdrawn, reopened, milestones, rating, and what admins do: a new
// difficulty, a message, a reopening) and to OPD officials (reminders, escalations, milestone
// warnings, disputes, admins' escalations, difficulty changes and reopenings, help, command
// answers, list, info).
// Pure functions of plain data, Bahasa Indonesia, dates in WIB.
//
// No text contains a NIK or the reporter's phone number or address: none is ever passed in, and
// free text that is (notes, reasons, descriptions) has any 16-digit number masked, because people
// type NIKs into anything. Every text stays under 1,500 characters (one WhatsApp message): free
// text is shortened to fit.

import { OFFICIAL_COMMAND_EXAMPLES, OFFICIAL_COMMAND_FORMATS, type OfficialCommand } from './commands';
import { categoryLabel, formatDateWib, kindLabel } from './messages';
import { maskNik } from './nik';
import { DEFAULT_POLICY, DIFFICULTY_LABELS, levelLabel, type Difficulty } from './policy';
import type { Category, ReportKind } from './report';

const SERVICE = 'LAPOR KAND4 Kabupaten Probolinggo';
/** Who speaks when an admin of the service acts (never a person's name). */
const ADMIN = 'Admin LAPOR KAND4';

export const LIFECYCLE_STATUSES = [
  'received',
  'routed',
  'accepted',
  'in_progress',
  'resolved',
  'tuntas',
  'rejected',
  'withdrawn',
] as const;
export type LifecycleStatus = (typeof LIFECYCLE_STATUSES)[number];

const LIFECYCLE_STATUS_LABELS: Record<LifecycleStatus, string> = {
  received: 'Diterima',
  routed: 'Diteruskan ke OPD',
  accepted: 'Diterima OPD',
  in_progress: 'Dalam pengerjaan',
  resolved: 'Selesai — menunggu konfirmasi pelapor',
  tuntas: 'Tuntas',
  rejected: 'Ditolak',
  withdrawn: 'Dibatalkan pelapor',
};

export function lifecycleStatusLabel(status: LifecycleStatus): string {
  return LIFECYCLE_STATUS_LABELS[status] ?? status;
}

/** What a deadline is for. */
export type DeadlineKind = 'accept' | 'progress' | 'target';

// Limits for free text, chosen so that every text stays under 1,500 characters.
const MAX_NAME = 120;
const MAX_NOTE = 700;
const MAX_REASON = 500;
const MAX_SUMMARY = 450;
const MAX_DESCRIPTION = 800;
const MAX_ADMIN_MESSAGE = 1200;

/** "4 Desember 2027": the WIB date without the time, where a time of day is only noise. */
export function formatDateOnlyWib(date: Date): string {
  // The same rendering as formatDateWib, so both always agree on the day and month names.
  return formatDateWib(date).replace(/ pukul .*$/, '');
}

function percentText(percent: number): string {
  // 0.5 is read as a fraction of the target period, 50 as a percentage.
  const value = percent > 0 && percent < 1 ? percent * 100 : percent;
  return `${Math.round(value)}%`;
}

function lines(parts: Array<string | null | undefined | false>): string {
  return parts.filter((part): part is string => typeof part === 'string').join('\n');
}

// ---------------------------------------------------------------------------------------------
// To the citizen

export function citizenAcceptedText({
  ticketCode,
  opdName,
  difficulty,
  targetDate,
}: {
  ticketCode: string;
  opdName: string;
  difficulty: Difficulty;
  targetDate: Date;
}): string {
  return lines([
    `*Laporan ${ticketCode} diterima OPD*`,
    '',
    `Bapak/Ibu, laporan Anda telah diterima dan akan ditindaklanjuti oleh *${clip(opdName, MAX_NAME)}*.`,
    '',
    `• Tingkat kesulitan: ${DIFFICULTY_LABELS[difficulty]}`,
    `• Target penyelesaian: ${formatDateOnlyWib(targetDate)}`,
    '',
    'Perkembangan pengerjaan akan kami sampaikan secara berkala melalui WhatsApp ini, dan laporan ini kami pantau sampai tuntas.',
    `Bapak/Ibu juga dapat mengecek kapan saja dengan mengirim: STATUS ${ticketCode}`,
  ]);
}

export function citizenProgressText({
  ticketCode,
  opdName,
  note,
}: {
  ticketCode: string;
  opdName: string;
  note: string;
}): string {
  return lines([
    `*Perkembangan laporan ${ticketCode}*`,
    `Dari: ${clip(opdName, MAX_NAME)}`,
    '',
    clip(note, MAX_NOTE, false),
    '',
    'Laporan ini terus kami pantau sampai tuntas.',
    `Cek status kapan saja: STATUS ${ticketCode}`,
  ]);
}

export function citizenResolvedText({
  ticketCode,
  opdName,
  note,
  confirmBy,
}: {
  ticketCode: string;
  opdName: string;
  note: string;
  confirmBy: Date;
}): string {
  return lines([
    `*Laporan ${ticketCode} dinyatakan selesai oleh OPD*`,
    '',
    `${clip(opdName, MAX_NAME)} menyampaikan bahwa laporan Bapak/Ibu telah selesai ditangani:`,
    clip(note, MAX_NOTE, false),
    '',
    '*Mohon konfirmasi Bapak/Ibu:*',
    `• Jika sudah tuntas, balas: YA ${ticketCode}`,
    `• Jika belum tuntas, balas: TIDAK ${ticketCode} <alasan>`,
    `  Contoh: TIDAK ${ticketCode} Jalan masih berlubang di depan sekolah.`,
    '',
    `Jika tidak ada balasan sampai ${formatDateWib(confirmBy)}, laporan akan kami nyatakan tuntas.`,
  ]);
}

export function citizenTuntasText({ ticketCode, automatic }: { ticketCode: string; automatic: boolean }): string {
  return lines([
    `*Laporan ${ticketCode} tuntas*`,
    '',
    automatic
      ? `Karena tidak ada tanggapan sampai batas waktu konfirmasi, laporan ${ticketCode} kami nyatakan *tuntas*.`
      : `Terima kasih atas konfirmasi Bapak/Ibu. Laporan ${ticketCode} kami nyatakan *tuntas*.`,
    '',
    'Mohon berikan penilaian atas penanganan laporan ini (1 = sangat tidak puas, 5 = sangat puas) dengan membalas:',
    `NILAI ${ticketCode} <1-5>`,
    `Contoh: NILAI ${ticketCode} 5`,
    '',
    'Terima kasih telah berperan serta membangun Kabupaten Probolinggo.',
  ]);
}

export function citizenRejectedText({
  ticketCode,
  reason,
  byRole,
}: {
  ticketCode: string;
  reason: string;
  byRole: string;
}): string {
  return lines([
    `*Laporan ${ticketCode} tidak dapat ditindaklanjuti*`,
    '',
    `Mohon maaf, Bapak/Ibu. Laporan ${ticketCode} tidak dapat ditindaklanjuti.`,
    `• Diputuskan oleh: ${clip(byRole, MAX_NAME)}`,
    `• Alasan: ${clip(reason, MAX_REASON, false)}`,
    '',
    'Bapak/Ibu dapat mengirim laporan baru dengan keterangan yang lebih lengkap. Ketik MENU untuk melihat panduan.',
  ]);
}

export function citizenReroutedText({ ticketCode, opdName }: { ticketCode: string; opdName: string }): string {
  return lines([
    `*Laporan ${ticketCode} dialihkan*`,
    '',
    `Laporan Bapak/Ibu kami teruskan ke *${clip(opdName, MAX_NAME)}*, yang berwenang menanganinya.`,
    'Perkembangan berikutnya akan kami kirimkan melalui WhatsApp ini.',
    `Cek status kapan saja: STATUS ${ticketCode}`,
  ]);
}

export function citizenWithdrawnText({ ticketCode }: { ticketCode: string }): string {
  return lines([
    `Laporan ${ticketCode} telah dibatalkan sesuai permintaan Bapak/Ibu dan tidak lagi ditindaklanjuti.`,
    'Terima kasih. Bapak/Ibu dapat membuat laporan baru kapan saja; ketik MENU untuk melihat panduan.',
  ]);
}

export function citizenReopenedText({ ticketCode, level }: { ticketCode: string; level: number }): string {
  return lines([
    `*Laporan ${ticketCode} dibuka kembali*`,
    '',
    'Terima kasih, tanggapan Bapak/Ibu sudah kami terima.',
    `Laporan dikembalikan ke OPD untuk diselesaikan, kini dengan pengawasan ${levelLabel(level)}.`,
    'Perkembangan berikutnya akan kami kirimkan melalui WhatsApp ini.',
    `Cek status kapan saja: STATUS ${ticketCode}`,
  ]);
}

/** An admin changed the difficulty: the target moves, counted from the original acceptance. */
export function citizenDifficultyChangedText({
  ticketCode,
  opdName,
  difficulty,
  targetDate,
}: {
  ticketCode: string;
  opdName: string;
  difficulty: Difficulty;
  targetDate: Date;
}): string {
  return lines([
    `*Target penyelesaian laporan ${ticketCode} diperbarui*`,
    '',
    `Setelah ditinjau oleh ${ADMIN}, tingkat kesulitan laporan Bapak/Ibu ditetapkan menjadi *${DIFFICULTY_LABELS[difficulty]}*.`,
    `• OPD: ${clip(opdName, MAX_NAME)}`,
    `• Target penyelesaian baru: ${formatDateOnlyWib(targetDate)}`,
    '',
    'Laporan ini tetap kami pantau sampai tuntas.',
    `Cek status kapan saja: STATUS ${ticketCode}`,
  ]);
}

/** A message an admin wrote to the citizen; labelled so that it is not mistaken for the OPD's. */
export function citizenAdminMessageText({ ticketCode, text }: { ticketCode: string; text: string }): string {
  return lines([
    `*Pesan dari ${ADMIN} — laporan ${ticketCode}*`,
    '',
    clip(text, MAX_ADMIN_MESSAGE, false),
    '',
    `Cek status kapan saja: STATUS ${ticketCode}`,
  ]);
}

/** An admin reopened a resolved or tuntas complaint (the citizen did not ask: no thanks for an answer). */
export function citizenReopenedByAdminText({ ticketCode, level }: { ticketCode: string; level: number }): string {
  return lines([
    `*Laporan ${ticketCode} dibuka kembali*`,
    '',
    `Setelah ditinjau, ${ADMIN} menilai penanganan laporan Bapak/Ibu belum tuntas.`,
    `Laporan dikembalikan ke OPD untuk diselesaikan, kini dengan pengawasan ${levelLabel(level)}.`,
    'Perkembangan berikutnya akan kami kirimkan melalui WhatsApp ini.',
    `Cek status kapan saja: STATUS ${ticketCode}`,
  ]);
}

/** `percent` is 0–100 (a fraction below 1 such as 0.5 is read as 50%). */
export function citizenMilestoneText({
  ticketCode,
  percent,
  targetDate,
  lastProgress,
}: {
  ticketCode: string;
  percent: number;
  targetDate: Date;
  lastProgress?: string;
}): string {
  const progress = lastProgress?.trim();
  return lines([
    `*Laporan ${ticketCode}: ${percentText(percent)} waktu penyelesaian telah berjalan*`,
    '',
    `Target penyelesaian: ${formatDateOnlyWib(targetDate)}.`,
    '',
    progress ? '*Perkembangan terakhir dari OPD:*' : 'Belum ada laporan perkembangan dari OPD.',
    progress ? clip(progress, MAX_NOTE, false) : null,
    progress ? '' : null,
    'Kami telah mengingatkan OPD yang bertanggung jawab agar laporan Bapak/Ibu selesai sesuai target.',
    `Cek status kapan saja: STATUS ${ticketCode}`,
  ]);
}

export function citizenRatingThanksText({ ticketCode, rating }: { ticketCode: string; rating: number }): string {
  return lines([
    `Terima kasih atas penilaian Bapak/Ibu untuk laporan ${ticketCode}: ${rating} dari 5.`,
    'Masukan Bapak/Ibu membantu kami memperbaiki pelayanan Pemerintah Kabupaten Probolinggo.',
  ]);
}

// ---------------------------------------------------------------------------------------------
// To officials

const DEADLINE_LABELS: Record<DeadlineKind, string> = {
  accept: 'penerimaan laporan (TERIMA)',
  progress: 'laporan perkembangan (PROGRES)',
  target: 'penyelesaian sesuai target (SELESAI)',
};

function command(type: OfficialCommand['type'], ticketCode: string): string {
  return OFFICIAL_COMMAND_FORMATS[type].replace('<kode>', ticketCode);
}

function difficultyGuide(targetYears: Record<Difficulty, number>): string {
  return `(RINGAN: target ${targetYears.ringan} tahun, SEDANG: ${targetYears.sedang} tahun, BERAT: ${targetYears.berat} tahun)`;
}

/** The commands that deal with what is due. */
function actionsFor(what: DeadlineKind, ticketCode: string, targetYears: Record<Difficulty, number>): string[] {
  if (what === 'accept') {
    return [
      `• Terima: ${command('accept', ticketCode)}`,
      `  ${difficultyGuide(targetYears)}`,
      `• Bukan kewenangan OPD ini: ${command('reroute', ticketCode)}`,
      `• Tidak dapat ditindaklanjuti: ${command('reject', ticketCode)}`,
    ];
  }
  return [
    `• Laporkan perkembangan: ${command('progress', ticketCode)}`,
    `• Sudah selesai: ${command('resolve', ticketCode)}`,
  ];
}

export function officialReminderText({
  ticketCode,
  what,
  dueAt,
  opdName,
  targetYears = DEFAULT_POLICY.targetYears,
}: {
  ticketCode: string;
  what: DeadlineKind;
  dueAt: Date;
  opdName: string;
  /** The years behind RINGAN/SEDANG/BERAT in the complaint's policy (default: DEFAULT_POLICY). */
  targetYears?: Record<Difficulty, number>;
}): string {
  const due = formatDateWib(dueAt);
  const situation: Record<DeadlineKind, string> = {
    accept: `Laporan *${ticketCode}* belum diterima. Batas waktu penerimaan: ${due}.`,
    progress: `Laporan perkembangan untuk *${ticketCode}* jatuh tempo ${due}.`,
    target: `Target penyelesaian laporan *${ticketCode}* jatuh pada ${due}.`,
  };
  return lines([
    `*Pengingat — ${SERVICE}*`,
    `Kepada: ${clip(opdName, MAX_NAME)}`,
    '',
    situation[what],
    '',
    'Mohon balas dengan salah satu perintah berikut:',
    ...actionsFor(what, ticketCode, targetYears),
    '',
    'Jika melewati batas waktu, laporan akan dieskalasi ke pimpinan.',
  ]);
}

export function officialEscalationText({
  ticketCode,
  level,
  what,
  dueAt,
  lateSince,
  responsibleRole,
  opdName,
  summary,
  maxLevel = DEFAULT_POLICY.maxLevel,
  repeatDays = DEFAULT_POLICY.topLevelRepeatDays,
  targetYears = DEFAULT_POLICY.targetYears,
}: {
  ticketCode: string;
  level: number;
  what: DeadlineKind;
  dueAt: Date;
  lateSince: Date;
  responsibleRole: string;
  opdName: string;
  summary: string;
  /** From the complaint's policy (default: DEFAULT_POLICY). */
  maxLevel?: number;
  repeatDays?: number;
  targetYears?: Record<Difficulty, number>;
}): string {
  const brief = summary.trim() ? clip(summary, MAX_SUMMARY) : '';
  const next =
    level < maxLevel
      ? `Tanpa tindak lanjut, laporan akan dieskalasi ke ${levelLabel(level + 1)}.`
      : `Pengingat ini diulang setiap ${repeatDays} hari sampai laporan ditindaklanjuti.`;
  return lines([
    `*ESKALASI TINGKAT ${level} — ${levelLabel(level)}*`,
    SERVICE,
    '',
    `Laporan *${ticketCode}* pada ${clip(opdName, MAX_NAME)} terlambat.`,
    `• Yang terlambat: ${DEADLINE_LABELS[what]}`,
    lateSince.getTime() === dueAt.getTime()
      ? `• Terlambat sejak batas waktu: ${formatDateWib(dueAt)}`
      : `• Batas waktu: ${formatDateWib(dueAt)}\n• Terlambat sejak: ${formatDateWib(lateSince)}`,
    `• Penanggung jawab sebelumnya: ${clip(responsibleRole, MAX_NAME)}`,
    '',
    brief ? '*Ringkasan:*' : null,
    brief || null,
    brief ? '' : null,
    'Mohon Bapak/Ibu menindaklanjuti dan memastikan laporan ini segera ditangani. Perintah:',
    ...actionsFor(what, ticketCode, targetYears),
    `• Rincian laporan: ${command('info', ticketCode)}`,
    '',
    next,
  ]);
}

/** `percent` is 0–100 (a fraction below 1 such as 0.9 is read as 90%). */
export function officialMilestoneWarningText({
  ticketCode,
  percent,
  targetDate,
  opdName,
}: {
  ticketCode: string;
  percent: number;
  targetDate: Date;
  opdName: string;
}): string {
  return lines([
    `*Peringatan: ${percentText(percent)} waktu target laporan ${ticketCode} telah berjalan*`,
    `Kepada: ${clip(opdName, MAX_NAME)}`,
    '',
    `Target penyelesaian: ${formatDateOnlyWib(targetDate)}. Pelapor telah menerima ringkasan perkembangan laporan ini.`,
    'Mohon percepat penanganan dan laporkan perkembangannya:',
    `• ${command('progress', ticketCode)}`,
    `• Jika sudah selesai: ${command('resolve', ticketCode)}`,
    '',
    'Jika target terlewati, laporan akan dieskalasi ke pimpinan.',
  ]);
}

export function officialDisputeText({
  ticketCode,
  reason,
  level,
}: {
  ticketCode: string;
  reason: string;
  level: number;
}): string {
  return lines([
    `*Laporan ${ticketCode} dibuka kembali*`,
    '',
    'Pelapor menyatakan laporan ini *belum tuntas*.',
    `Alasan pelapor: ${clip(reason, MAX_REASON, false)}`,
    '',
    `Laporan kembali berstatus ${lifecycleStatusLabel('in_progress')} dan kini diawasi oleh ${levelLabel(level)}.`,
    'Mohon ditindaklanjuti, lalu kirim:',
    `• ${command('progress', ticketCode)}`,
    `• ${command('resolve', ticketCode)}`,
  ]);
}

/** An admin escalated the complaint at once, without waiting for a deadline to pass. */
export function officialAdminEscalationText({
  ticketCode,
  level,
  fromLevel,
  opdName,
  status,
  reason,
  maxLevel = DEFAULT_POLICY.maxLevel,
}: {
  ticketCode: string;
  level: number;
  fromLevel: number;
  opdName: string;
  status: LifecycleStatus;
  reason?: string;
  maxLevel?: number;
}): string {
  const why = reason?.trim();
  return lines([
    `*ESKALASI TINGKAT ${level} — ${levelLabel(level)}*`,
    SERVICE,
    '',
    `${ADMIN} mengeskalasi laporan *${ticketCode}* pada ${clip(opdName, MAX_NAME)} kepada Bapak/Ibu.`,
    `• Status: ${lifecycleStatusLabel(status)}`,
    `• Penanggung jawab sebelumnya: ${levelLabel(fromLevel)}`,
    why ? `• Alasan: ${clip(why, MAX_REASON, false)}` : '• Alasan: tidak disebutkan',
    '',
    'Mohon Bapak/Ibu menindaklanjuti dan memastikan laporan ini segera ditangani. Perintah:',
    ...(status === 'routed'
      ? [`• Terima: ${command('accept', ticketCode)}`, `• Bukan kewenangan OPD ini: ${command('reroute', ticketCode)}`]
      : [`• Laporkan perkembangan: ${command('progress', ticketCode)}`, `• Sudah selesai: ${command('resolve', ticketCode)}`]),
    `• Rincian laporan: ${command('info', ticketCode)}`,
    ...(level < maxLevel ? ['', `Tanpa tindak lanjut, laporan akan dieskalasi ke ${levelLabel(level + 1)}.`] : []),
  ]);
}

/** An admin changed the difficulty: the OPD's target moves. */
export function officialDifficultyChangedText({
  ticketCode,
  opdName,
  difficulty,
  targetDate,
}: {
  ticketCode: string;
  opdName: string;
  difficulty: Difficulty;
  targetDate: Date;
}): string {
  return lines([
    `*Target laporan ${ticketCode} diperbarui*`,
    `Kepada: ${clip(opdName, MAX_NAME)}`,
    '',
    `${ADMIN} menetapkan tingkat kesulitan laporan ini menjadi *${DIFFICULTY_LABELS[difficulty]}*.`,
    `Target penyelesaian kini: ${formatDateOnlyWib(targetDate)} (dihitung dari tanggal penerimaan). Pelapor telah diberi tahu.`,
    '',
    `Mohon tetap laporkan perkembangan secara berkala: ${command('progress', ticketCode)}`,
  ]);
}

/** An admin reopened a resolved or tuntas complaint, one level up. */
export function officialReopenedByAdminText({
  ticketCode,
  reason,
  level,
}: {
  ticketCode: string;
  reason: string;
  level: number;
}): string {
  return lines([
    `*Laporan ${ticketCode} dibuka kembali*`,
    '',
    `${ADMIN} membuka kembali laporan ini karena penanganannya dinilai *belum tuntas*.`,
    `Alasan: ${clip(reason, MAX_REASON, false)}`,
    '',
    `Laporan kembali berstatus ${lifecycleStatusLabel('in_progress')} dan kini diawasi oleh ${levelLabel(level)}.`,
    'Mohon ditindaklanjuti, lalu kirim:',
    `• ${command('progress', ticketCode)}`,
    `• ${command('resolve', ticketCode)}`,
  ]);
}

export function officialHelpText(): string {
  const entry = (type: OfficialCommand['type'], meaning: string): string =>
    `• *${OFFICIAL_COMMAND_FORMATS[type]}* — ${meaning}\n  Contoh: ${OFFICIAL_COMMAND_EXAMPLES[type]}`;
  return lines([
    `*${SERVICE} — perintah untuk petugas OPD*`,
    '',
    entry('accept', `menerima laporan dan menentukan tingkat kesulitan ${difficultyGuide(DEFAULT_POLICY.targetYears)}`),
    entry('progress', 'melaporkan perkembangan (diteruskan kepada pelapor)'),
    entry('resolve', 'menyatakan laporan selesai; pelapor diminta konfirmasi'),
    entry('reroute', 'mengalihkan laporan ke OPD lain yang berwenang'),
    entry('reject', 'menolak laporan yang tidak dapat ditindaklanjuti, dengan alasan'),
    entry('list', 'daftar laporan yang sedang ditangani'),
    entry('info', 'rincian satu laporan'),
    '',
    'Kode laporan boleh ditulis huruf kecil atau tanpa tanda hubung (lk 2026 000123).',
    'Identitas pelapor dilindungi dan tidak dicantumkan dalam pesan kepada petugas.',
  ]);
}

/** To the OPD: the citizen withdrew the complaint, nothing more to do. */
export function officialWithdrawnText({ ticketCode }: { ticketCode: string }): string {
  return lines([
    `*Laporan ${ticketCode} dibatalkan pelapor*`,
    '',
    `Pelapor telah membatalkan laporan ${ticketCode}. Laporan ini tidak perlu ditindaklanjuti lagi dan semua pengingat untuknya dihentikan.`,
    'Terima kasih atas perhatian Bapak/Ibu.',
  ]);
}

/** A command that could not be carried out; `reason` says why (e.g. a parse error). */
export function officialRefusalText(reason: string): string {
  return lines(['*Perintah tidak dapat diproses*', '', clip(reason, 1200, false)]);
}

/** The answer to a command that was carried out. */
export function officialAckText(
  action: OfficialCommand['type'],
  ticketCode: string,
  details: { difficulty?: Difficulty; targetDate?: Date; opdName?: string; confirmBy?: Date } = {},
): string {
  switch (action) {
    case 'accept':
      return lines([
        `Terima kasih. Laporan ${ticketCode} telah diterima${
          details.difficulty ? ` dengan tingkat kesulitan ${DIFFICULTY_LABELS[details.difficulty]}` : ''
        }.`,
        details.targetDate ? `Target penyelesaian: ${formatDateOnlyWib(details.targetDate)}.` : null,
        `Pelapor telah kami beri tahu. Mohon laporkan perkembangan secara berkala: ${command('progress', ticketCode)}`,
      ]);
    case 'progress':
      return `Terima kasih. Perkembangan laporan ${ticketCode} telah dicatat dan diteruskan kepada pelapor.`;
    case 'resolve':
      return lines([
        `Terima kasih. Laporan ${ticketCode} dicatat selesai dan pelapor diminta mengonfirmasi${
          details.confirmBy ? ` sampai ${formatDateWib(details.confirmBy)}` : ''
        }.`,
        'Jika pelapor menyatakan belum tuntas, laporan akan dibuka kembali.',
      ]);
    case 'reroute':
      return `Terima kasih. Laporan ${ticketCode} telah dialihkan${
        details.opdName ? ` ke ${clip(details.opdName, MAX_NAME)}` : ''
      }, dan pelapor telah kami beri tahu.`;
    case 'reject':
      return `Laporan ${ticketCode} telah ditolak. Alasan penolakan diteruskan kepada pelapor.`;
    case 'list':
    case 'info':
      return `Perintah untuk laporan ${ticketCode} telah diproses.`;
  }
}

const LIST_WHAT_LABELS: Record<string, string> = {
  accept: 'Batas penerimaan',
  progress: 'Laporan perkembangan berikutnya',
  target: 'Target penyelesaian',
  confirm: 'Batas konfirmasi pelapor',
};

const MAX_LIST_CHARS = 1400;

export function officialListText(
  items: Array<{ ticketCode: string; status: LifecycleStatus; nextDeadline?: Date; what?: string }>,
): string {
  if (items.length === 0) {
    return 'Tidak ada laporan yang sedang ditangani oleh OPD Anda saat ini.';
  }
  const footer = `Kirim ${OFFICIAL_COMMAND_FORMATS.info} untuk rincian laporan.`;
  const out = [`*Daftar laporan (${items.length})*`, ''];
  let length = out.join('\n').length + footer.length + 2;
  for (const [index, item] of items.entries()) {
    const what = item.what ? (LIST_WHAT_LABELS[item.what] ?? clip(item.what, 60)) : undefined;
    const deadline = item.nextDeadline
      ? `   ${what ?? 'Batas waktu berikutnya'}: ${formatDateWib(item.nextDeadline)}`
      : what
        ? `   ${what}`
        : null;
    const entry = lines([`${index + 1}. ${item.ticketCode} — ${lifecycleStatusLabel(item.status)}`, deadline]);
    const remaining = items.length - index;
    const more = `… dan ${remaining} laporan lainnya.`;
    if (length + entry.length + 1 + (remaining > 1 ? more.length + 1 : 0) > MAX_LIST_CHARS) {
      out.push(more);
      break;
    }
    out.push(entry);
    length += entry.length + 1;
  }
  out.push('', footer);
  return out.join('\n');
}

export function officialInfoText({
  ticketCode,
  status,
  kind,
  category,
  description,
  kecamatan,
  opdName,
  level,
  targetDate,
  submittedAt,
}: {
  ticketCode: string;
  status: LifecycleStatus;
  kind: ReportKind;
  category: Category;
  description: string;
  kecamatan?: string;
  opdName: string;
  level: number;
  targetDate?: Date;
  submittedAt: Date;
}): string {
  return lines([
    `*Rincian laporan ${ticketCode}*`,
    `• Status: ${lifecycleStatusLabel(status)}`,
    `• Jenis: ${kindLabel(kind)}`,
    `• Kategori: ${categoryLabel(category)}`,
    kecamatan ? `• Kecamatan: ${clip(kecamatan, MAX_NAME)}` : null,
    `• OPD: ${clip(opdName, MAX_NAME)}`,
    `• Tingkat pengawasan: ${level} (${levelLabel(level)})`,
    `• Masuk: ${formatDateWib(submittedAt)}`,
    targetDate ? `• Target penyelesaian: ${formatDateOnlyWib(targetDate)}` : null,
    '',
    '*Uraian:*',
    clip(description, MAX_DESCRIPTION, false),
    '',
    'Identitas pelapor dilindungi dan tidak dicantumkan dalam pesan ini.',
  ]);
}

// ---------------------------------------------------------------------------------------------

/**
 * Masks any 16-digit number (a NIK typed into free text, also with spaces, dots or dashes) and
 * cuts the text to about `max` characters at a word boundary. `singleLine` folds line breaks.
 */
function clip(text: string, max: number, singleLine = true): string {
  let result = text.replace(/\d(?:[\s.\-]?\d){15,}/g, (digits) => {
    const plain = digits.replace(/\D/g, '');
    return plain.length === 16 ? maskNik(plain) : '*'.repeat(Math.min(plain.length, 20));
  });
  if (singleLine) result = result.replace(/\s+/g, ' ');
  else result = result.replace(/[ \t]+\n/g, '\n').replace(/\n{3,}/g, '\n\n');
  result = result.trim();
  if (result.length <= max) return result;
  const cut = result.slice(0, max);
  const lastSpace = Math.max(cut.lastIndexOf(' '), cut.lastIndexOf('\n'));
  return `${(lastSpace > max * 0.6 ? cut.slice(0, lastSpace) : cut).replace(/[\s,.;:]+$/, '')}…`;
}
