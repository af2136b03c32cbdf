// NIK (Nomor Induk Kependudukan) validation.
// A NIK is protected personal data: no message produced here may contain it or its digits,
// only counts and positions (and the month/day read from it, which identify no one).

export type NikProblem = 'length' | 'not_digits' | 'province' | 'regency' | 'district' | 'birth_date' | 'serial';

export type NikResult =
  | {
      ok: true;
      nik: string;
      provinceCode: string;
      regencyCode: string;
      districtCode: string;
      gender: 'L' | 'P';
      birthDate: { day: number; month: number; year2: number };
      /** Issued outside Kabupaten Probolinggo (35 13). */
      outsideRegency: boolean;
    }
  | { ok: false; problem: NikProblem; message: string };

export const NIK_LENGTH = 16;

/** Jawa Timur (35) + Kabupaten Probolinggo (13). */
export const PROBOLINGGO_REGENCY_PREFIX = '3513';

const PROVINCE_CODES: ReadonlySet<string> = new Set([
  ...range(11, 19),
  21,
  ...range(31, 36),
  ...range(51, 53),
  ...range(61, 65),
  ...range(71, 76),
  81,
  82,
  ...range(91, 96),
].map((code) => String(code)));

const MONTH_NAMES = [
  'Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni',
  'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember',
];

/** Women's NIKs carry the birth day plus 40. */
const FEMALE_DAY_OFFSET = 40;

// People type NIKs as "3513 0155 0890 0001", "3513.0155..." or with dashes.
const SEPARATORS = /[\s.\-–—]+/g;

export function validateNik(raw: string): NikResult {
  const nik = raw.trim().replace(SEPARATORS, '');
  const digitCount = (nik.match(/\d/g) ?? []).length;

  if (nik.length === 0) {
    return fail('length', `NIK belum terisi. NIK harus ${NIK_LENGTH} angka sesuai KTP.`);
  }
  if (!/^\d+$/.test(nik)) {
    return fail(
      'not_digits',
      `NIK hanya boleh berisi angka, tetapi yang Anda kirim memuat huruf atau tanda lain (terbaca ${digitCount} angka). NIK harus ${NIK_LENGTH} angka.`,
    );
  }
  if (nik.length !== NIK_LENGTH) {
    return fail('length', `NIK harus ${NIK_LENGTH} angka, yang Anda kirim ${nik.length} angka.`);
  }

  const provinceCode = nik.slice(0, 2);
  const regencyCode = nik.slice(2, 4);
  const districtCode = nik.slice(4, 6);
  const encodedDay = Number(nik.slice(6, 8));
  const month = Number(nik.slice(8, 10));
  const year2 = Number(nik.slice(10, 12));
  const serial = nik.slice(12);

  if (!PROVINCE_CODES.has(provinceCode)) {
    return fail(
      'province',
      'Dua angka pertama NIK (kode provinsi) tidak sesuai dengan kode provinsi mana pun di Indonesia.',
    );
  }
  if (regencyCode === '00') {
    return fail('regency', 'Angka ke-3 dan ke-4 NIK (kode kabupaten/kota) tidak boleh 00.');
  }
  if (districtCode === '00') {
    return fail('district', 'Angka ke-5 dan ke-6 NIK (kode kecamatan) tidak boleh 00.');
  }

  const birthProblem = birthDateProblem(encodedDay, month, year2);
  if (birthProblem) {
    return fail('birth_date', `Tanggal lahir pada NIK (angka ke-7 sampai ke-12) tidak valid: ${birthProblem}.`);
  }
  if (serial === '0000') {
    return fail('serial', 'Empat angka terakhir NIK (nomor urut) tidak boleh semuanya nol.');
  }

  const female = encodedDay > FEMALE_DAY_OFFSET;
  return {
    ok: true,
    nik,
    provinceCode,
    regencyCode,
    districtCode,
    gender: female ? 'P' : 'L',
    birthDate: { day: female ? encodedDay - FEMALE_DAY_OFFSET : encodedDay, month, year2 },
    outsideRegency: nik.slice(0, 4) !== PROBOLINGGO_REGENCY_PREFIX,
  };
}

/** Shows only the first and last four digits: 3513********0001. */
export function maskNik(nik: string): string {
  if (nik.length <= 8) return '*'.repeat(nik.length);
  return nik.slice(0, 4) + '*'.repeat(nik.length - 8) + nik.slice(-4);
}

/** A description of what is wrong with the DDMMYY block, or null when it is a real date. */
function birthDateProblem(encodedDay: number, month: number, year2: number): string | null {
  const validDay = (encodedDay >= 1 && encodedDay <= 31) || (encodedDay >= 41 && encodedDay <= 71);
  if (!validDay) {
    return 'angka tanggal harus 01–31 (laki-laki) atau 41–71 (perempuan, tanggal ditambah 40)';
  }
  if (month < 1 || month > 12) {
    return `bulan ${String(month).padStart(2, '0')} tidak ada`;
  }
  const day = encodedDay > FEMALE_DAY_OFFSET ? encodedDay - FEMALE_DAY_OFFSET : encodedDay;
  // YY could be 19YY or 20YY; accept the date if it exists in either century.
  const maxDay = Math.max(daysInMonth(1900 + year2, month), daysInMonth(2000 + year2, month));
  if (day > maxDay) {
    if (month === 2 && day === 29) return 'tanggal 29 Februari hanya ada pada tahun kabisat';
    return `tanggal ${day} tidak ada pada bulan ${MONTH_NAMES[month - 1]}`;
  }
  return null;
}

function daysInMonth(year: number, month: number): number {
  // Day 0 of the next month is the last day of this one.
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function fail(problem: NikProblem, message: string): NikResult {
  return { ok: false, problem, message };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}
