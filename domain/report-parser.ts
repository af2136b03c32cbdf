// Reading citizens' WhatsApp messages: labelled report forms ("Nama: ..."), single answers
// to a question, commands (STATUS, MENU, BATAL) and greetings. Pure and deterministic.

import { findKecamatan } from './kecamatan';
import { validateNik } from './nik';
import type { Category, ReportDraft, ReportField, ReportKind } from './report';

export interface ParsedReportText {
  name?: string;
  address?: string;
  nikRaw?: string;
  kind?: ReportKind;
  category?: Category;
  /** A category was given but not recognised. */
  categoryText?: string;
  description?: string;
  locationText?: string;
  /** At least one labelled line was found. */
  labelled: boolean;
}

export type Command =
  | { type: 'status'; ticketCode: string }
  | { type: 'status_missing_code' }
  | { type: 'help' }
  | { type: 'greeting' }
  | { type: 'cancel' };

// ---------------------------------------------------------------------------------------------
// Labels

type LabelTarget =
  | { field: 'name' | 'address' | 'nik' | 'category' | 'kind' }
  /** keepLabel: the label is part of the content ("Waktu kejadian: ..."). */
  | { field: 'description'; kind?: ReportKind; keepLabel?: boolean }
  /** addressPart: right after "Alamat:" it continues the address (Desa, Kec., RT/RW). */
  | { field: 'location'; prefix?: string; addressPart?: boolean }
  /** Recognised so it does not run into the field above, but not kept. */
  | { field: 'ignored' };

/** Keys are normalised labels: lowercase, no dots or markers, single spaces. */
const LABELS: Record<string, LabelTarget> = {};

function addLabels(target: LabelTarget, labels: string[]): void {
  for (const label of labels) LABELS[label] = target;
}

addLabels({ field: 'name' }, ['nama', 'nama lengkap', 'nama pelapor']);
addLabels({ field: 'address' }, ['alamat', 'alamat lengkap', 'alamat pelapor', 'alamat rumah', 'domisili']);
addLabels({ field: 'nik' }, [
  'nik', 'no nik', 'nomor nik', 'nik ktp', 'no nik ktp', 'nomor induk kependudukan',
  'ktp', 'no ktp', 'nomor ktp',
]);
addLabels({ field: 'category' }, ['kategori', 'kategori aduan', 'kategori laporan', 'bidang']);
addLabels({ field: 'kind' }, ['jenis', 'jenis laporan', 'jenis aduan']);
addLabels({ field: 'description', kind: 'aduan' }, ['aduan', 'pengaduan', 'keluhan']);
addLabels({ field: 'description', kind: 'usul' }, ['usul', 'usulan']);
addLabels({ field: 'description', kind: 'saran' }, ['saran']);
addLabels({ field: 'description', kind: 'nasihat' }, ['nasihat', 'nasehat']);
addLabels({ field: 'description' }, [
  'laporan', 'isi', 'isi laporan', 'isi aduan', 'isi pengaduan', 'uraian', 'uraian laporan',
  'kronologi', 'kronologis', 'masukan', 'aspirasi',
]);
addLabels({ field: 'description', keepLabel: true }, [
  'waktu', 'waktu kejadian', 'tanggal', 'tanggal kejadian', 'tgl kejadian', 'hari/tanggal',
]);
addLabels({ field: 'location' }, ['lokasi', 'lokasi kejadian', 'tempat', 'tempat kejadian']);
addLabels({ field: 'location', prefix: 'Kec.', addressPart: true }, ['kecamatan', 'kec']);
addLabels({ field: 'location', prefix: 'RT/RW', addressPart: true }, ['rt/rw']);
addLabels({ field: 'location', prefix: 'Desa', addressPart: true }, [
  'desa', 'ds', 'kelurahan', 'kel', 'desa/kelurahan', 'kelurahan/desa', 'desa/kel', 'kel/desa',
]);
// The phone number is already known from WhatsApp, and the rest is not asked for.
addLabels({ field: 'ignored' }, [
  'hp', 'no hp', 'nomor hp', 'wa', 'no wa', 'nomor wa', 'hp/wa', 'no hp/wa', 'no wa/hp', 'telp', 'no telp',
  'telepon', 'no telepon', 'email', 'e-mail', 'pekerjaan', 'umur', 'usia', 'jenis kelamin', 'ttl',
  'tempat/tanggal lahir', 'tempat tanggal lahir', 'tanggal lahir', 'tgl lahir', 'agama',
]);

// A labelled line: optional list numbering or bullet, optional WhatsApp markers (*bold*,
// _italic_, ~strike~), the label, then a separator. A dash only counts as a separator next
// to a space, so hyphenated words ("lain-lain") are not split.
const LIST_MARKER = String.raw`(?:\d{1,2}\s*[.)]\s*|[a-e][.)]\s+|[-•·]\s+)?`;
const LABELLED_LINE = new RegExp(
  String.raw`^[\s*_~]*${LIST_MARKER}[*_~\s]*([a-z][a-z./ \-]{0,40}?)[*_~\s]*(?::|：|=|\s[-–—]|[-–—]\s)[*_~\s]*(.*)$`,
  'i',
);
// "NIK 3513..." is clear enough without a separator.
const UNSEPARATED_NIK_LINE = new RegExp(String.raw`^[\s*_~]*${LIST_MARKER}[*_~\s]*([a-z][a-z. ]{0,30}?)[*_~\s]+(\d.*)$`, 'i');

interface LabelledLine {
  label: string;
  target: LabelTarget;
  value: string;
}

function normaliseLabel(label: string): string {
  return label
    .toLowerCase()
    .replace(/[.*_~]/g, ' ')
    .replace(/\s*\/\s*/g, '/')
    .replace(/\s+/g, ' ')
    .trim();
}

function readLabelledLine(line: string): LabelledLine | null {
  const match = LABELLED_LINE.exec(line);
  if (match) {
    const target = LABELS[normaliseLabel(match[1])];
    if (target) return { label: match[1].trim(), target, value: match[2] };
  }
  const nikMatch = UNSEPARATED_NIK_LINE.exec(line);
  if (nikMatch && LABELS[normaliseLabel(nikMatch[1])]?.field === 'nik') {
    return { label: nikMatch[1].trim(), target: { field: 'nik' }, value: nikMatch[2] };
  }
  return null;
}

/** Trailing WhatsApp markers left over from "*Nama:* Siti*" style formatting. */
function cleanValue(value: string): string {
  return value.replace(/[*_~]+\s*$/, '').trim();
}

// ---------------------------------------------------------------------------------------------
// Greetings

// Each word of a greeting-only message must match one of these.
const GREETING_WORDS: RegExp[] = [
  /^h+[ae]+l+o+w?$/, // halo, hallo, hello, helo
  /^ha+[iy]+$/, /^hi+$/, /^he+[iy]$/, /^hy$/,
  /^p+$/, /^ping$/, /^permisi$/, /^punten$/, /^sugeng$/,
  /^(mi)?min$/, /^admin$/, /^kak$/, /^pak$/, /^bu$/, /^bapak$/, /^ibu$/, /^mas$/, /^mba?k$/, /^gan$/,
  /^te?st(ing)?$/, /^tes$/,
  /^(selamat|slmt|met)$/, /^(pagi|siang|sore|malam|petang|enjing|sonten|dalu)$/,
  /^as+a?l+a*m+u*a?l+[ae]*i*k+[uoe]*m+$/, // assalamualaikum, asalamualaikum, aslmualaikum ...
  /^as+a?l+a*m+u*$/, /^a?l+[ae]*i*k+[uoe]*m+$/, // "assalamu alaikum"
  /^(aslm|aslmkm|askum|ass|salam|wassalam)$/,
  /^(wr|wb|warahmatullahi|warohmatullahi|wabarakatuh|wabarokatuh|warahmatullah)$/,
];

// Closing pleasantries, dropped when they trail a labelled report.
const CLOSING_WORDS = /^(terima|kasih|terimakasih|makasih|matur|nuwun|suwun|trims|thanks|thx|tks|mohon|ditindaklanjuti|segera|wassalamualaikum|wassalam)$/;

function words(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/['’`]/g, '')
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
}

/** The message is only a greeting ("Assalamualaikum", "Selamat pagi min", "Halo"). */
export function isGreeting(text: string): boolean {
  const ws = words(text);
  return ws.length > 0 && ws.every((w) => GREETING_WORDS.some((pattern) => pattern.test(w)));
}

function isPleasantry(text: string): boolean {
  const ws = words(text);
  return (
    ws.length > 0 && ws.every((w) => CLOSING_WORDS.test(w) || GREETING_WORDS.some((pattern) => pattern.test(w)))
  );
}

function hasContent(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

// ---------------------------------------------------------------------------------------------
// Category and kind

interface Vocabulary<T> {
  /** The proper names; these win over synonyms when both appear. */
  primary: Record<string, T>;
  synonyms: Record<string, T>;
}

const CATEGORY_WORDS: Vocabulary<Category> = {
  primary: {
    pendidikan: 'pendidikan',
    kesehatan: 'kesehatan',
    infrastruktur: 'infrastruktur',
    'layanan publik': 'layanan_publik',
    'pelayanan publik': 'layanan_publik',
    'layanan masyarakat': 'layanan_publik',
    lainnya: 'lainnya',
  },
  synonyms: {
    '1': 'pendidikan',
    sekolah: 'pendidikan',
    '2': 'kesehatan',
    '3': 'infrastruktur',
    infra: 'infrastruktur',
    jalan: 'infrastruktur',
    '4': 'layanan_publik',
    pelayanan: 'layanan_publik',
    layanan: 'layanan_publik',
    '5': 'lainnya',
    lain: 'lainnya',
  },
};

const KIND_WORDS: Vocabulary<ReportKind> = {
  primary: {
    aduan: 'aduan',
    pengaduan: 'aduan',
    keluhan: 'aduan',
    usul: 'usul',
    usulan: 'usul',
    saran: 'saran',
    nasihat: 'nasihat',
    nasehat: 'nasihat',
  },
  synonyms: { aspirasi: 'usul' },
};

/** The single value the text names, or undefined when it names none or several. */
function lookUp<T>(text: string, vocabulary: Vocabulary<T>): T | undefined {
  const padded = ` ${words(text).join(' ')} `;
  for (const table of [vocabulary.primary, vocabulary.synonyms]) {
    const found = new Set(
      Object.entries(table)
        .filter(([phrase]) => padded.includes(` ${phrase} `))
        .map(([, value]) => value),
    );
    if (found.size === 1) return [...found][0];
    if (found.size > 1) return undefined;
  }
  return undefined;
}

/** "Infrastruktur", "3", "layanan publik", "lain-lain" ... */
export function parseCategory(text: string): Category | undefined {
  return lookUp(text, CATEGORY_WORDS);
}

/** "Aduan", "usulan", "nasehat", "aspirasi" ... */
export function parseKind(text: string): ReportKind | undefined {
  return lookUp(text, KIND_WORDS);
}

// Keywords for guessing a category from a description. Whole words, lowercase.
const CATEGORY_KEYWORDS: Record<Exclude<Category, 'lainnya'>, string[]> = {
  pendidikan: [
    'sekolah', 'guru', 'sd', 'sdn', 'smp', 'smpn', 'sma', 'sman', 'smk', 'smkn', 'mi', 'mts', 'tk', 'paud',
    'pip', 'beasiswa', 'ijazah', 'murid', 'siswa', 'kip', 'ppdb', 'zonasi',
  ],
  kesehatan: [
    'puskesmas', 'rumah sakit', 'rs', 'rsud', 'bidan', 'dokter', 'perawat', 'bpjs', 'kis', 'obat', 'posyandu',
    'stunting', 'pustu', 'polindes', 'ambulans', 'ambulance', 'gizi', 'imunisasi', 'vaksin', 'dbd',
  ],
  infrastruktur: [
    'jalan', 'jembatan', 'berlubang', 'rusak', 'lampu jalan', 'pju', 'drainase', 'saluran', 'banjir',
    'irigasi', 'aspal', 'gorong gorong', 'tanggul', 'plengsengan', 'longsor',
  ],
  layanan_publik: [
    'ktp', 'e ktp', 'ektp', 'kk', 'kartu keluarga', 'akta', 'akte', 'dukcapil', 'perizinan', 'izin', 'ijin',
    'pelayanan', 'antre', 'antri', 'antrean', 'antrian', 'pungli', 'kantor desa', 'surat keterangan',
  ],
};

// "Mohon izin melaporkan ..." is politeness, not a complaint about permits.
const POLITE_IZIN = / (?:mohon|minta|maaf|permisi) (?:izin|ijin) | (?:izin|ijin) (?:lapor|melapor|melaporkan|bertanya|tanya|menyampaikan|min|pak|bu) /g;

/** A best guess of the category from keywords; undefined when nothing matches or it is a tie. */
export function inferCategory(description: string): Category | undefined {
  const padded = ` ${words(description).join(' ')} `.replace(POLITE_IZIN, '  ');
  const scores = Object.entries(CATEGORY_KEYWORDS).map(([category, keywords]) => ({
    category: category as Category,
    score: keywords.filter((keyword) => padded.includes(` ${keyword} `)).length,
  }));
  const best = Math.max(...scores.map((s) => s.score));
  const leaders = scores.filter((s) => s.score === best);
  return best > 0 && leaders.length === 1 ? leaders[0].category : undefined;
}

// ---------------------------------------------------------------------------------------------
// Commands

const HELP_WORDS = new Set(['menu', 'bantuan', 'help', 'info', 'informasi', 'panduan', 'format']);
const CANCEL_PHRASES = new Set(['batal', 'batalkan', 'batalkan laporan', 'batal laporan', 'cancel']);
const TICKET_CODE = /^l\s*k[\s\-_.]*(\d{4})[\s\-_./]*(\d{1,6})$/;
const TICKET_CODE_WITHOUT_PREFIX = /^(\d{4})[\s\-_./]+(\d{1,6})$/;

function normaliseTicketCode(text: string): string | null {
  const match = TICKET_CODE.exec(text) ?? TICKET_CODE_WITHOUT_PREFIX.exec(text);
  if (!match || Number(match[2]) === 0) return null;
  return `LK-${match[1]}-${match[2].padStart(6, '0')}`;
}

export function parseCommand(text: string): Command | null {
  const plain = text.replace(/[*_~]/g, '').trim().toLowerCase();
  const phrase = words(plain).join(' ');
  if (phrase === '' && plain !== '?') return null;

  const status = /^(?:cek\s+|lihat\s+)?status(?:\s+laporan(?:\s+saya)?)?[\s:=\-–]*(.*)$/.exec(plain);
  if (status) {
    const rest = status[1].replace(/[.!?]+$/, '').trim();
    const ticketCode = normaliseTicketCode(rest);
    if (ticketCode) return { type: 'status', ticketCode };
    // "status", "status laporan saya?", a mistyped code — but not a report that happens to
    // start with "Status ...".
    if (words(rest).length <= 2 || /^(?:l\s*k|\d)/.test(rest)) return { type: 'status_missing_code' };
    return null;
  }
  // A bare ticket code is a status question too.
  const bareCode = /^l\s*k/.test(plain) ? normaliseTicketCode(plain.replace(/[.!?]+$/, '')) : null;
  if (bareCode) return { type: 'status', ticketCode: bareCode };

  if (HELP_WORDS.has(phrase) || plain === '?') return { type: 'help' };
  if (CANCEL_PHRASES.has(phrase)) return { type: 'cancel' };
  if (isGreeting(plain)) return { type: 'greeting' };
  return null;
}

// ---------------------------------------------------------------------------------------------
// Report text

interface DescriptionPart {
  label?: string;
  text: string;
  /** "Waktu kejadian: ..." adds to a description but is not one by itself. */
  supplementary: boolean;
}

type Slot =
  | { field: 'name' | 'address' | 'nik' | 'category' | 'kind' }
  | { field: 'description'; part: DescriptionPart }
  | { field: 'location'; index: number }
  | { field: 'ignored' };

export function parseReportText(text: string, expecting?: ReportField): ParsedReportText {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const labelledLines = lines.map(readLabelledLine);

  if (!labelledLines.some((line) => line !== null)) {
    return parseUnlabelled(text.trim(), expecting);
  }

  const single: Partial<Record<'name' | 'address' | 'nik' | 'category' | 'kind', string>> = {};
  const descriptionParts: DescriptionPart[] = [];
  const locationParts: string[] = [];
  const preamble: string[] = [];
  let descriptionKind: ReportKind | undefined;
  let slot: Slot | null = null;

  for (const [i, line] of lines.entries()) {
    const labelled = labelledLines[i];
    if (labelled) {
      const value = cleanValue(labelled.value);
      const target = labelled.target;
      if (target.field === 'ignored') {
        slot = { field: 'ignored' };
      } else if (target.field === 'description') {
        const keepLabel = target.keepLabel || descriptionParts.length > 0;
        const part = { label: keepLabel ? labelled.label : undefined, text: value, supplementary: !!target.keepLabel };
        descriptionParts.push(part);
        descriptionKind ??= target.kind;
        slot = { field: 'description', part };
      } else if (target.field === 'location' && target.addressPart && slot?.field === 'address') {
        if (value) single.address = joinParts(single.address ?? '', `${target.prefix} ${value}`);
      } else if (target.field === 'location') {
        locationParts.push(value && target.prefix ? `${target.prefix} ${value}` : value);
        slot = { field: 'location', index: locationParts.length - 1 };
      } else {
        // A repeated label: the later value wins.
        single[target.field] = value;
        slot = { field: target.field };
      }
      continue;
    }

    const content = cleanValue(line.replace(/^[*_~]+/, ''));
    if (!hasContent(content)) continue;
    if (slot === null) {
      preamble.push(content);
    } else if (!isPleasantry(content)) {
      // Unlabelled lines continue the field above them.
      if (slot.field === 'ignored') continue;
      if (slot.field === 'description') slot.part.text = joinLines(slot.part.text, content);
      else if (slot.field === 'location') locationParts[slot.index] = joinLines(locationParts[slot.index], content);
      else single[slot.field] = joinLines(single[slot.field] ?? '', content);
    }
  }

  const parsed: ParsedReportText = { labelled: true };
  if (single.name) parsed.name = single.name;
  if (single.address) parsed.address = single.address;
  if (single.nik) parsed.nikRaw = single.nik;
  if (single.category) setCategory(parsed, single.category);

  const statedKind = single.kind ? parseKind(single.kind) : undefined;
  const kind = statedKind ?? descriptionKind;
  if (kind) parsed.kind = kind;

  // Text before the first label is the description only when no label gave one,
  // and greetings or a lead-in ("Berikut laporan saya:") are not.
  const hasMainDescription = descriptionParts.some((part) => part.text && !part.supplementary);
  const preambleText = preamble.filter((line) => !isPleasantry(line) && !line.endsWith(':')).join('\n');
  const description = [
    hasMainDescription ? '' : preambleText,
    ...descriptionParts.filter((part) => part.text).map((part) => (part.label ? `${part.label}: ${part.text}` : part.text)),
  ]
    .filter(Boolean)
    .join('\n');
  if (description) parsed.description = description;

  const location = locationParts.filter(Boolean).join(', ');
  if (location) parsed.locationText = location;

  // "Desa: ..., Kec: ..." in answer to "what is your address?" is the address.
  if (expecting === 'address' && !parsed.address && parsed.locationText) parsed.address = parsed.locationText;

  return parsed;
}

function parseUnlabelled(text: string, expecting: ReportField | undefined): ParsedReportText {
  const parsed: ParsedReportText = { labelled: false };
  if (!hasContent(text) || isGreeting(text)) return parsed;

  switch (expecting) {
    case 'name':
      parsed.name = text.replace(/^(?:nama\s+saya|saya)\s+(?:adalah\s+|bernama\s+)?/i, '');
      break;
    case 'address':
      parsed.address = text;
      break;
    case 'nik':
      parsed.nikRaw = extractNikCandidate(text);
      break;
    case 'category':
      setCategory(parsed, text);
      break;
    case 'evidence':
      // Only a photo or video answers this question.
      break;
    case 'description':
    case undefined:
      parsed.description = text;
      break;
  }
  return parsed;
}

/** "NIK saya 3513 0155 0890 0001" → the number; anything less clear is passed on whole. */
function extractNikCandidate(text: string): string {
  const numbers = text.match(/\d[\d\s.\-]*\d|\d/g) ?? [];
  return numbers.length === 1 ? numbers[0] : text;
}

function setCategory(parsed: ParsedReportText, text: string): void {
  const category = parseCategory(text);
  if (category) parsed.category = category;
  else parsed.categoryText = text;
}

function joinLines(previous: string, next: string): string {
  return previous ? `${previous}\n${next}` : next;
}

function joinParts(previous: string, next: string): string {
  return previous ? `${previous}, ${next}` : next;
}

// ---------------------------------------------------------------------------------------------
// Drafts

export interface MergeResult {
  draft: ReportDraft;
  /** Why the NIK that was sent is not valid (never contains the NIK). */
  nikError?: string;
  categoryUnrecognised?: boolean;
}

/** Applies what the citizen just sent to the report so far. Returns a new draft. */
export function mergeIntoDraft(draft: ReportDraft, parsed: ParsedReportText): MergeResult {
  const next: ReportDraft = { ...draft, evidence: [...draft.evidence] };
  const result: MergeResult = { draft: next };

  const name = parsed.name?.replace(/\s+/g, ' ').trim();
  if (name) next.name = tidyNameCase(name);

  const address = parsed.address?.trim();
  if (address) next.address = address;

  if (parsed.nikRaw !== undefined) {
    const nik = validateNik(parsed.nikRaw);
    if (nik.ok) {
      next.nik = nik.nik;
      next.outsideRegency = nik.outsideRegency;
    } else {
      result.nikError = nik.message;
    }
  }

  if (parsed.kind) {
    next.kind = parsed.kind;
    next.kindGiven = true;
  }

  if (parsed.category) {
    next.category = parsed.category;
    next.categoryInferred = false;
  } else if (parsed.categoryText !== undefined) {
    result.categoryUnrecognised = true;
  }

  const description = parsed.description?.trim();
  if (description) {
    next.description = description;
    // Guess (or re-guess) the category unless the citizen chose one.
    if (!next.category || next.categoryInferred) {
      const inferred = inferCategory(description);
      next.category = inferred;
      next.categoryInferred = inferred !== undefined;
      if (!inferred) delete next.category;
    }
  }

  const locationText = parsed.locationText?.trim();
  if (locationText) next.locationText = locationText;

  withKecamatan(next);
  return result;
}

/** A location shared with WhatsApp's location button. Invalid coordinates are ignored. */
export function withLocation(draft: ReportDraft, latitude: number, longitude: number, label?: string): ReportDraft {
  const next: ReportDraft = { ...draft, evidence: [...draft.evidence] };
  if (!isCoordinate(latitude, 90) || !isCoordinate(longitude, 180)) return next;
  next.latitude = latitude;
  next.longitude = longitude;
  const place = label?.trim();
  if (place) next.locationText = place;
  withKecamatan(next);
  return next;
}

function isCoordinate(value: number, limit: number): boolean {
  return Number.isFinite(value) && Math.abs(value) <= limit;
}

function withKecamatan(draft: ReportDraft): void {
  const kecamatan =
    (draft.locationText && findKecamatan(draft.locationText)) ||
    (draft.address && findKecamatan(draft.address)) ||
    draft.kecamatan;
  if (kecamatan) draft.kecamatan = kecamatan;
}

/** "SITI AMINAH" and "siti aminah" become "Siti Aminah"; mixed case is left as typed. */
export function tidyNameCase(name: string): string {
  const allCaps = name === name.toUpperCase();
  const allLower = name === name.toLowerCase();
  if (!allCaps && !allLower) return name;
  return name.toLowerCase().replace(/(^|[\s\-])(\p{L})/gu, (_, before: string, letter: string) => before + letter.toUpperCase());
}
