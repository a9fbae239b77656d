/**
 * Small-number suppression for figures shown outside the service (to commissioners): a count from
 * 1 to 4 could identify someone, so it is shown as "<5", and no figure is drawn from fewer people.
 */
export const SUPPRESS_BELOW = 5;

/** A count as it may be shown: itself, or "<5" when suppressing and it is 1 to 4. */
export const disclosed = (n: number, suppress: boolean): number | string => (suppress && n > 0 && n < SUPPRESS_BELOW ? `<${SUPPRESS_BELOW}` : n);

/** Whether a figure drawn from `n` people may be shown: any at all inside the service, five or more outside. */
export const enoughToShow = (n: number, suppress: boolean) => n >= (suppress ? SUPPRESS_BELOW : 1);
