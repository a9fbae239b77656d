import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { withForm } from '../../platform/forms.js';
import { datePartsOf } from '../../shared/dates.js';
import { text } from '../../shared/form.js';
import type { NEED_DOMAINS} from '../../shared/vocabulary.js';
import { CONTACT_METHODS, itemsOf } from '../../shared/vocabulary.js';
import { SELF_REFERRAL_MINIMUM_AGE, createSelfReferral, practicesForSelfReferral } from './referral-service.js';

/** The honeypot: a field people never see or fill, and form-filling bots do. */
const HONEYPOT = 'organisation_website';

/** Plain-English reasons for the public form, for the same need domains. */
const PLAIN_NEEDS: Partial<Record<keyof typeof NEED_DOMAINS, string>> = {
  loneliness: 'Feeling lonely or cut off',
  money: 'Money worries, debt or benefits',
  housing: 'Housing',
  employment: 'Work, learning or volunteering',
  physical_activity: 'Getting more active',
  mental_wellbeing: 'Feeling low, stressed or anxious',
  caring: 'Looking after someone',
  bereavement: 'Someone has died',
  relationships: 'Family or relationships',
  food: 'Food',
  digital: 'Getting online',
  arts: 'Arts, music and creativity',
  nature: 'Being outdoors and nature',
  long_term_condition: 'Living with a long-term health condition',
  transport: 'Getting around',
};

export function registerSelfReferralRoutes(app: FastifyInstance) {
  const render = async (reply: FastifyReply, values: Record<string, unknown>, errors?: Record<string, string>) => {
    const practices = await practicesForSelfReferral(app.db);
    const needs = ([] as string[]).concat((values.needDomains as string[] | string | undefined) ?? []);
    return reply.page('referrals/self.njk', {
      title: 'Refer yourself to a link worker',
      values,
      errors,
      honeypot: HONEYPOT,
      minimumAge: SELF_REFERRAL_MINIMUM_AGE,
      dob: datePartsOf(values, 'dateOfBirth'),
      practiceItems: [{ value: '', text: 'Select your GP practice' }, ...practices.map((p) => ({ value: p.id, text: p.name, selected: p.id === values.registeredPracticeId }))],
      needItems: Object.entries(PLAIN_NEEDS).map(([value, label]) => ({ value, text: label, checked: needs.includes(value) })),
      contactMethodItems: itemsOf(CONTACT_METHODS, values.contactMethod as string),
    });
  };

  app.get('/self-referral', (_request, reply) => render(reply, { idempotencyKey: randomUUID() }));

  app.post(
    '/self-referral',
    { config: { rateLimit: { max: 10, timeWindow: '10 minutes' } } },
    async (request, reply) => {
      const values = request.body as Record<string, unknown>;
      if (text(values, HONEYPOT)) {
        // Filled by a bot: thank it and keep nothing.
        request.log.warn('self-referral honeypot filled; nothing saved');
        return reply.page('referrals/self-sent.njk', { title: 'Thank you' });
      }
      const result = await withForm(reply, () => createSelfReferral(app.db, values, request.id), (errors) => render(reply, values, errors));
      if (!result.ok) return reply;
      return reply.code(201).page('referrals/self-sent.njk', { title: 'Thank you', reference: result.value.reference });
    },
  );
}
