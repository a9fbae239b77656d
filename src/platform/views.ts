import path from 'node:path';
import { createRequire } from 'node:module';
import nunjucks from 'nunjucks';
import { ROLE_LABELS, ORGANISATION_KIND_LABELS } from './access/roles.js';
import { actionLabel, recordLabel } from './audit/audit-labels.js';
import type { FieldErrors } from './errors.js';
import { readableLondonDate, readableLondonTime } from '../shared/london-time.js';

const require = createRequire(import.meta.url);
export const NHSUK_DIST = path.join(path.dirname(require.resolve('nhsuk-frontend/package.json')), 'dist');
export const VIEWS_DIR = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../views');

const DAY_DATE_FORMAT = new Intl.DateTimeFormat('en-GB', { weekday: 'long', day: 'numeric', month: 'long', timeZone: 'Europe/London' });

/**
 * Fields shown with the NHS date input. Its three boxes are `<id>-day`, `-month` and `-year`, so an
 * error summary link for one of them goes to the day box, where the user starts typing.
 */
export const DATE_INPUT_FIELDS: ReadonlySet<string> = new Set(['completedOn', 'date', 'dateOfBirth', 'dueOn', 'from', 'sessionDate', 'targetDate', 'to']);

interface NunjucksFrame {
  variables: Record<string, unknown>;
  resolve(name: string, forWrite: boolean): NunjucksFrame | undefined;
  set(name: string, value: unknown, resolveUp?: boolean): void;
}
const namePaths = new Map<string, string[]>();

/**
 * nunjucks' Frame.set splits every name it sets on dots (for `loop.index`), which made it the most
 * expensive single function in rendering a page of NHS.UK macros. This is the same assignment with the
 * split done once per name: names come from the templates, so there are only a few hundred of them.
 */
function fasterFrameSet(this: NunjucksFrame, name: string, value: unknown, resolveUp?: boolean) {
  let path = namePaths.get(name);
  if (!path) namePaths.set(name, (path = name.split('.')));
  if (resolveUp) {
    const frame = this.resolve(path[0]!, true);
    if (frame) return frame.set(name, value);
  }
  let target = this.variables;
  for (let i = 0; i < path.length - 1; i++) target = (target[path[i]!] ||= {}) as Record<string, unknown>;
  target[path[path.length - 1]!] = value;
}
(nunjucks.runtime as unknown as { Frame: { prototype: NunjucksFrame } }).Frame.prototype.set = fasterFrameSet;

/** The id an error summary links to: a date input's day box, or the field itself. */
const fieldAnchor = (field: string) => (DATE_INPUT_FIELDS.has(field) ? `${field}-day` : field);

/**
 * The errors in the order their fields come on the rendered page, as the NHS error summary asks;
 * validation code checks in whatever order suits it. Fields not on the page keep their place at the end.
 */
export function inPageOrder(html: string, errors: FieldErrors): FieldErrors {
  const at = (field: string) => {
    const index = html.indexOf(` id="${fieldAnchor(field)}"`);
    return index === -1 ? Number.MAX_SAFE_INTEGER : index;
  };
  return Object.fromEntries(Object.entries(errors).sort(([a], [b]) => at(a) - at(b)));
}

/** What each environment's `once` keeps, by key: for tests to check that nothing typed is kept. */
export const keptMarkup = new WeakMap<nunjucks.Environment, ReadonlyMap<string, unknown>>();

/** How many rendered components `once` keeps; when full it starts again. */
const KEPT = 2000;

type Params = Record<string, unknown>;
/** nunjucks' own autoescape, which its types leave out. */
const escapeAsNunjucks = (nunjucks.lib as unknown as { escape: (this: void, text: string) => string }).escape;
/**
 * A stand-in for the n-th typed value while a component is rendered to be kept. Letters, digits and
 * hyphens only, so escaping leaves it as it is and it can be found in the markup afterwards.
 */
const slot = (n: number) => `app-typed-value-${n}-end`;
const SLOTS = /app-typed-value-(\d+)-end/g;
/** The component's parameters with each typed value swapped for a slot, and the values in slot order; null: render it every time. */
type Slots = { params: Params; values: unknown[] } | null;
/** What a macro prints as text: a slot can stand in for it. Anything else (true, marked-safe markup) is rendered as it is. */
const printable = (value: unknown): value is string | number => typeof value === 'string' || typeof value === 'number';
/** Components made only of the code's own words. */
const noSlots = (params: Params): Slots => ({ params, values: [] });
/** A field's value (input, textarea) as a slot. A field with an error is rendered every time: the message may quote what was typed. */
const fieldSlots = (params: Params): Slots => {
  if (params.errorMessage) return null;
  if (!params.value) return noSlots(params);
  return printable(params.value) ? { params: { ...params, value: slot(0) }, values: [params.value] } : null;
};
function headerSlots(params: Params): Slots {
  const account = params.account as { items?: (Params | undefined)[] } | undefined;
  if (!account?.items) return noSlots(params);
  const values: unknown[] = [];
  const swap = (value: unknown) => {
    values.push(value);
    return slot(values.length - 1);
  };
  const items = account.items.map((item) => {
    if (!item) return item;
    const { text, action } = item;
    if ((text && !printable(text)) || (action && !printable(action))) return null;
    return {
      ...item,
      // The macro trims an account item's text.
      ...(text && printable(text) ? { text: swap(String(text).trim()) } : {}),
      ...(action ? { action: swap(action) } : {}),
    };
  });
  return items.includes(null) ? null : { params: { ...params, account: { ...account, items } }, values };
}

/** The components `once` renders, where their macros live, and where their parameters carry something typed. */
const KEEPABLE = {
  select: { directory: 'select', slots: noSlots },
  checkboxes: { directory: 'checkboxes', slots: noSlots },
  radios: { directory: 'radios', slots: noSlots },
  button: { directory: 'button', slots: noSlots },
  footer: { directory: 'footer', slots: noSlots },
  // The header's account items carry the user's name and the sign-out form's CSRF token.
  header: { directory: 'header', slots: headerSlots },
  input: { directory: 'input', slots: fieldSlots },
  textarea: { directory: 'textarea', slots: fieldSlots },
  dateInput: {
    directory: 'date-input',
    slots: (params: Params): Slots => {
      if (params.errorMessage) return null;
      if (!Array.isArray(params.items)) return noSlots(params);
      const items = params.items as (Params | undefined)[];
      if (items.some((item) => item?.value && !printable(item.value))) return null;
      const values: unknown[] = [];
      const slotted = items.map((item) => {
        if (!item?.value) return item;
        values.push(item.value);
        return { ...item, value: slot(values.length - 1) };
      });
      return { params: { ...params, items: slotted }, values };
    },
  },
} satisfies Record<string, { directory: string; slots: (params: Params) => Slots }>;

export function createViewEnvironment(): nunjucks.Environment {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader([VIEWS_DIR, NHSUK_DIST], { noCache: false }), {
    autoescape: true,
    throwOnUndefined: false,
  });
  // nunjucks' own trim uses /^\s*|\s*$/g, which is quadratic on long runs of whitespace; the NHS.UK
  // macros trim whole blocks of markup, so it was most of the time spent rendering a page.
  env.addFilter('trim', (value: unknown) => {
    const text = typeof value === 'string' || value instanceof nunjucks.runtime.SafeString ? value.toString() : String(value);
    return value instanceof nunjucks.runtime.SafeString ? new nunjucks.runtime.SafeString(text.trim()) : text.trim();
  });
  // The NHS.UK macros indent nested markup to look tidy in the page source. That was over half the
  // bytes of a person's page (30 KB of 55 KB) and their share of the time to write them. Leading
  // spaces between tags change nothing a browser shows, so markup is passed through as it is.
  env.addFilter('indent', (value: unknown) => value ?? '');
  env.addFilter('date', (value: Date | string | null | undefined) => (value ? readableLondonDate(new Date(value)) : ''));
  env.addFilter('dayDate', (value: string | null | undefined) => (value ? DAY_DATE_FORMAT.format(new Date(`${value.slice(0, 10)}T12:00:00Z`)) : ''));
  env.addFilter('dateTime', (value: Date | string | null | undefined) => (value ? readableLondonTime(new Date(value)) : ''));
  env.addFilter('roleLabel', (role: string) => (ROLE_LABELS as Record<string, string>)[role] ?? role);
  env.addFilter('kindLabel', (kind: string) => (ORGANISATION_KIND_LABELS as Record<string, string>)[kind] ?? kind);
  env.addFilter('actionLabel', actionLabel);
  env.addFilter('map_labels', (values: string[] | null | undefined, labels: Record<string, string>) => (values ?? []).map((value) => labels[value] ?? value));
  env.addFilter('recordLabel', recordLabel);
  env.addGlobal('errorList', (errors: FieldErrors | undefined) =>
    Object.entries(errors ?? {})
      .filter(([, text]) => Boolean(text))
      .map(([field, text]) => ({ text, href: `#${fieldAnchor(field)}` })),
  );
  // The NHS.UK macros cost tens to hundreds of microseconds a call (a button 75 µs, a date input
  // 430 µs), and a page makes dozens: they were nearly all of the person page's render. Their HTML
  // depends only on their parameters, so each set of parameters is rendered once and reused (ADR 18).
  // Only markup made of the code's own words is kept: a field carrying a value or an error (what
  // someone typed, or a message about it) is rendered each time and never kept.
  const keptTemplates = new Map(
    Object.entries(KEEPABLE).map(([name, { directory }]) => [name, new nunjucks.Template(`{% from "nhsuk/components/${directory}/macro.njk" import ${name} %}{{ ${name}(params) }}`, env, `${name}-once`)]),
  );
  const rendered = new Map<string, nunjucks.runtime.SafeString>();
  keptMarkup.set(env, rendered);
  env.addGlobal('once', (component: string, params: Record<string, unknown>) => {
    const template = keptTemplates.get(component);
    if (!template) throw new Error(`once() renders ${Object.keys(KEEPABLE).join(', ')}, not ${component}`);
    const slots = KEEPABLE[component as keyof typeof KEEPABLE].slots(params);
    if (!slots) return new nunjucks.runtime.SafeString(template.render({ params }));
    const key = `${component} ${JSON.stringify(slots.params)}`;
    let html = rendered.get(key);
    if (!html) {
      if (rendered.size >= KEPT) rendered.clear();
      rendered.set(key, (html = new nunjucks.runtime.SafeString(template.render({ params: slots.params }))));
    }
    if (!slots.values.length) return html;
    // What was typed goes into this request's copy only, escaped as the macro would have escaped it,
    // in one pass over the kept markup, so a value that looks like a slot is never filled in itself.
    const values = slots.values;
    return new nunjucks.runtime.SafeString(html.toString().replace(SLOTS, (whole, n: string) => (Number(n) < values.length ? escapeAsNunjucks(String(values[Number(n)])) : whole)));
  });
  env.addGlobal('errorFor', (errors: FieldErrors | undefined, field: string) =>
    errors?.[field] ? { text: errors[field] } : undefined,
  );
  return env;
}
