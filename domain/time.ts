// Indonesia's western time (WIB) is UTC+7 all year, without daylight saving, so it needs no
// time-zone database: that keeps these rules pure and safe inside workflows.

export const WIB_OFFSET_MS = 7 * 60 * 60 * 1000;

/** The instant as a "wall clock" Date whose UTC fields read as WIB. */
export function toWib(instant: Date): Date {
  return new Date(instant.getTime() + WIB_OFFSET_MS);
}

/** The calendar year in WIB at the given instant. */
export function wibYear(instant: Date): number {
  return toWib(instant).getUTCFullYear();
}
