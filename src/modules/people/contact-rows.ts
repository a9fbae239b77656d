import { CONTACT_METHODS } from '../../shared/vocabulary.js';

export interface ContactDetails {
  phone: string | null;
  email: string | null;
  contact_method: string | null;
  contact_times: string | null;
  interpreter_language: string | null;
  easy_read: boolean;
  accessibility_needs: string | null;
}

/** Summary-list rows for how to reach a person and how they communicate: the person page and triage show the same. */
export function contactRows(person: ContactDetails) {
  const method = person.contact_method ? (CONTACT_METHODS[person.contact_method as keyof typeof CONTACT_METHODS] ?? person.contact_method) : 'No preference';
  const communication = [person.interpreter_language && `Interpreter: ${person.interpreter_language}`, person.easy_read && 'Easy read', person.accessibility_needs].filter(Boolean).join('. ');
  return [
    { key: { text: 'Phone' }, value: { text: person.phone || 'Not recorded' } },
    { key: { text: 'Email' }, value: { text: person.email || 'Not recorded' } },
    { key: { text: 'Prefers' }, value: { text: person.contact_times ? `${method}, ${person.contact_times}` : method } },
    { key: { text: 'Communication' }, value: { text: communication || 'No needs recorded' } },
  ];
}
