import { describe, it, expect } from 'vitest';
import {
  DEFAULT_POLICY,
  LEVEL_LABELS,
  levelLabel,
  milestoneDates,
  parseDifficulty,
  targetDate,
  type LifecyclePolicy,
} from '../../domain/policy';

function wib(wallTime: string): Date {
  return new Date(`${wallTime}:00+07:00`);
}

describe('DEFAULT_POLICY', () => {
  it('holds the regency rules', () => {
    expect(DEFAULT_POLICY).toEqual({
      version: 1,
      acceptWorkingDays: 5,
      acceptReminderWorkingDays: 3,
      targetYears: { ringan: 1, sedang: 2, berat: 3 },
      progressIntervalDays: 30,
      progressReminderDaysBefore: 7,
      milestones: [0.5, 0.9],
      confirmWorkingDays: 10,
      topLevelRepeatDays: 30,
      sendWindow: { startHour: 7, endHour: 21 },
      maxLevel: 4,
    });
  });

  it('cannot be changed by accident', () => {
    expect(Object.isFrozen(DEFAULT_POLICY)).toBe(true);
    expect(Object.isFrozen(DEFAULT_POLICY.targetYears)).toBe(true);
    expect(() => {
      (DEFAULT_POLICY.milestones as number[]).push(0.75);
    }).toThrow(TypeError);
  });
});

describe('LEVEL_LABELS', () => {
  it('names the four escalation levels', () => {
    expect(LEVEL_LABELS).toEqual({ 1: 'Petugas OPD', 2: 'Kepala OPD', 3: 'Sekretaris Daerah', 4: 'Bupati' });
    expect(levelLabel(4)).toBe('Bupati');
    expect(levelLabel(5)).toBe('Tingkat 5');
  });
});

describe('targetDate', () => {
  const accepted = wib('2026-12-04T14:05');

  it('is 1, 2 or 3 years after acceptance at the same WIB time', () => {
    expect(targetDate(accepted, 'ringan', DEFAULT_POLICY)).toEqual(wib('2027-12-04T14:05'));
    expect(targetDate(accepted, 'sedang', DEFAULT_POLICY)).toEqual(wib('2028-12-04T14:05'));
    expect(targetDate(accepted, 'berat', DEFAULT_POLICY)).toEqual(wib('2029-12-04T14:05'));
  });

  it('turns 29 February into 28 February', () => {
    expect(targetDate(wib('2028-02-29T10:00'), 'ringan', DEFAULT_POLICY)).toEqual(wib('2029-02-28T10:00'));
    expect(targetDate(wib('2028-02-29T10:00'), 'berat', DEFAULT_POLICY)).toEqual(wib('2031-02-28T10:00'));
  });

  it('follows the policy it is given', () => {
    const policy: LifecyclePolicy = { ...DEFAULT_POLICY, version: 2, targetYears: { ringan: 2, sedang: 4, berat: 5 } };
    expect(targetDate(accepted, 'ringan', policy)).toEqual(wib('2028-12-04T14:05'));
  });
});

describe('milestoneDates', () => {
  it('puts 50% and 90% linearly in time', () => {
    const accepted = wib('2026-01-01T10:00');
    const target = targetDate(accepted, 'ringan', DEFAULT_POLICY); // 365 days later
    const milestones = milestoneDates(accepted, target, DEFAULT_POLICY);
    expect(milestones.map((m) => m.fraction)).toEqual([0.5, 0.9]);
    // Half of 365 days is 182.5 days: 2 July 2026 22:00 WIB.
    expect(milestones[0].at).toEqual(wib('2026-07-02T22:00'));
    // 0.9 × 365 days = 328.5 days: 25 November 2026 22:00 WIB.
    expect(milestones[1].at).toEqual(wib('2026-11-25T22:00'));
  });

  it('is exact in milliseconds over a three-year target', () => {
    const accepted = wib('2026-12-04T14:05');
    const target = targetDate(accepted, 'berat', DEFAULT_POLICY);
    const span = target.getTime() - accepted.getTime();
    const [half, ninety] = milestoneDates(accepted, target, DEFAULT_POLICY);
    expect(half.at.getTime()).toBe(accepted.getTime() + span / 2);
    expect(ninety.at.getTime()).toBe(accepted.getTime() + Math.round(span * 0.9));
    expect(target.getTime() - half.at.getTime()).toBe(span / 2);
  });

  it('sorts the fractions and ignores those outside (0, 1)', () => {
    const policy: LifecyclePolicy = { ...DEFAULT_POLICY, milestones: [0.9, 0, 0.25, 1, 1.5, 0.5] };
    const milestones = milestoneDates(wib('2026-01-01T00:00'), wib('2026-01-05T00:00'), policy);
    expect(milestones).toEqual([
      { fraction: 0.25, at: wib('2026-01-02T00:00') },
      { fraction: 0.5, at: wib('2026-01-03T00:00') },
      { fraction: 0.9, at: wib('2026-01-04T14:24') }, // 3.6 days
    ]);
  });
});

describe('parseDifficulty', () => {
  it.each([
    ['ringan', 'ringan'],
    ['RINGAN', 'ringan'],
    ['  Ringan. ', 'ringan'],
    ['*sedang*', 'sedang'],
    ['SEDANG', 'sedang'],
    ['berat', 'berat'],
    ['Berat!', 'berat'],
    ['1', 'ringan'],
    ['2', 'sedang'],
    ['3', 'berat'],
    ['3 tahun', 'berat'],
    ['tingkat sedang', 'sedang'],
  ] as const)('reads %j as %s', (text, expected) => {
    expect(parseDifficulty(text)).toBe(expected);
  });

  it.each(['', 'mudah', '4', '0', 'ringan sedang', 'sangat berat sekali', 'constructor', 'toString'])(
    'does not read %j',
    (text) => {
      expect(parseDifficulty(text)).toBeUndefined();
    },
  );
});
