// How personal data shows where it must not be revealed: lists, CSV exports, viewer answers.
// Pure functions, shared by the API and the exports.

export { maskNik } from './nik';

/** 'Budi Santoso' → 'B*** S******': the initials stay. */
export function maskName(name: string): string {
  return name
    .trim()
    .split(/\s+/)
    .map((word) => (word ? word[0] + '*'.repeat(Math.max(word.length - 1, 3)) : word))
    .join(' ');
}

/** '+6281234567890' → '+62812****7890'; also for numbers in logs. */
export function maskPhone(phone: string): string {
  const match = /^(\D*)(\d+)$/.exec(phone.replace(/[\s().-]/g, ''));
  if (!match) return '****';
  const [, prefix, digits] = match;
  const [head, tail] = digits.length >= 10 ? [5, 4] : digits.length > 4 ? [2, 2] : [0, 0];
  return `${prefix}${digits.slice(0, head)}****${tail ? digits.slice(-tail) : ''}`;
}
