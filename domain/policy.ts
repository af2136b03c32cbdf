// The follow-up rules every complaint runs under until it is tuntas: how long an OPD has to accept
// it, the target by difficulty, progress reports, milestones, escalation levels and the citizen's
// confirmation. A workflow keeps the policy (and its version) it started with, so changing these
// values later does not change the rules of running complaints. Pure and deterministic.

import { addYearsWib } from './calendar';

export type Difficulty = 'ringan' | 'sedang' | 'berat';

export const DIFFICULTIES: readonly Difficulty[] = ['ringan', 'sedang', 'berat'];

export interface LifecyclePolicy {
  version: number;
  /** Working days after routing in which the OPD must accept (TERIMA). */
  acceptWorkingDays: number;
  /** Working days after routing when the OPD is reminded to accept. */
  acceptReminderWorkingDays: number;
  /** The target, in years after acceptance, by difficulty. */
  targetYears: Record<Difficulty, number>;
  /** A progress report (PROGRES) is due this many days after acceptance or the last report. */
  progressIntervalDays: number;
  /** The reminder for a progress report goes out this many days before it is due. */
  progressReminderDaysBefore: number;
  /** Fractions of the target period (e.g. 0.5, 0.9) at which the citizen and officials are told. */
  milestones: number[];
  /** Working days the citizen has to confirm (YA) or dispute (TIDAK) a resolution. */
  confirmWorkingDays: number;
  /** At the top level, the reminders repeat every this many days. */
  topLevelRepeatDays: number;
  /** WIB hours in which officials may be messaged: [startHour:00, endHour:00). */
  sendWindow: { startHour: number; endHour: number };
  /** The highest escalation level (4: Bupati). */
  maxLevel: number;
}

export const DEFAULT_POLICY: LifecyclePolicy = deepFreeze({
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

/** Who is responsible at each escalation level. */
export const LEVEL_LABELS: Record<number, string> = Object.freeze({
  1: 'Petugas OPD',
  2: 'Kepala OPD',
  3: 'Sekretaris Daerah',
  4: 'Bupati',
});

/** The label of a level; levels outside the table are named by number. */
export function levelLabel(level: number): string {
  return LEVEL_LABELS[level] ?? `Tingkat ${level}`;
}

export const DIFFICULTY_LABELS: Record<Difficulty, string> = Object.freeze({
  ringan: 'Ringan',
  sedang: 'Sedang',
  berat: 'Berat',
});

/** The target for a complaint accepted at `acceptedAt`: the same WIB wall time, 1/2/3 years later. */
export function targetDate(acceptedAt: Date, difficulty: Difficulty, policy: LifecyclePolicy): Date {
  return addYearsWib(acceptedAt, policy.targetYears[difficulty]);
}

/**
 * The milestone instants, linear in time between acceptance and the target (0.5 is half way in
 * milliseconds), in ascending order. Fractions outside (0, 1) are ignored.
 */
export function milestoneDates(
  acceptedAt: Date,
  target: Date,
  policy: LifecyclePolicy,
): Array<{ fraction: number; at: Date }> {
  const start = acceptedAt.getTime();
  const span = target.getTime() - start;
  return [...new Set(policy.milestones)]
    .filter((fraction) => Number.isFinite(fraction) && fraction > 0 && fraction < 1)
    .sort((a, b) => a - b)
    .map((fraction) => ({ fraction, at: new Date(start + Math.round(span * fraction)) }));
}

const DIFFICULTY_WORDS: Record<string, Difficulty> = {
  ringan: 'ringan',
  '1': 'ringan',
  satu: 'ringan',
  '1 tahun': 'ringan',
  sedang: 'sedang',
  '2': 'sedang',
  dua: 'sedang',
  '2 tahun': 'sedang',
  berat: 'berat',
  '3': 'berat',
  tiga: 'berat',
  '3 tahun': 'berat',
};

/** "RINGAN", "sedang", "*Berat*", "2", "3 tahun" … ; undefined when it is none of them. */
export function parseDifficulty(text: string): Difficulty | undefined {
  const normalised = text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()
    .replace(/^(?:tingkat|kesulitan|tingkat kesulitan)\s+/, '');
  return Object.hasOwn(DIFFICULTY_WORDS, normalised) ? DIFFICULTY_WORDS[normalised] : undefined;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
