import { describe, expect, it } from 'vitest';
import { maskName, maskNik, maskPhone } from '../../domain/masking';

describe('masking', () => {
  it('keeps the regency code and the last four digits of a NIK', () => {
    expect(maskNik('3513014101900001')).toBe('3513********0001');
  });

  it('keeps only the initials of a name, and hides the length of short words', () => {
    expect(maskName('Budi Santoso')).toBe('B*** S******');
    expect(maskName('  Siti   Aminah ')).toBe('S*** A*****');
    expect(maskName('Al')).toBe('A***');
  });

  it('keeps the country and operator prefix and the last four digits of a number', () => {
    expect(maskPhone('+6281234567890')).toBe('+62812****7890');
    expect(maskPhone('whatsapp:+6281234567890')).toBe('whatsapp:+62812****7890');
  });
});
