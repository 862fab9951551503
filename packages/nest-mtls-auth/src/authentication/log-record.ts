import { inspect } from 'node:util';

/**
 * A log record that is structured for JSON loggers (pino reads its fields) and one line for
 * loggers that print objects with `util.inspect` (Nest's default `ConsoleLogger` would otherwise
 * spread it over ten): `msg key=value ...`, values JSON-quoted when they hold a space or a quote.
 */
export function logRecord(fields: { readonly msg: string } & Record<string, unknown>): object {
  const record = { ...fields };
  Object.defineProperty(record, inspect.custom, {
    enumerable: false,
    value: () => oneLine(fields),
  });
  return record;
}

function oneLine({ msg, ...rest }: { readonly msg: string } & Record<string, unknown>): string {
  const pairs = Object.entries(rest).map(([key, value]) => {
    const text = typeof value === 'string' ? value : String(JSON.stringify(value));
    return `${key}=${/[\s"=]/.test(text) || text === '' ? JSON.stringify(text) : text}`;
  });
  return [msg, ...pairs].join(' ');
}
