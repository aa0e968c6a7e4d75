import type { Rng } from './seeded-rng.js';

/**
 * Names, domains and brands for accounts, orgs and apps. Nothing here encodes a label: the
 * same generators serve benign and attack accounts, and what differs is how they are used
 * (one catch-all domain for hundreds of sign-ups, sequential digits, one name pattern).
 */
export const FIRST_NAMES = [
  'james', 'mary', 'john', 'patricia', 'robert', 'jennifer', 'michael', 'linda', 'david', 'elizabeth', 'william', 'barbara', 'richard', 'susan',
  'joseph', 'jessica', 'thomas', 'sarah', 'chris', 'karen', 'daniel', 'lisa', 'matthew', 'nancy', 'anthony', 'sandra', 'mark', 'ashley', 'steven',
  'emily', 'andrew', 'michelle', 'josh', 'amanda', 'kevin', 'melissa', 'brian', 'laura', 'ryan', 'rebecca', 'jacob', 'emma', 'nathan', 'olivia',
  'lucas', 'sophie', 'noah', 'mia', 'liam', 'chloe', 'ethan', 'zoe', 'aarav', 'priya', 'rohan', 'ananya', 'vikram', 'neha', 'arjun', 'kavya',
  'rahul', 'pooja', 'amit', 'sneha', 'wei', 'li', 'jun', 'mei', 'hao', 'xin', 'yuki', 'haruto', 'sakura', 'kenji', 'aiko', 'minjun', 'seoyeon',
  'jiho', 'hyun', 'lukas', 'lena', 'felix', 'hannah', 'jonas', 'anna', 'leon', 'marie', 'paul', 'clara', 'hugo', 'camille', 'louis', 'manon',
  'mateo', 'valentina', 'santiago', 'camila', 'diego', 'lucia', 'pedro', 'julia', 'gabriel', 'beatriz', 'rafael', 'larissa', 'tomasz', 'kasia',
  'piotr', 'agnieszka', 'erik', 'ingrid', 'lars', 'astrid', 'mehmet', 'elif', 'emre', 'zeynep', 'duc', 'linh', 'minh', 'thao', 'jose', 'maria',
  'carlos', 'ana', 'luis', 'sofia', 'omar', 'fatima', 'ahmed', 'aisha', 'chinedu', 'ngozi', 'tunde', 'amara', 'thabo', 'lerato', 'nikhil',
  'shreya', 'sam', 'alex', 'jordan', 'taylor', 'morgan', 'casey', 'jamie', 'riley', 'max', 'ben', 'tom', 'kate', 'ella', 'grace', 'jack', 'ivan',
  'olga', 'dmitri', 'nadia', 'marco', 'giulia', 'luca', 'francesca', 'pablo', 'elena', 'sven', 'freya', 'tariq', 'leila', 'ravi', 'divya',
];

export const LAST_NAMES = [
  'smith', 'johnson', 'williams', 'brown', 'jones', 'garcia', 'miller', 'davis', 'rodriguez', 'martinez', 'hernandez', 'lopez', 'gonzalez',
  'wilson', 'anderson', 'thomas', 'taylor', 'moore', 'jackson', 'martin', 'lee', 'perez', 'thompson', 'white', 'harris', 'sanchez', 'clark',
  'ramirez', 'lewis', 'robinson', 'walker', 'young', 'allen', 'king', 'wright', 'scott', 'torres', 'nguyen', 'hill', 'flores', 'green', 'adams',
  'nelson', 'baker', 'hall', 'rivera', 'campbell', 'mitchell', 'carter', 'roberts', 'patel', 'sharma', 'singh', 'kumar', 'gupta', 'reddy',
  'iyer', 'nair', 'das', 'mehta', 'wang', 'zhang', 'liu', 'chen', 'yang', 'huang', 'zhao', 'wu', 'zhou', 'xu', 'sato', 'suzuki', 'takahashi',
  'tanaka', 'watanabe', 'ito', 'yamamoto', 'nakamura', 'kim', 'park', 'choi', 'jung', 'kang', 'cho', 'yoon', 'muller', 'schmidt', 'schneider',
  'fischer', 'weber', 'meyer', 'wagner', 'becker', 'hoffmann', 'dubois', 'durand', 'leroy', 'moreau', 'laurent', 'simon', 'michel', 'bernard',
  'silva', 'santos', 'oliveira', 'souza', 'costa', 'pereira', 'almeida', 'ferreira', 'rossi', 'russo', 'ferrari', 'esposito', 'bianchi',
  'romano', 'nowak', 'kowalski', 'wisniewski', 'andersson', 'johansson', 'karlsson', 'nilsson', 'yilmaz', 'kaya', 'demir', 'sahin', 'tran',
  'le', 'pham', 'hoang', 'okafor', 'adeyemi', 'okonkwo', 'nkosi', 'dlamini', 'cohen', 'levi', 'ivanov', 'petrov', 'novak', 'horvat', 'jensen',
  'hansen', 'olsen', 'murphy', 'kelly', 'obrien', 'ryan', 'walsh', 'byrne', 'fernandez', 'gomez', 'diaz', 'morales', 'ortiz', 'castro',
];

const COMPANY_HEADS = ['north', 'blue', 'bright', 'clear', 'deep', 'iron', 'silver', 'swift', 'true', 'open', 'red', 'green', 'cloud', 'data', 'signal', 'harbor', 'summit', 'atlas', 'vector', 'pixel', 'quant', 'lumen', 'nova', 'terra', 'meridian', 'orbit', 'cedar', 'maple', 'granite', 'echo', 'apex', 'pine', 'river', 'stone', 'bolt', 'spark', 'crest', 'fable', 'kite', 'ember'];
const COMPANY_TAILS = ['labs', 'works', 'soft', 'ware', 'stack', 'flow', 'base', 'forge', 'mind', 'logic', 'loop', 'grid', 'line', 'path', 'point', 'scale', 'sense', 'shift', 'sight', 'wave', 'hub', 'bay', 'field', 'link', 'metrics', 'ops', 'analytics', 'health', 'pay', 'learn'];
const COMPANY_TLDS = ['com', 'com', 'com', 'io', 'io', 'ai', 'ai', 'co', 'dev', 'tech', 'de', 'co.uk', 'fr', 'in', 'com.br', 'jp'];
const VANITY_TLDS = ['me', 'dev', 'xyz', 'net', 'org', 'name', 'page', 'io'];
const CHEAP_TLDS = ['xyz', 'top', 'shop', 'online', 'site', 'store', 'click', 'icu', 'cfd', 'sbs', 'pro', 'info'];

export interface University {
  domain: string;
  country: string;
  asn: number;
}

export const UNIVERSITIES: readonly University[] = [
  { domain: 'mit.edu', country: 'US', asn: 3 },
  { domain: 'stanford.edu', country: 'US', asn: 32 },
  { domain: 'berkeley.edu', country: 'US', asn: 25 },
  { domain: 'umich.edu', country: 'US', asn: 36375 },
  { domain: 'gatech.edu', country: 'US', asn: 2637 },
  { domain: 'cam.ac.uk', country: 'GB', asn: 786 },
  { domain: 'ox.ac.uk', country: 'GB', asn: 786 },
  { domain: 'ucl.ac.uk', country: 'GB', asn: 786 },
  { domain: 'tum.de', country: 'DE', asn: 680 },
  { domain: 'lmu.de', country: 'DE', asn: 680 },
  { domain: 'ethz.ch', country: 'CH', asn: 559 },
  { domain: 'u-tokyo.ac.jp', country: 'JP', asn: 2907 },
  { domain: 'kyoto-u.ac.jp', country: 'JP', asn: 2907 },
  { domain: 'iitb.ac.in', country: 'IN', asn: 55824 },
  { domain: 'iitd.ac.in', country: 'IN', asn: 55824 },
  { domain: 'unimelb.edu.au', country: 'AU', asn: 7575 },
  { domain: 'sydney.edu.au', country: 'AU', asn: 7575 },
  { domain: 'usp.br', country: 'BR', asn: 1916 },
  { domain: 'kaist.ac.kr', country: 'KR', asn: 17579 },
  { domain: 'utoronto.ca', country: 'CA', asn: 239 },
  { domain: 'nus.edu.sg', country: 'SG', asn: 7472 },
  { domain: 'sorbonne-universite.fr', country: 'FR', asn: 2200 },
];

export function personName(rng: Rng): { first: string; last: string } {
  return { first: rng.pick(FIRST_NAMES), last: rng.pick(LAST_NAMES) };
}

/** Local parts the way people pick them: first.last, flast, firstlast84, first_last2001 ... */
export function personalLocalPart(rng: Rng, first: string, last: string): string {
  const u = rng.float();
  const year = String(rng.range(1962, 2006));
  if (u < 0.22) return `${first}.${last}`;
  if (u < 0.34) return `${first}${last}`;
  if (u < 0.46) return `${first[0]}${last}`;
  if (u < 0.6) return `${first}${last}${year.slice(2)}`;
  if (u < 0.7) return `${first}.${last}${rng.range(1, 99)}`;
  if (u < 0.78) return `${first}_${last}`;
  if (u < 0.86) return `${first}${year}`;
  if (u < 0.93) return `${last}.${first}`;
  return `${first}${rng.range(100, 9999)}`;
}

export function companyName(rng: Rng): string {
  return rng.pick(COMPANY_HEADS) + rng.pick(COMPANY_TAILS);
}

export function companyDomain(name: string, rng: Rng): string {
  return `${name}.${rng.pick(COMPANY_TLDS)}`;
}

export function vanityDomain(last: string, rng: Rng): string {
  return `${last}${rng.chance(0.5) ? '' : rng.pick(['home', 'mail', 'family', 'hq', 'net'])}.${rng.pick(VANITY_TLDS)}`;
}

/** A cheap registered domain of the kind bulk sign-up operations point a catch-all at. */
export function cheapDomain(rng: Rng): string {
  return `${rng.pick(COMPANY_HEADS)}${rng.pick(['mail', 'box', 'inbox', 'post', 'hub', 'desk', 'zone', 'base'])}${rng.range(1, 99)}.${rng.pick(CHEAP_TLDS)}`;
}

export const APP_BRANDS = [
  'Lumi', 'Quill', 'Nimbus', 'Sage', 'Orbit', 'Pilot', 'Beacon', 'Compass', 'Echo', 'Atlas', 'Muse', 'Scout', 'Harbor', 'Sprout', 'Tandem',
  'Relay', 'Kindle', 'Vista', 'Juniper', 'Marlow', 'Pixel', 'Fathom', 'Ember', 'Cadence', 'Lattice', 'Prism', 'Willow', 'Zephyr',
];
