import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createViewEnvironment, DATE_INPUT_FIELDS, inPageOrder, keptMarkup, VIEWS_DIR } from './views.js';

const templates = (dir: string): string[] =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? templates(path.join(dir, entry.name)) : entry.name.endsWith('.njk') ? [path.join(dir, entry.name)] : []));

describe('error summary links', () => {
  it('go to the day box of a date input and to the field itself otherwise', () => {
    const errorList = createViewEnvironment().getGlobal('errorList') as (errors: Record<string, string>) => { href: string }[];
    expect(errorList({ date: 'Enter the date', time: 'Enter the time' }).map((e) => e.href)).toEqual(['#date-day', '#time']);
  });

  it('are put in the order of the fields on the page, with any not on the page last', () => {
    const html = '<input id="name"><div id="date-day"></div><textarea id="notes"></textarea>';
    const checked = { notes: 'Notes too long', missing: 'Not on the page', date: 'Enter the date', name: 'Enter a name' };
    expect(Object.keys(inPageOrder(html, checked))).toEqual(['name', 'date', 'notes', 'missing']);
    // An id that only starts with the field's does not count.
    expect(Object.keys(inPageOrder('<input id="names"><input id="date-day"><input id="name">', { name: 'a', date: 'b' }))).toEqual(['date', 'name']);
  });

  it('know every date input the pages use', () => {
    const ids = templates(VIEWS_DIR).flatMap((file) => [...fs.readFileSync(file, 'utf8').matchAll(/dateInput(?:\(|", )\{ id: "([A-Za-z]+)"/g)].map((m) => m[1]!));
    expect(ids.length).toBeGreaterThan(0);
    expect([...new Set(ids)].sort()).toEqual([...DATE_INPUT_FIELDS].sort());
  });
});

describe('the faster Frame.set', () => {
  // Outputs recorded from nunjucks 3.2.4 without the replacement: scoping and loop variables are unchanged.
  const env = createViewEnvironment();
  it.each([
    ['{% set x = 1 %}{% for i in [1, 2] %}{% set x = x + i %}{% endfor %}{{ x }}', '4'],
    ["{% for i in ['a', 'b', 'c'] %}{{ loop.index }}{{ loop.index0 }}{{ loop.first }}{{ loop.last }}{{ loop.length }}{{ loop.revindex }};{% endfor %}", '10truefalse33;21falsefalse32;32falsetrue31;'],
    ["{% macro m(a) %}{% set x = a %}{{ x }}{% endmacro %}{% set x = 'outer' %}{{ m('inner') }}{{ x }}", 'innerouter'],
    ['{% for o in [[1, 2], [3]] %}{% for i in o %}{{ loop.index }}/{{ loop.length }} {% endfor %}| {% endfor %}', '1/2 2/2 | 1/1 | '],
    ["{% set y = 'a' %}{% if true %}{% set y = 'b' %}{% endif %}{{ y }}", 'b'],
  ])('renders %s as nunjucks does', (template, expected) => {
    expect(env.renderString(template, {})).toBe(expected);
  });
});

describe('once', () => {
  const env = createViewEnvironment();
  const items = (chosen: string) => ['', 'a', 'b'].map((value) => ({ value, text: value || 'Any', selected: value === chosen }));
  const both = (params: object) => [
    env.renderString('{% from "nhsuk/components/select/macro.njk" import select %}{{ select(params) }}', { params }),
    env.renderString('{{ once("select", params) }}', { params }),
  ];

  it('renders exactly what the NHS.UK select renders, for each choice and error', () => {
    for (const params of [
      { id: 'type', name: 'type', label: { text: 'Type' }, items: items('') },
      { id: 'type', name: 'type', label: { text: 'Type' }, items: items('b') },
      { id: 'type', name: 'type', label: { text: 'Type' }, items: items('b'), errorMessage: { text: 'Select a type from the list' } },
    ]) {
      const [direct, once] = both(params);
      expect(once).toBe(direct);
    }
  });

  it('renders checkboxes and radios exactly as their NHS.UK macros do', () => {
    for (const name of ['checkboxes', 'radios']) {
      const params = { idPrefix: 'day', name: 'day', fieldset: { legend: { text: 'Days' } }, items: [{ value: '1', text: 'Monday', checked: true }, { value: '2', text: 'Tuesday' }], errorMessage: { text: 'Select a day' } };
      const direct = env.renderString(`{% from "nhsuk/components/${name}/macro.njk" import ${name} %}{{ ${name}(params) }}`, { params });
      expect(env.renderString(`{{ once("${name}", params) }}`, { params })).toBe(direct);
    }
  });

  it('renders buttons, fields, the header and the footer exactly as their NHS.UK macros do, typed values and errors too', () => {
    const cases: [string, string, object][] = [
      ['button', 'button', { text: 'Save', classes: 'nhsuk-button--secondary' }],
      ['footer', 'footer', { meta: { items: [{ href: '/privacy', text: 'Privacy' }] }, copyright: 'Anchorpoint contributors' }],
      ['input', 'input', { id: 'title', name: 'title', label: { text: 'What needs doing' } }],
      ['input', 'input', { id: 'title', name: 'title', label: { text: 'What needs doing' }, value: 'Ring the council', errorMessage: { text: 'Too long' } }],
      ['textarea', 'textarea', { id: 'notes', name: 'notes', label: { text: 'Notes' }, rows: 2 }],
      ['textarea', 'textarea', { id: 'notes', name: 'notes', label: { text: 'Notes' }, value: 'Line one\nline two' }],
      ['dateInput', 'date-input', { id: 'dueOn', namePrefix: 'dueOn', fieldset: { legend: { text: 'Due' } }, items: [{ name: 'day' }, { name: 'month' }, { name: 'year' }] }],
      ['dateInput', 'date-input', { id: 'dueOn', namePrefix: 'dueOn', fieldset: { legend: { text: 'Due' } }, items: [{ name: 'day', value: '3' }, { name: 'month', value: '4' }, { name: 'year', value: '2027' }] }],
      // Typed text that escaping changes, or that means something to String.replace, and a number.
      ['input', 'input', { id: 'q', name: 'q', label: { text: 'Search' }, value: `<b>"Tom" & 'Jerry'</b> $& $1 café` }],
      ['input', 'input', { id: 'age', name: 'age', label: { text: 'Age' }, value: 67 }],
      ['textarea', 'textarea', { id: 'notes', name: 'notes', label: { text: 'Notes' }, value: `</textarea><script>alert("x")</script>\n  indented $$` }],
      ['dateInput', 'date-input', { id: 'dueOn', namePrefix: 'dueOn', fieldset: { legend: { text: 'Due' } }, items: [{ name: 'day', value: '3"' }, { name: 'month' }, { name: 'year', value: '<2027>' }] }],
      ['input', 'input', { id: 'x', name: 'x', label: { text: 'X' }, value: true }],
      // A value that looks like a slot is shown as typed, not filled in.
      ['dateInput', 'date-input', { id: 'dueOn', namePrefix: 'dueOn', fieldset: { legend: { text: 'Due' } }, items: [{ name: 'day', value: 'app-typed-value-1-end' }, { name: 'month', value: '4' }, { name: 'year', value: '2027' }] }],
      ['header', 'header', { service: { text: 'Anchorpoint', href: '/' }, logo: { alt: 'NHS' }, navigation: { items: [{ href: '/today', text: 'Today', current: true }] } }],
      ['header', 'header', {
        service: { text: 'Anchorpoint', href: '/' },
        logo: { alt: 'NHS' },
        account: { items: [{ text: ' Dr O’Neil <Lead> & "Co", Link worker ', icon: true }, undefined, { text: 'Sign out', action: '/sign-out?_csrf=a1-B2_c3.d4' }] },
        navigation: { items: [{ href: '/today', text: 'Today' }] },
      }],
    ];
    for (const [name, directory, params] of cases) {
      const direct = env.renderString(`{% from "nhsuk/components/${directory}/macro.njk" import ${name} %}{{ ${name}(params) }}`, { params });
      // Twice: the second may come from what the first kept.
      expect(env.renderString(`{{ once("${name}", params) }}`, { params })).toBe(direct);
      expect(env.renderString(`{{ once("${name}", params) }}`, { params })).toBe(direct);
    }
  });

  it('never keeps what someone typed, or an error about it', () => {
    const fresh = createViewEnvironment();
    const pages = [
      fresh.renderString('{{ once("input", { id: "name", name: "name", label: { text: "Name" }, value: "Jane Doe" }) }}', {}),
      fresh.renderString('{{ once("textarea", { id: "n", name: "n", label: { text: "Notes" }, value: "Lives alone since March" }) }}', {}),
      fresh.renderString('{{ once("dateInput", { id: "d", namePrefix: "d", items: [{ name: "day", value: "14" }, { name: "month" }, { name: "year", value: "1947" }] }) }}', {}),
      fresh.renderString('{{ once("input", { id: "pc", name: "pc", label: { text: "Postcode" }, errorMessage: { text: "We cannot place ZZ9 9ZZ" } }) }}', {}),
      fresh.renderString('{{ once("header", { account: { items: [{ text: "Robin Link", icon: true }, { text: "Sign out", action: "/sign-out?_csrf=tok3n" }] } }) }}', {}),
    ];
    // Each page shows what was typed; what is kept is the field around it.
    const shown = ['Jane Doe', 'Lives alone since March', '1947', 'ZZ9 9ZZ', 'tok3n'];
    pages.forEach((page, i) => expect(page).toContain(shown[i]));
    expect(pages[4]).toContain('Robin Link');
    const kept = [...keptMarkup.get(fresh)!].map(([key, html]) => `${key} ${String(html)}`).join('\n');
    expect(keptMarkup.get(fresh)!.size).toBe(4);
    for (const words of ['Jane Doe', 'Lives alone', '1947', 'ZZ9', 'Robin', 'tok3n']) expect(kept).not.toContain(words);
    // The same field typed into again is the kept markup, with the new words in this page only.
    const again = fresh.renderString('{{ once("input", { id: "name", name: "name", label: { text: "Name" }, value: "Sam Roe" }) }}', {});
    expect(again).toContain('value="Sam Roe"');
    expect(again).not.toContain('Jane Doe');
    expect(keptMarkup.get(fresh)!.size).toBe(4);
  });

  it('refuses components it does not know', () => {
    expect(() => env.renderString('{{ once("pagination", {}) }}', {})).toThrow(/not pagination/);
  });

  it('does not give one choice’s HTML for another', () => {
    const first = env.renderString('{{ once("select", params) }}', { params: { id: 't', name: 't', items: items('a') } });
    const second = env.renderString('{{ once("select", params) }}', { params: { id: 't', name: 't', items: items('b') } });
    expect(first).toContain('<option value="a" selected>');
    expect(second).toContain('<option value="b" selected>');
    expect(second).not.toContain('<option value="a" selected>');
  });
});

describe('markup without the macros’ indentation', () => {
  const env = createViewEnvironment();
  it('adds no indentation, and keeps what someone typed exactly', () => {
    const html = env.renderString('{% from "nhsuk/components/textarea/macro.njk" import textarea %}{{ textarea({ id: "n", name: "n", label: { text: "Notes" }, hint: { text: "What happened" }, value: value }) }}', {
      value: 'First line\n  second, indented by its writer',
    });
    // The label and hint come through as their own templates wrote them, not pushed in by two spaces.
    expect(html).toContain('\n</label>');
    expect(html).toContain('\n</div>');
    expect(html).not.toContain('  </label>');
    expect(/<textarea[^>]*>([\s\S]*?)<\/textarea>/.exec(html)![1]).toBe('First line\n  second, indented by its writer');
  });
});
