import { describe, it, expect } from 'vitest';
import { maskNik, validateNik, type NikProblem } from '../../domain/nik';

// Jawa Timur 35, Kab. Probolinggo 13, district 01, a woman born 15-08-1990, serial 0001.
const SITI = '3513015508900001';

function expectProblem(raw: string, problem: NikProblem): string {
  const result = validateNik(raw);
  if (result.ok) throw new Error(`expected problem ${problem}, got a valid NIK`);
  expect(result.problem).toBe(problem);
  return result.message;
}

describe('validateNik: valid NIKs', () => {
  it('reads the canonical example', () => {
    expect(validateNik(SITI)).toEqual({
      ok: true,
      nik: SITI,
      provinceCode: '35',
      regencyCode: '13',
      districtCode: '01',
      gender: 'P',
      birthDate: { day: 15, month: 8, year2: 90 },
      outsideRegency: false,
    });
  });

  it('reads a man (day without the +40)', () => {
    const result = validateNik('3513011508900001');
    expect(result.ok && result.gender).toBe('L');
    expect(result.ok && result.birthDate).toEqual({ day: 15, month: 8, year2: 90 });
  });

  it.each([
    ['spaces', '3513 0155 0890 0001'],
    ['dots', '3513.0155.0890.0001'],
    ['dashes', '3513-0155-0890-0001'],
    ['en dashes', '3513–0155–0890–0001'],
    ['surrounding whitespace and a newline', '  3513015508900001\n'],
    ['mixed separators', '35 13 01.5508-900001'],
    ['double spaces', '3513  0155  0890  0001'],
  ])('accepts separators: %s', (_, raw) => {
    const result = validateNik(raw);
    expect(result.ok).toBe(true);
    expect(result.ok && result.nik).toBe(SITI);
  });

  it('flags a NIK from Kota Probolinggo (3574) as outside the regency', () => {
    const result = validateNik('3574015508900001');
    expect(result.ok && result.outsideRegency).toBe(true);
  });

  it('flags a NIK from another province as outside the regency', () => {
    const result = validateNik('3201011203850002');
    expect(result.ok).toBe(true);
    expect(result.ok && result.outsideRegency).toBe(true);
    expect(result.ok && result.provinceCode).toBe('32');
  });

  it('treats every district of Kabupaten Probolinggo as inside', () => {
    for (const district of ['01', '10', '24']) {
      const result = validateNik(`3513${district}0101000001`);
      expect(result.ok && result.outsideRegency).toBe(false);
    }
  });

  it.each([
    11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53, 61, 62, 63, 64, 65, 71, 72, 73, 74,
    75, 76, 81, 82, 91, 92, 93, 94, 95, 96,
  ])('accepts province code %i', (province) => {
    expect(validateNik(`${province}01011501900001`).ok).toBe(true);
  });

  it.each([
    ['29 Feb in a leap year (1996)', '3513012902960001', { day: 29, month: 2, year2: 96 }],
    ['29 Feb 00 (2000 is a leap year)', '3513012902000001', { day: 29, month: 2, year2: 0 }],
    ['29 Feb for a woman (69)', '3513016902040001', { day: 29, month: 2, year2: 4 }],
    ['31 Dec', '3513013112990001', { day: 31, month: 12, year2: 99 }],
    ['31 Jan for a woman (71)', '3513017101050009', { day: 31, month: 1, year2: 5 }],
    ['1 Jan for a woman (41)', '3513014101050009', { day: 1, month: 1, year2: 5 }],
    ['30 Apr', '3513013004880001', { day: 30, month: 4, year2: 88 }],
  ])('accepts birth date: %s', (_, nik, birthDate) => {
    const result = validateNik(nik);
    expect(result.ok && result.birthDate).toEqual(birthDate);
  });
});

describe('validateNik: problems', () => {
  it.each([
    ['15 digits', '351301550890000', 15],
    ['17 digits', '35130155089000012', 17],
    ['12 digits with spaces', '3513 0155 0890', 12],
    ['1 digit', '3', 1],
  ])('length: %s', (_, raw, count) => {
    const message = expectProblem(raw, 'length');
    expect(message).toBe(`NIK harus 16 angka, yang Anda kirim ${count} angka.`);
  });

  it('length: empty input', () => {
    expect(expectProblem('', 'length')).toMatch(/belum terisi/);
    expect(expectProblem('   ', 'length')).toMatch(/16 angka/);
  });

  it.each([
    ['a letter O for a zero', '35130155O8900001', 15],
    ['words', 'NIK saya 3513015508900001', 16],
    ['no digits at all', 'tidak tahu', 0],
    ['a slash', '3513/015508900001', 16],
  ])('not_digits: %s', (_, raw, count) => {
    const message = expectProblem(raw, 'not_digits');
    expect(message).toMatch(/hanya boleh berisi angka/);
    expect(message).toContain(`terbaca ${count} angka`);
  });

  it.each(['00', '10', '20', '22', '30', '37', '50', '54', '60', '66', '70', '77', '80', '83', '90', '97', '99'])(
    'province: code %s does not exist',
    (province) => {
      expect(expectProblem(`${province}13015508900001`, 'province')).toMatch(/kode provinsi/);
    },
  );

  it('regency: 00', () => {
    expect(expectProblem('3500015508900001', 'regency')).toMatch(/ke-3 dan ke-4.*kabupaten\/kota.*00/);
  });

  it('district: 00', () => {
    expect(expectProblem('3513005508900001', 'district')).toMatch(/ke-5 dan ke-6.*kecamatan.*00/);
  });

  it('birth_date: month 13 is explained', () => {
    expect(expectProblem('3513011513900001', 'birth_date')).toBe(
      'Tanggal lahir pada NIK (angka ke-7 sampai ke-12) tidak valid: bulan 13 tidak ada.',
    );
  });

  it('birth_date: month 00', () => {
    expect(expectProblem('3513011500900001', 'birth_date')).toMatch(/bulan 00 tidak ada/);
  });

  it.each([
    ['day 00', '3513010008900001'],
    ['day 32', '3513013208900001'],
    ['day 40', '3513014008900001'],
    ['day 72 (a woman born on the 32nd)', '3513017208900001'],
    ['day 99', '3513019908900001'],
  ])('birth_date: %s', (_, nik) => {
    const message = expectProblem(nik, 'birth_date');
    expect(message).toMatch(/angka ke-7 sampai ke-12/);
    expect(message).toMatch(/01–31.*41–71/);
  });

  it('birth_date: 31 April', () => {
    expect(expectProblem('3513013104900001', 'birth_date')).toMatch(/tanggal 31 tidak ada pada bulan April/);
  });

  it('birth_date: 30 February, also for a woman (70)', () => {
    expect(expectProblem('3513013002900001', 'birth_date')).toMatch(/tanggal 30 tidak ada pada bulan Februari/);
    expect(expectProblem('3513017002900001', 'birth_date')).toMatch(/tanggal 30 tidak ada pada bulan Februari/);
  });

  it('birth_date: 29 February outside a leap year (1990 and 2090 are not)', () => {
    expect(expectProblem('3513016902900001', 'birth_date')).toMatch(/29 Februari hanya ada pada tahun kabisat/);
  });

  it('serial: 0000', () => {
    expect(expectProblem('3513015508900000', 'serial')).toMatch(/Empat angka terakhir.*semuanya nol/);
  });

  it('reports the first problem in reading order', () => {
    // Bad province and bad serial: the province is named.
    expectProblem('9913015508900000', 'province');
  });

  const invalidNiks = [
    '351301550890000',
    '35130155089000012',
    '35130155O8900001',
    '9913015508900001',
    '3500015508900001',
    '3513005508900001',
    '3513011513900001',
    '3513013208900001',
    '3513013104900001',
    '3513016902900001',
    '3513015508900000',
    '3513 0155 0890 0000',
    '3513-0055-0890-0001',
  ];

  it.each(invalidNiks)('never leaks the NIK in the message (%#)', (raw) => {
    const result = validateNik(raw);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const digits = raw.replace(/\D/g, '');
    expect(result.message).not.toContain(raw);
    expect(result.message).not.toContain(digits);
    // Counts, positions and a month or day are fine; any run of 3+ digits could be part of the NIK.
    expect(result.message).not.toMatch(/\d{3,}/);
    expect(result.message).not.toContain(digits.slice(0, 4));
    expect(result.message).not.toContain(digits.slice(-4));
  });
});

describe('maskNik', () => {
  it('keeps the first and last four digits', () => {
    expect(maskNik(SITI)).toBe('3513********0001');
  });

  it('hides the birth date and district', () => {
    const masked = maskNik(SITI);
    expect(masked).not.toContain('550890');
    expect(masked).toHaveLength(16);
  });

  it('hides short input entirely', () => {
    expect(maskNik('12345678')).toBe('********');
  });
});
