/**
 * Company-time helpers for activities: "today", the day an activity happened on, 09:00 on a
 * follow-up date, Monday–Sunday weeks. The company's time zone (config.timeZone, Asia/Shanghai by
 * default) is set once when the routes are registered, as customers.scope does; jobs pass theirs.
 */
let companyTimeZone = process.env.TIME_ZONE || 'Asia/Shanghai';

export function setActivityTimeZone(timeZone: string) {
  companyTimeZone = timeZone;
}
export function activityTimeZone(): string {
  return companyTimeZone;
}

/** The company date of an instant, 'YYYY-MM-DD'. */
export function companyDateOf(at: Date, timeZone = companyTimeZone): string {
  return at.toLocaleDateString('sv-SE', { timeZone });
}

/** Minutes the zone is ahead of UTC at that instant. */
function offsetMinutes(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return (Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second')) - at.getTime()) / 60_000;
}

/** The instant of a wall-clock time ('09:00') on a company date. */
export function companyInstant(day: string, time = '00:00', timeZone = companyTimeZone): Date {
  const naive = new Date(`${day}T${time}:00Z`);
  const first = new Date(naive.getTime() - offsetMinutes(naive, timeZone) * 60_000);
  return new Date(naive.getTime() - offsetMinutes(first, timeZone) * 60_000);
}

export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Monday of the week the date is in (weeks run Monday–Sunday). */
export function mondayOf(day: string): string {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay(); // 0 = Sunday
  return addDays(day, weekday === 0 ? -6 : 1 - weekday);
}

/** The seven dates Monday–Sunday of the week containing `day`. */
export function weekOf(day: string): string[] {
  const monday = mondayOf(day);
  return Array.from({ length: 7 }, (_, i) => addDays(monday, i));
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/**
 * The 'MM-DD' birthdays celebrated on each date of the week: a 29 February birthday is kept on
 * 28 February in a year without one.
 */
export function birthdayKeysOf(days: string[]): Map<string, string> {
  const keys = new Map<string, string>();
  for (const day of days) {
    const mmdd = day.slice(5);
    keys.set(mmdd, day);
    if (mmdd === '02-28' && !isLeapYear(Number(day.slice(0, 4)))) keys.set('02-29', day);
  }
  return keys;
}
