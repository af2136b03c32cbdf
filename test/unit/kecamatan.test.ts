import { describe, it, expect } from 'vitest';
import { KECAMATAN, findKecamatan } from '../../domain/kecamatan';

describe('KECAMATAN', () => {
  it('lists the 24 kecamatan of Kabupaten Probolinggo once each', () => {
    expect(KECAMATAN).toHaveLength(24);
    expect(new Set(KECAMATAN).size).toBe(24);
    expect([...KECAMATAN].sort()).toEqual(
      [
        'Bantaran', 'Banyuanyar', 'Besuk', 'Dringu', 'Gading', 'Gending', 'Kotaanyar', 'Kraksaan', 'Krejengan',
        'Krucil', 'Kuripan', 'Leces', 'Lumbang', 'Maron', 'Paiton', 'Pajarakan', 'Pakuniran', 'Sukapura', 'Sumber',
        'Sumberasih', 'Tegalsiwalan', 'Tiris', 'Tongas', 'Wonomerto',
      ].sort(),
    );
  });

  it('cannot be changed at run time', () => {
    expect(Object.isFrozen(KECAMATAN)).toBe(true);
  });
});

describe('findKecamatan', () => {
  it.each(KECAMATAN)('finds %s after "Kecamatan", in any case', (name) => {
    expect(findKecamatan(`Kecamatan ${name}`)).toBe(name);
    expect(findKecamatan(`kec. ${name.toLowerCase()}`)).toBe(name);
    expect(findKecamatan(`KEC ${name.toUpperCase()}`)).toBe(name);
  });

  it.each([
    ['the canonical address', 'Dusun Krajan RT 02 RW 03, Desa Sumberasih, Kec. Sumberasih', 'Sumberasih'],
    ['Sumberasih is not Sumber', 'Desa Sumberasih', 'Sumberasih'],
    ['Sumber on its own', 'Desa Sumber, Kec. Sumber', 'Sumber'],
    ['"Sumber Asih" written as two words', 'Kec Sumber Asih', 'Sumberasih'],
    ['"kecamatan kota anyar"', 'kecamatan kota anyar', 'Kotaanyar'],
    ['"Tegal Siwalan"', 'Desa Tegalsiwalan, Kec. Tegal Siwalan', 'Tegalsiwalan'],
    ['"Banyu Anyar"', 'Ds. Banyuanyar Lor, banyu anyar', 'Banyuanyar'],
    ['"Wono Merto"', 'kec wono merto', 'Wonomerto'],
    ['no space after "Kec."', 'Desa Bulu, Kec.Sumberasih', 'Sumberasih'],
    ['all caps', 'DSN KRAJAN DESA PAJURANGAN KEC. GENDING KAB. PROBOLINGGO', 'Gending'],
    ['a bare name at the end of an address', 'Dusun Krajan, Desa Sumberanyar, Paiton', 'Paiton'],
    ['a road name', 'Jl. Raya Tongas km 5', 'Tongas'],
    ['a name inside punctuation', '(Kraksaan)', 'Kraksaan'],
    ['a multi-line address', 'Dusun Krajan\nDesa Randupitu\nKecamatan Gending', 'Gending'],
  ])('%s', (_, text, expected) => {
    expect(findKecamatan(text)).toBe(expected);
  });

  it('prefers an explicit "Kec." mention over an earlier village of another name', () => {
    expect(findKecamatan('Desa Besuk, Kecamatan Kraksaan')).toBe('Kraksaan');
  });

  it('prefers an explicit "Kecamatan" mention over a later bare name', () => {
    expect(findKecamatan('Kecamatan Gading, dekat pasar Maron')).toBe('Gading');
  });

  it('without an explicit mention takes the last one (addresses run from small to large)', () => {
    expect(findKecamatan('Desa Leces, Tegalsiwalan')).toBe('Tegalsiwalan');
  });

  it.each([
    ['a riverbank, not Kec. Bantaran', 'bantaran sungai di desa Lumbang', 'Lumbang'],
    ['a spring, not Kec. Sumber', 'dekat sumber air, Kec. Tiris', 'Tiris'],
  ])('ignores ordinary words: %s', (_, text, expected) => {
    expect(findKecamatan(text)).toBe(expected);
  });

  it.each([
    ['an empty text', ''],
    ['Kota Probolinggo', 'Jl. Soekarno Hatta, Kota Probolinggo'],
    ['a village that only starts like a kecamatan', 'Desa Sumbersari'],
    ['"kota" alone', 'depan kantor kota'],
    ['a riverbank alone', 'bantaran sungai'],
  ])('finds nothing in %s', (_, text) => {
    expect(findKecamatan(text)).toBeUndefined();
  });
});
