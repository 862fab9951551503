/** Where a judge reports what it could not read (the certificate stays refused), one call each. */
export type Warn = (fields: Record<string, unknown>) => void;
