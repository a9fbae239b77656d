/**
 * Outcome measures as data: wording, responses and their values, the scoring rule, valid ranges,
 * the missing-item rule, bands, and the copyright and licence notes. Taken word for word from the
 * published instruments (docs/reference in the repository's measures notes). Licensed instruments
 * (PAM, EQ-5D-5L) can be added as further definitions once a licence is held.
 */

export interface ResponseOption {
  value: number;
  label: string;
}

export interface Band {
  label: string;
  min: number;
  max: number;
}

export interface Item {
  id: string;
  text: string;
  /** Overrides the instrument's responses (ONS4's anxiety anchors differ). */
  responses?: ResponseOption[];
  /** For instruments reported item by item (ONS4). */
  bands?: Band[];
  higherIsBetter?: boolean;
}

export type ScoringRule =
  /** Sum every item (all required), then convert the raw total through a table. */
  | { kind: 'sum_converted'; table: Record<number, number> }
  /** Sum every item (all required). */
  | { kind: 'sum' }
  /** Sum, allowing up to `maxMissing` unanswered: the total is the mean of answered items × item count. */
  | { kind: 'sum_prorated'; maxMissing: number }
  /** No total: each item is its own score (ONS4). */
  | { kind: 'items' }
  /** One categorical answer, counted not scored (the ONS loneliness question). */
  | { kind: 'category' };

export interface Instrument {
  code: string;
  name: string;
  shortName: string;
  stem: string;
  items: Item[];
  responses: ResponseOption[];
  scoring: ScoringRule;
  /** The range of the total, for validation and charts. */
  range?: { min: number; max: number };
  higherIsBetter: boolean;
  bands?: Band[];
  /** Points of change: beyond measurement error, and reliable change. */
  change?: { measurementError: number; reliable: number };
  /** A configurable convention (not an official cut-off), with its source. */
  threshold?: { value: number; label: string; note: string };
  copyright: string | null;
  licence: string;
  /** Off until its official item wording is entered, or its licence is held. */
  available: boolean;
  unavailableReason?: string;
}

const SWEMWBS_RESPONSES: ResponseOption[] = [
  { value: 1, label: 'None of the time' },
  { value: 2, label: 'Rarely' },
  { value: 3, label: 'Some of the time' },
  { value: 4, label: 'Often' },
  { value: 5, label: 'All of the time' },
];

/** Raw 7–35 to the metric score (Rasch-derived, interval level), as published by Warwick. */
export const SWEMWBS_METRIC: Record<number, number> = {
  7: 7.0, 8: 9.51, 9: 11.25, 10: 12.4, 11: 13.33, 12: 14.08, 13: 14.75, 14: 15.32, 15: 15.84, 16: 16.36,
  17: 16.88, 18: 17.43, 19: 17.98, 20: 18.59, 21: 19.25, 22: 19.98, 23: 20.73, 24: 21.54, 25: 22.35, 26: 23.21,
  27: 24.11, 28: 25.03, 29: 26.02, 30: 27.03, 31: 28.13, 32: 29.31, 33: 30.7, 34: 32.55, 35: 35.0,
};

const zeroToTen = (low: string, high: string): ResponseOption[] =>
  Array.from({ length: 11 }, (_, value) => ({ value, label: value === 0 ? `0 – ${low}` : value === 10 ? `10 – ${high}` : String(value) }));

const ONS_POSITIVE_BANDS: Band[] = [
  { label: 'Low', min: 0, max: 4 },
  { label: 'Medium', min: 5, max: 6 },
  { label: 'High', min: 7, max: 8 },
  { label: 'Very high', min: 9, max: 10 },
];
const ONS_ANXIETY_BANDS: Band[] = [
  { label: 'Very low', min: 0, max: 1 },
  { label: 'Low', min: 2, max: 3 },
  { label: 'Medium', min: 4, max: 5 },
  { label: 'High', min: 6, max: 10 },
];

export const INSTRUMENTS: Record<string, Instrument> = {
  swemwbs: {
    code: 'swemwbs',
    name: 'Short Warwick-Edinburgh Mental Wellbeing Scale',
    shortName: 'SWEMWBS',
    stem: 'Below are some statements about feelings and thoughts. Please tick the box that best describes your experience of each over the last 2 weeks.',
    items: [
      { id: 'optimistic', text: 'I’ve been feeling optimistic about the future' },
      { id: 'useful', text: 'I’ve been feeling useful' },
      { id: 'relaxed', text: 'I’ve been feeling relaxed' },
      { id: 'problems', text: 'I’ve been dealing with problems well' },
      { id: 'clearly', text: 'I’ve been thinking clearly' },
      { id: 'close', text: 'I’ve been feeling close to other people' },
      { id: 'mind', text: 'I’ve been able to make up my own mind about things' },
    ],
    responses: SWEMWBS_RESPONSES,
    scoring: { kind: 'sum_converted', table: SWEMWBS_METRIC },
    range: { min: 7, max: 35 },
    higherIsBetter: true,
    change: { measurementError: 1, reliable: 3 },
    copyright: 'Short Warwick Edinburgh Mental Wellbeing Scale (SWEMWBS) © NHS Health Scotland, University of Warwick and University of Edinburgh, 2008, all rights reserved.',
    licence: 'Free to use after registering with the University of Warwick.',
    available: true,
  },
  wemwbs: {
    code: 'wemwbs',
    name: 'Warwick-Edinburgh Mental Wellbeing Scale',
    shortName: 'WEMWBS',
    stem: 'Below are some statements about feelings and thoughts. Please tick the box that best describes your experience of each over the last 2 weeks.',
    items: [],
    responses: SWEMWBS_RESPONSES,
    scoring: { kind: 'sum' },
    range: { min: 14, max: 70 },
    higherIsBetter: true,
    bands: [
      { label: 'Probable depression (not a screening tool)', min: 14, max: 40 },
      { label: 'Possible depression (not a screening tool)', min: 41, max: 44 },
      { label: 'Average', min: 45, max: 59 },
      { label: 'High', min: 60, max: 70 },
    ],
    change: { measurementError: 3, reliable: 8 },
    copyright: 'Warwick Edinburgh Mental Wellbeing Scale (WEMWBS) © NHS Health Scotland, University of Warwick and University of Edinburgh, 2006, all rights reserved.',
    licence: 'Free to use after registering with the University of Warwick.',
    available: false,
    unavailableReason: 'The 14 items must be entered word for word from the official form before WEMWBS can be used.',
  },
  ons4: {
    code: 'ons4',
    name: 'ONS personal wellbeing (ONS4)',
    shortName: 'ONS4',
    stem: 'Please answer each question on a scale from 0 to 10.',
    items: [
      { id: 'satisfied', text: 'Overall, how satisfied are you with your life nowadays?', bands: ONS_POSITIVE_BANDS, higherIsBetter: true },
      { id: 'worthwhile', text: 'Overall, to what extent do you feel that the things you do in your life are worthwhile?', bands: ONS_POSITIVE_BANDS, higherIsBetter: true },
      { id: 'happy', text: 'Overall, how happy did you feel yesterday?', bands: ONS_POSITIVE_BANDS, higherIsBetter: true },
      {
        id: 'anxious',
        text: 'On a scale where 0 is “not at all anxious” and 10 is “completely anxious”, overall, how anxious did you feel yesterday?',
        responses: zeroToTen('not at all anxious', 'completely anxious'),
        bands: ONS_ANXIETY_BANDS,
        higherIsBetter: false,
      },
    ],
    responses: zeroToTen('not at all', 'completely'),
    scoring: { kind: 'items' },
    range: { min: 0, max: 10 },
    higherIsBetter: true,
    copyright: null,
    licence: 'Free to use (Office for National Statistics). Reported item by item: the four are never combined.',
    available: true,
  },
  gse: {
    code: 'gse',
    name: 'General Self-Efficacy Scale',
    shortName: 'GSE',
    stem: 'How true is each statement for you?',
    items: [
      { id: 'gse1', text: 'I can always manage to solve difficult problems if I try hard enough.' },
      { id: 'gse2', text: 'If someone opposes me, I can find the means and ways to get what I want.' },
      { id: 'gse3', text: 'It is easy for me to stick to my aims and accomplish my goals.' },
      { id: 'gse4', text: 'I am confident that I could deal efficiently with unexpected events.' },
      { id: 'gse5', text: 'Thanks to my resourcefulness, I know how to handle unforeseen situations.' },
      { id: 'gse6', text: 'I can solve most problems if I invest the necessary effort.' },
      { id: 'gse7', text: 'I can remain calm when facing difficulties because I can rely on my coping abilities.' },
      { id: 'gse8', text: 'When I am confronted with a problem, I can usually find several solutions.' },
      { id: 'gse9', text: 'If I am in trouble, I can usually think of a solution.' },
      { id: 'gse10', text: 'I can usually handle whatever comes my way.' },
    ],
    responses: [
      { value: 1, label: 'Not at all true' },
      { value: 2, label: 'Hardly true' },
      { value: 3, label: 'Moderately true' },
      { value: 4, label: 'Exactly true' },
    ],
    scoring: { kind: 'sum_prorated', maxMissing: 3 },
    range: { min: 10, max: 40 },
    higherIsBetter: true,
    copyright: 'Schwarzer, R., & Jerusalem, M. (1995). Generalized Self-Efficacy scale.',
    licence: 'Free to use with citation. There is no cut-off.',
    available: true,
  },
  ucla3: {
    code: 'ucla3',
    name: 'UCLA 3-item loneliness scale',
    shortName: 'UCLA 3',
    stem: 'The next questions are about how you feel about different aspects of your life.',
    items: [
      { id: 'companionship', text: 'How often do you feel that you lack companionship?' },
      { id: 'left_out', text: 'How often do you feel left out?' },
      { id: 'isolated', text: 'How often do you feel isolated from others?' },
    ],
    responses: [
      { value: 1, label: 'Hardly ever or never' },
      { value: 2, label: 'Some of the time' },
      { value: 3, label: 'Often' },
    ],
    scoring: { kind: 'sum' },
    range: { min: 3, max: 9 },
    higherIsBetter: false,
    threshold: { value: 6, label: 'Lonely (6 or more)', note: 'A common convention, not an official cut-off (unconfirmed); each service may change it.' },
    copyright: 'Hughes, M. E., Waite, L. J., Hawkley, L. C., & Cacioppo, J. T. (2004).',
    licence: 'Free to use with citation.',
    available: true,
  },
  ons_loneliness: {
    code: 'ons_loneliness',
    name: 'ONS direct loneliness question',
    shortName: 'ONS loneliness',
    stem: 'Asked with the UCLA 3-item scale, as ONS recommends.',
    items: [{ id: 'lonely', text: 'How often do you feel lonely?' }],
    responses: [
      { value: 1, label: 'Often/always' },
      { value: 2, label: 'Some of the time' },
      { value: 3, label: 'Occasionally' },
      { value: 4, label: 'Hardly ever' },
      { value: 5, label: 'Never' },
    ],
    scoring: { kind: 'category' },
    higherIsBetter: true,
    copyright: null,
    licence: 'Free to use (Office for National Statistics).',
    available: true,
  },
};

export type InstrumentCode = keyof typeof INSTRUMENTS;
