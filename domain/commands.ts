// WhatsApp commands that move a complaint along its lifecycle: those of OPD officials (TERIMA,
// PROGRES, SELESAI, ALIHKAN, TOLAK, DAFTAR, INFO) and those of citizens (YA, TIDAK, NILAI, BATAL).
// Quick-reply buttons carry the same text in their ButtonPayload, so both go through here.
//
// Tolerant like the rest of the parser: any case, extra spaces, WhatsApp markers (*bold*),
// punctuation after the command word ("Terima: ..."), and ticket codes typed in lower case or
// without dashes ("lk 2026 000123", "LK2026000123" → LK-2026-000123). Pure and deterministic.
//
// A result of null means "not a command": the text is left to the rest of the conversation.
// { ok: false } means the command word was recognised but the rest is not right; the error is
// Bahasa Indonesia, says what is wrong and shows the right form. Errors never echo what was
// sent (it could hold a NIK).

import { parseDifficulty, type Difficulty } from './policy';

export type OfficialCommand =
  | { type: 'accept'; ticketCode: string; difficulty: Difficulty }
  | { type: 'progress'; ticketCode: string; note: string }
  | { type: 'resolve'; ticketCode: string; note: string }
  | { type: 'reroute'; ticketCode: string; opdCode: string }
  | { type: 'reject'; ticketCode: string; reason: string }
  | { type: 'list' }
  | { type: 'info'; ticketCode: string };

export type CitizenCommand =
  | { type: 'confirm'; ticketCode: string }
  | { type: 'dispute'; ticketCode: string; reason: string }
  | { type: 'rate'; ticketCode: string; rating: 1 | 2 | 3 | 4 | 5 }
  | { type: 'withdraw'; ticketCode: string };

export type CommandParse<T> = { ok: true; command: T } | { ok: false; error: string } | null;

const EXAMPLE_TICKET = 'LK-2026-000123';

/** The form of each official command, as shown in errors and in the help text. */
export const OFFICIAL_COMMAND_FORMATS = {
  accept: 'TERIMA <kode> RINGAN|SEDANG|BERAT',
  progress: 'PROGRES <kode> <catatan>',
  resolve: 'SELESAI <kode> <catatan>',
  reroute: 'ALIHKAN <kode> <kode OPD>',
  reject: 'TOLAK <kode> <alasan>',
  list: 'DAFTAR',
  info: 'INFO <kode>',
} as const satisfies Record<OfficialCommand['type'], string>;

export const OFFICIAL_COMMAND_EXAMPLES = {
  accept: `TERIMA ${EXAMPLE_TICKET} SEDANG`,
  progress: `PROGRES ${EXAMPLE_TICKET} Pengaspalan sudah 40%, dilanjutkan minggu depan.`,
  resolve: `SELESAI ${EXAMPLE_TICKET} Jalan sudah diaspal ulang sepanjang 200 meter.`,
  reroute: `ALIHKAN ${EXAMPLE_TICKET} DINKES`,
  reject: `TOLAK ${EXAMPLE_TICKET} Lokasi berada di jalan nasional, bukan kewenangan kabupaten.`,
  list: 'DAFTAR',
  info: `INFO ${EXAMPLE_TICKET}`,
} as const satisfies Record<OfficialCommand['type'], string>;

export const CITIZEN_COMMAND_FORMATS = {
  confirm: 'YA <kode>',
  dispute: 'TIDAK <kode> <alasan>',
  rate: 'NILAI <kode> <1-5>',
  withdraw: 'BATAL <kode>',
} as const satisfies Record<CitizenCommand['type'], string>;

export const CITIZEN_COMMAND_EXAMPLES = {
  confirm: `YA ${EXAMPLE_TICKET}`,
  dispute: `TIDAK ${EXAMPLE_TICKET} Jalan masih berlubang di depan sekolah.`,
  rate: `NILAI ${EXAMPLE_TICKET} 5`,
  withdraw: `BATAL ${EXAMPLE_TICKET}`,
} as const satisfies Record<CitizenCommand['type'], string>;

// ---------------------------------------------------------------------------------------------
// Ticket codes

// The same spellings report-parser accepts for STATUS: "LK-2026-000123", "lk 2026 123",
// "LK2026000123", and "2026-000123" without the prefix (then with all six digits).
const CODE_AT_START = /^(?:(?:laporan|aduan)\s+)?(?:l\s*k[\s\-_.]*(\d{4})[\s\-_./]*(\d{1,6})|(\d{4})[\s\-_./]+(\d{6}))(?!\d)/i;
/** Something that was meant to be a ticket code but is not one ("LK-2026", "2026 12345678"). */
const CODE_ATTEMPT = /^(?:(?:laporan|aduan)\s+)?(?:l\s*k(?![a-z])|\d{4}[\s\-_./]*\d)/i;

/** "lk 2026 123" → "LK-2026-000123"; null when the whole text is not a ticket code. */
export function normaliseTicketCode(text: string): string | null {
  const trimmed = text.replace(/[*_~]/g, ' ').trim();
  const read = readCode(trimmed);
  return read && !hasContent(read.rest) ? read.code : null;
}

function readCode(text: string): { code: string; rest: string } | null {
  const match = CODE_AT_START.exec(text);
  if (!match) return null;
  const year = match[1] ?? match[3];
  const sequence = match[2] ?? match[4];
  if (Number(sequence) === 0) return null;
  return { code: `LK-${year}-${sequence.padStart(6, '0')}`, rest: text.slice(match[0].length) };
}

// ---------------------------------------------------------------------------------------------
// Reading a command

interface CommandText {
  /** The command word, lower case. */
  word: string;
  /** What follows it, separators removed, original case. */
  rest: string;
}

/** Removes formatting that wraps the whole message ("*TERIMA LK-... RINGAN*"). */
function unwrap(text: string): string {
  let result = text.trim();
  while (result.length >= 2 && /^([*_~])[\s\S]*\1$/.test(result)) result = result.slice(1, -1).trim();
  return result;
}

function splitCommand(text: string): CommandText | null {
  const match = /^[\s*_~]*([a-z]+)([\s\S]*)$/i.exec(unwrap(text));
  if (!match) return null;
  return { word: match[1].toLowerCase(), rest: stripLeadingSeparators(match[2]) };
}

/** "*:  LK-..." → "LK-..."; also "_" for button payloads such as "YA_LK-2026-000123". */
function stripLeadingSeparators(text: string): string {
  return text.replace(/^[\s*_~:=.,;!?|/\\\-–—]+/, '');
}

/** After the code: markers, then at most one separator, so a note keeps its own punctuation. */
function stripAfterCode(text: string): string {
  return text.replace(/^[\s*_~]*(?:[:=,;|/.\-–—]\s*)?/, '').trim();
}

function hasContent(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}

type CodeRead =
  | { ok: true; code: string; rest: string }
  | { ok: false; missing: boolean };

function readLeadingCode(rest: string): CodeRead {
  const read = readCode(rest);
  if (read) return { ok: true, code: read.code, rest: stripAfterCode(read.rest) };
  return { ok: false, missing: !hasContent(rest) };
}

function fail<T>(problem: string, format: string, example: string): CommandParse<T> {
  return { ok: false, error: `Maaf, ${problem}\nFormat: ${format}\nContoh: ${example}` };
}

function codeProblem(missing: boolean): string {
  return missing
    ? 'kode laporan belum disertakan.'
    : `kode laporan tidak dikenali. Kode laporan berbentuk ${EXAMPLE_TICKET}.`;
}

// ---------------------------------------------------------------------------------------------
// Officials

const OFFICIAL_WORDS: Record<string, OfficialCommand['type']> = {
  terima: 'accept',
  progres: 'progress',
  progress: 'progress',
  selesai: 'resolve',
  alihkan: 'reroute',
  tolak: 'reject',
  daftar: 'list',
  info: 'info',
};

const OPD_CODE = /^[A-Za-z0-9]+(?:[._\-/][A-Za-z0-9]+)*/;

export function parseOfficialCommand(text: string): CommandParse<OfficialCommand> {
  const split = splitCommand(text);
  if (!split || !Object.hasOwn(OFFICIAL_WORDS, split.word)) return null;
  const type = OFFICIAL_WORDS[split.word];
  // "Terima kasih" is thanks, not TERIMA.
  if (type === 'accept' && /^(?:kasih|kasi|ksh|ksih)(?![a-z])/i.test(split.rest)) return null;
  if (type === 'list') return { ok: true, command: { type: 'list' } };

  const format = OFFICIAL_COMMAND_FORMATS[type];
  const example = OFFICIAL_COMMAND_EXAMPLES[type];
  const code = readLeadingCode(split.rest);
  if (!code.ok) return fail(codeProblem(code.missing), format, example);
  const ticketCode = code.code;
  const rest = code.rest;

  switch (type) {
    case 'info':
      return { ok: true, command: { type: 'info', ticketCode } };
    case 'accept': {
      if (!hasContent(rest)) return fail('tingkat kesulitan belum disertakan.', format, example);
      const difficulty = parseDifficulty(rest) ?? parseDifficulty(rest.split(/[\s,;.]+/)[0]);
      if (!difficulty) {
        return fail('tingkat kesulitan harus RINGAN (1 tahun), SEDANG (2 tahun), atau BERAT (3 tahun).', format, example);
      }
      return { ok: true, command: { type: 'accept', ticketCode, difficulty } };
    }
    case 'progress':
    case 'resolve': {
      if (!hasContent(rest)) {
        const what = type === 'progress' ? 'catatan perkembangan' : 'catatan penyelesaian';
        return fail(`${what} belum disertakan.`, format, example);
      }
      return { ok: true, command: { type, ticketCode, note: rest } };
    }
    case 'reroute': {
      const opd = OPD_CODE.exec(rest);
      if (!opd) return fail('kode OPD tujuan belum disertakan.', format, example);
      return { ok: true, command: { type: 'reroute', ticketCode, opdCode: opd[0].toUpperCase() } };
    }
    case 'reject': {
      if (!hasContent(rest)) return fail('alasan penolakan belum disertakan.', format, example);
      return { ok: true, command: { type: 'reject', ticketCode, reason: rest } };
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Citizens

const CITIZEN_WORDS: Record<string, CitizenCommand['type']> = {
  ya: 'confirm',
  iya: 'confirm',
  tidak: 'dispute',
  tdk: 'dispute',
  nilai: 'rate',
  batal: 'withdraw',
  batalkan: 'withdraw',
};

const RATING_WORDS: Record<string, 1 | 2 | 3 | 4 | 5> = { satu: 1, dua: 2, tiga: 3, empat: 4, lima: 5 };

/**
 * YA, TIDAK, NILAI and BATAL are everyday words, so they are a command only when a ticket code
 * (or something meant as one) follows: "Tidak ada lampu jalan" and "Nilai rapor ..." are not.
 * A bare YA, TIDAK or NILAI is an incomplete command; a bare BATAL cancels the report being
 * written and is handled by the conversation (null here).
 */
export function parseCitizenCommand(text: string): CommandParse<CitizenCommand> {
  const split = splitCommand(text);
  if (!split || !Object.hasOwn(CITIZEN_WORDS, split.word)) return null;
  const type = CITIZEN_WORDS[split.word];
  const format = CITIZEN_COMMAND_FORMATS[type];
  const example = CITIZEN_COMMAND_EXAMPLES[type];

  const code = readLeadingCode(split.rest);
  if (!code.ok) {
    if (code.missing) return type === 'withdraw' ? null : fail(codeProblem(true), format, example);
    return CODE_ATTEMPT.test(split.rest) ? fail(codeProblem(false), format, example) : null;
  }
  const ticketCode = code.code;
  const rest = code.rest;

  switch (type) {
    case 'confirm':
      return { ok: true, command: { type: 'confirm', ticketCode } };
    case 'withdraw':
      return { ok: true, command: { type: 'withdraw', ticketCode } };
    case 'dispute':
      if (!hasContent(rest)) return fail('mohon sertakan alasan mengapa laporan belum tuntas.', format, example);
      return { ok: true, command: { type: 'dispute', ticketCode, reason: rest } };
    case 'rate': {
      if (rest === '') return fail('nilai belum disertakan. Berikan nilai 1 sampai 5.', format, example);
      const rating = parseRating(rest);
      if (!rating) return fail('nilai harus berupa angka 1 sampai 5.', format, example);
      return { ok: true, command: { type: 'rate', ticketCode, rating } };
    }
  }
}

/** "5", "4/5", "3 dari 5", "lima", "⭐⭐⭐⭐" (a comment may follow the number). */
function parseRating(text: string): 1 | 2 | 3 | 4 | 5 | undefined {
  const number = /^([1-5])(?:\s*(?:\/|dari)\s*5)?(?!\d|[.,]\d)/i.exec(text);
  if (number) return Number(number[1]) as 1 | 2 | 3 | 4 | 5;
  const word = /^([a-z]+)/i.exec(text)?.[1].toLowerCase();
  if (word && Object.hasOwn(RATING_WORDS, word)) return RATING_WORDS[word];
  const stars = /^(?:[⭐★]\uFE0F?\s*)+/u.exec(text);
  if (stars) {
    const count = (stars[0].match(/[⭐★]/gu) ?? []).length;
    if (count >= 1 && count <= 5) return count as 1 | 2 | 3 | 4 | 5;
  }
  return undefined;
}
