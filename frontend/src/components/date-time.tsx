const FORMATS = {
  day: new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' }),
  minute: new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' }),
  second: new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' }),
};

/** An API timestamp in the browser's locale; the machine-readable value stays in `dateTime`. */
export function DateTime({
  value,
  precision = 'minute',
}: {
  /** ISO 8601, as the API sends it. */
  value: string;
  precision?: keyof typeof FORMATS;
}) {
  return <time dateTime={value}>{FORMATS[precision].format(new Date(value))}</time>;
}
