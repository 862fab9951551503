import { TAG, tlv } from './der.js';

/**
 * How a validity time is written. `auto` is RFC 5280's rule (UTCTime through 2049,
 * GeneralizedTime from 2050). The others force a type, or break the profile on purpose:
 * - `utc`: `YYMMDDHHMMSSZ` whatever the year (2050 written as UTCTime reads back as 1950);
 * - `generalized`: `YYYYMMDDHHMMSSZ` whatever the year (RFC 5280 wants UTCTime before 2050);
 * - `utc-offset`: `YYMMDDHHMMSS+0130`, local time 90 minutes ahead: the same instant, not Zulu;
 * - `utc-no-seconds`: `YYMMDDHHMMZ` (seconds dropped, the date rounded down to the minute);
 * - `generalized-fraction`: `YYYYMMDDHHMMSS.123Z` (fractional seconds, milliseconds of the date);
 * - `utc-leap-second`, `generalized-leap-second`: the date's day at `235960Z`;
 * - `utc-feb-30`, `generalized-feb-30`: February 30 of the date's year, at the date's time.
 */
export const TIME_ENCODINGS = [
  'auto',
  'utc',
  'generalized',
  'utc-offset',
  'utc-no-seconds',
  'generalized-fraction',
  'utc-leap-second',
  'generalized-leap-second',
  'utc-feb-30',
  'generalized-feb-30',
] as const;
export type TimeEncoding = (typeof TIME_ENCODINGS)[number];

/** A validity time: a date and how to write it, or a raw string in a chosen type. */
export type TimeSpec =
  | Date
  | { readonly date: Date; readonly encoding?: TimeEncoding }
  | { readonly raw: string; readonly type: 'utc' | 'generalized' };

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** `YYYYMMDDHHMMSS` (or `YYMMDD...` when `shortYear`) of a date in UTC. */
function digits(d: Date, shortYear: boolean): string {
  const year = shortYear ? pad(d.getUTCFullYear() % 100) : pad(d.getUTCFullYear(), 4);
  return (
    year +
    pad(d.getUTCMonth() + 1) +
    pad(d.getUTCDate()) +
    pad(d.getUTCHours()) +
    pad(d.getUTCMinutes()) +
    pad(d.getUTCSeconds())
  );
}

/** The tag and the characters a TimeSpec is written as. */
export function timeText(spec: TimeSpec): { readonly tag: number; readonly text: string } {
  if (spec instanceof Date) return timeText({ date: spec });
  if ('raw' in spec) {
    return { tag: spec.type === 'utc' ? TAG.utcTime : TAG.generalizedTime, text: spec.raw };
  }
  const d = spec.date;
  const encoding = spec.encoding ?? 'auto';
  const utc = (text: string) => ({ tag: TAG.utcTime, text });
  const gen = (text: string) => ({ tag: TAG.generalizedTime, text });
  switch (encoding) {
    case 'auto': {
      const y = d.getUTCFullYear();
      return y >= 1950 && y <= 2049 ? utc(`${digits(d, true)}Z`) : gen(`${digits(d, false)}Z`);
    }
    case 'utc':
      return utc(`${digits(d, true)}Z`);
    case 'generalized':
      return gen(`${digits(d, false)}Z`);
    case 'utc-offset':
      return utc(`${digits(new Date(d.getTime() + 90 * 60_000), true)}+0130`);
    case 'utc-no-seconds':
      return utc(`${digits(d, true).slice(0, 10)}Z`);
    case 'generalized-fraction':
      return gen(`${digits(d, false)}.${pad(d.getUTCMilliseconds(), 3)}Z`);
    case 'utc-leap-second':
      return utc(`${digits(d, true).slice(0, 6)}235960Z`);
    case 'generalized-leap-second':
      return gen(`${digits(d, false).slice(0, 8)}235960Z`);
    case 'utc-feb-30':
      return utc(`${digits(d, true).slice(0, 2)}0230${digits(d, true).slice(6)}Z`);
    case 'generalized-feb-30':
      return gen(`${digits(d, false).slice(0, 4)}0230${digits(d, false).slice(8)}Z`);
  }
}

/** DER of a validity time. */
export function encodeTime(spec: TimeSpec): Buffer {
  const { tag, text } = timeText(spec);
  return tlv(tag, Buffer.from(text, 'latin1'));
}
