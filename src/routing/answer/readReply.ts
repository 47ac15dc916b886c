import { checkArray, checkString, readBag } from '../../model/arguments.js';
import { tokenize } from '../classify/tokenize.js';

/** What a customer's message says to "did this solve it?", and whether it shows anger. */
export interface ReplyReading {
  /** `yes`: solved; `no`: not solved; `unclear`: neither (a new question, a remark...). */
  readonly verdict: 'yes' | 'no' | 'unclear';
  /** Signs of anger: angry words, shouting in capitals, a run of `!`. */
  readonly anger: boolean;
  /** The customer asks for a person (an agent, a human, a manager). */
  readonly wantsPerson: boolean;
  /** The words and marks that decided, for the ticket's audit trail. */
  readonly cues: readonly string[];
}

/** Extra words for {@link readReply} (lower case), added to the built-in ones. */
export interface ReadReplyOptions {
  readonly yes?: readonly string[];
  readonly no?: readonly string[];
  readonly anger?: readonly string[];
  readonly person?: readonly string[];
}

// Starting points in English, Spanish, Portuguese and Vietnamese; phrases are matched on words.
const YES = [
  'yes',
  'yep',
  'yeah',
  'solved',
  'resolved',
  'worked',
  'works',
  'thanks',
  'thank you',
  'perfect',
  'great',
  'got it',
  'that helped',
  'it helped',
  'sí',
  'gracias',
  'resuelto',
  'funcionó',
  'perfecto',
  'sim',
  'obrigado',
  'obrigada',
  'resolvido',
  'funcionou',
  'vâng',
  'cảm ơn',
  'được rồi',
  'ok',
  'okay',
];
const NO = [
  'no',
  'nope',
  'not',
  "didn't",
  'didnt',
  "doesn't",
  'doesnt',
  "don't",
  "isn't",
  "hasn't",
  "haven't",
  'still',
  'wrong',
  'useless',
  'unhelpful',
  'nothing',
  'never',
  'nada',
  'todavía',
  'aún',
  'não',
  'nao',
  'ainda',
  'không',
  'chưa',
  'vẫn',
];
const ANGER = [
  'angry',
  'furious',
  'ridiculous',
  'unacceptable',
  'terrible',
  'awful',
  'worst',
  'disgusting',
  'pathetic',
  'scam',
  'fraud',
  'lawyer',
  'sue',
  'outraged',
  'wtf',
  'stupid',
  'idiot',
  'hate',
  'enojado',
  'inaceptable',
  'estafa',
  'vergüenza',
  'absurdo',
  'ridículo',
  'horrível',
  'péssimo',
  'palhaçada',
  'golpe',
  'tức giận',
  'lừa đảo',
  'tệ',
  'bực',
];
const PERSON = [
  'human',
  'person',
  'agent',
  'manager',
  'supervisor',
  'someone real',
  'real person',
  'operator',
  'representative',
  'persona',
  'humano',
  'pessoa',
  'atendente',
  'gerente',
  'nhân viên',
  'người thật',
];

function phrases(list: readonly string[]): string[][] {
  return list.map((p) => tokenize(p)).filter((words) => words.length > 0);
}

const BUILT_IN = {
  yes: phrases(YES),
  no: phrases(NO),
  anger: phrases(ANGER),
  person: phrases(PERSON),
};

function find(words: readonly string[], list: readonly (readonly string[])[]): string[] {
  const found: string[] = [];
  for (const phrase of list) {
    for (let i = 0; i + phrase.length <= words.length; i++) {
      if (phrase.every((w, k) => words[i + k] === w)) {
        found.push(phrase.join(' '));
        break;
      }
    }
  }
  return found;
}

/**
 * Reads a customer's answer to "did this solve it?": a verdict, signs of anger and whether they
 * ask for a person. Deliberately cautious: any negative word makes it `no` ("thanks, but it
 * still doesn't work"), a question is never a `yes` ("ok, and when will it arrive?"), and a
 * message with neither kind of word is `unclear`, which a bot should treat as a reason to hand
 * over. Words in English, Spanish, Portuguese and Vietnamese;
 * add your own with `options`.
 *
 * @example
 * ```ts
 * readReply('Yes, thanks!').verdict;
 * //=> 'yes'
 * readReply('No, it STILL HAS NOT ARRIVED!!!');
 * //=> { verdict: 'no', anger: true, wantsPerson: false, cues: ['no', 'not', 'still', 'capitals', '!!!'] }
 * readReply('Can I talk to a real person?').wantsPerson;
 * //=> true
 * ```
 */
export function readReply(input: string, options: ReadReplyOptions = {}): ReplyReading {
  // A reply is read up to its first 5,000 characters (a 10 MB text is not scanned per letter).
  const text = checkString(input, 'readReply', ['text'], Number.POSITIVE_INFINITY).slice(0, 5000);
  const o = readBag(options, 'readReply', ['options'], 'an options object { yes?, no?, anger?, person? }', [
    'yes',
    'no',
    'anger',
    'person',
  ]) as ReadReplyOptions;
  for (const key of ['yes', 'no', 'anger', 'person'] as const) {
    const list = o[key];
    if (list === undefined) continue;
    checkArray(list, 'readReply', ['options', key], 'an array of words or phrases', 1000);
    list.forEach((phrase, i) => {
      checkString(phrase, 'readReply', ['options', key, i], 200);
    });
  }
  options = o;
  const words = tokenize(text, { maxLength: 5000 });
  const extra = (list: readonly string[] | undefined) => phrases(list ?? []);
  const yes = find(words, [...BUILT_IN.yes, ...extra(options.yes)]);
  const no = find(words, [...BUILT_IN.no, ...extra(options.no)]);
  const angry = find(words, [...BUILT_IN.anger, ...extra(options.anger)]);
  const person = find(words, [...BUILT_IN.person, ...extra(options.person)]);
  const cues = [...yes.filter(() => no.length === 0), ...no, ...angry, ...person];
  // Shouting: at least 8 letters of which most are capitals (in a script that has cases).
  const letters = text.match(/\p{L}/gu) ?? [];
  const cased = letters.filter((c) => c.toLowerCase() !== c.toUpperCase());
  const capitals = cased.filter((c) => c !== c.toLowerCase()).length;
  const shouting = cased.length >= 8 && capitals / cased.length > 0.7;
  if (shouting) cues.push('capitals');
  const bangs = /!{3,}/.test(text);
  if (bangs) cues.push('!!!');
  // A question is a new request, not a confirmation: a person (or another answer) must read it.
  const asks = text.includes('?') || text.includes('¿');
  if (asks) cues.push('?');
  return {
    verdict: no.length > 0 ? 'no' : yes.length > 0 && !asks ? 'yes' : 'unclear',
    anger: angry.length > 0 || shouting || bangs,
    wantsPerson: person.length > 0,
    cues,
  };
}
