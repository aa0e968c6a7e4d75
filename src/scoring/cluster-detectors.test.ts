import { describe, expect, it } from 'vitest';
import { parseDetectionConfig } from './detection-config.js';
import { CLUSTER_DETECTORS, membersOnMintedDomain, type ClusterDetectorInput } from './cluster-detectors.js';
import { runDetector, type DetectorDefinition, type DetectorResult } from './detector.js';
import { clusterFixture, members, type MemberSpec } from './test-support/cluster-fixture.js';

const config = parseDetectionConfig();

function run(signal: string, input: ClusterDetectorInput): DetectorResult {
  const detector = CLUSTER_DETECTORS.find((d) => d.signal === signal)! as unknown as DetectorDefinition<ClusterDetectorInput, { weight: number }>;
  const result = runDetector(detector, input, config.detectors.cluster[signal]!);
  expect(result.error).toBeUndefined();
  return result;
}

const weight = (signal: string, input: ClusterDetectorInput) => run(signal, input).evidence.reduce((sum, item) => sum + item.weight, 0);

/** Expert system prompts of the kind a harness rotates: rare, and nothing alike. */
const EXPERT_PERSONAS = [
  'You are a meticulous mathematics professor. Derive every result from first principles and show all intermediate algebra before the final answer.',
  'Act as a senior software architect reviewing designs; list trade-offs, failure modes and a recommended plan with concrete steps.',
  'You are an expert grader. Compare candidate answers against the reference and justify a numeric score for each criterion.',
  'Respond as a patient physics tutor who explains the intuition first, then the formal derivation, then a worked numeric example.',
  'You are a legal analyst. Identify the governing rules, apply them to the facts in order, and state the likely outcome with caveats.',
  'Behave like a careful chemist: balance each equation, track units through every step and flag any unsafe procedure you notice.',
  'Take the role of a statistics consultant who states the model, checks its assumptions and reports effect sizes with intervals.',
  'Imagine you are a historian of science; place each idea in its period, name the sources and separate evidence from legend.',
];

/** Ordinary customers: their own card, home IP and client. */
const bystanders = members('person', 40, () => ({}));

describe('cluster detectors', () => {
  it('shared_payment: cards shared across organisations, weighed by how many accounts share them', () => {
    const ring = clusterFixture(members('ring', 12, (i) => ({ card: `card_ring_${i % 3}` })), bystanders).input;
    expect(weight('shared_payment', ring)).toBeCloseTo(3, 6);
    // Two accounts sharing a card are a household, not a ring.
    const couple = clusterFixture([...members('home', 2, () => ({ card: 'card_home' })), ...members('friend', 2, () => ({}))], bystanders).input;
    expect(weight('shared_payment', couple)).toBe(0);
    // Nor are two households among a VPN's customers a group of four.
    const households = clusterFixture([...members('home', 4, (i) => ({ card: `card_home_${i % 2}` })), ...members('vpn', 12, () => ({}))], bystanders).input;
    expect(weight('shared_payment', households)).toBe(0);
    // Three accounts on one card tie as many as before; pairs beside them count one account each.
    const trio = clusterFixture([...members('trio', 3, () => ({ card: 'card_trio' })), ...members('vpn', 12, () => ({}))], bystanders).input;
    const trioAndPairs = clusterFixture([...members('trio', 3, () => ({ card: 'card_trio' })), ...members('home', 4, (i) => ({ card: `card_home_${i % 2}` })), ...members('vpn', 8, () => ({}))], bystanders).input;
    expect(weight('shared_payment', trio)).toBeGreaterThan(0);
    const groupWeight = (accounts: number) => Math.log(accounts / 2) / Math.log(config.scoring.groupAccounts / 2);
    expect(weight('shared_payment', trioAndPairs) / weight('shared_payment', trio)).toBeCloseTo(groupWeight(5) / groupWeight(3), 3);
    // A company card inside one declared organisation is expected.
    const company = clusterFixture(members('dev', 12, () => ({ card: 'card_acme', org: 'org_acme' })), bystanders).input;
    expect(weight('shared_payment', company)).toBe(0);
  });

  it('shared_payment: names the members who share a card, so only they inherit the evidence', () => {
    const cluster = clusterFixture([...members('ring', 10, (i) => ({ card: `card_ring_${i % 2}` })), ...members('loose', 5, () => ({}))], bystanders);
    const result = run('shared_payment', cluster.input);
    expect(result.members?.size).toBe(10);
    for (const position of result.members!) expect(cluster.view.members[position]!.id).toMatch(/^ring/);
  });

  it('exit_pool: accounts rotating through exits spread over many subnets, not a campus behind a few addresses', () => {
    const pool = Array.from({ length: 60 }, (_, i) => `203.${i % 20}.${i}.${(i * 13) % 250}`);
    const proxy = clusterFixture(members('proxy', 12, (i) => ({ ips: pool.slice((i * 5) % 50, ((i * 5) % 50) + 10) })), bystanders).input;
    expect(weight('exit_pool', proxy)).toBeCloseTo(config.detectors.cluster.exit_pool!.weight, 6);
    const campus = clusterFixture(members('student', 25, () => ({ ips: ['128.40.1.10', '128.40.1.11', '128.40.1.12'] })), bystanders).input;
    expect(weight('exit_pool', campus)).toBe(0);
    expect(weight('shared_network', campus)).toBeGreaterThan(0);
  });

  it('exit_pool: a consumer VPN exit that many outside accounts use is no pool of the cluster\'s', () => {
    const vpn = ['185.1.1.1', '185.2.2.2', '185.3.3.3', '185.4.4.4'];
    const users = members('vpnuser', 30, () => ({ ips: vpn }));
    const cluster = clusterFixture(users.slice(0, 10), [...users.slice(10), ...bystanders]).input;
    expect(weight('exit_pool', cluster)).toBe(0);
  });

  it('rotated_system_prompts: a set of rare system prompts rotated across many accounts, not one app prompt', () => {
    const systems = EXPERT_PERSONAS.slice(0, 5);
    const rotation = clusterFixture(members('op', 10, () => ({ systems })), bystanders).input;
    expect(weight('rotated_system_prompts', rotation)).toBeGreaterThan(2);
    const app = ['You are HelpBot, the friendly assistant of the Acme online store. Answer shoppers politely and briefly.'];
    const oneApp = clusterFixture(members('shop', 10, () => ({ systems: app })), bystanders).input;
    expect(weight('rotated_system_prompts', oneApp)).toBe(0);
  });

  it('rotated_system_prompts: several apps, each with its own users, are no rotated set', () => {
    const apps = [
      'You are CodePilot, an interactive coding agent working in the user repository with shell and editor tools.',
      'You are Shopwise, the assistant of an online store; answer shoppers about orders, returns and sizes.',
      'You are LexiDraft, a contract drafting helper for small law firms; keep clauses short and cite the template.',
      'You are Triage, an on-call assistant that reads alerts and suggests the first three checks to run.',
      'You are Cookbook, a recipe assistant that adapts dishes to what is in the fridge and to allergies.',
    ];
    // Every account keeps to its app's one prompt, many requests each.
    const users = clusterFixture(members('user', 15, (i) => ({ systems: [apps[i % 5]!], requests: 40 })), bystanders).input;
    expect(weight('rotated_system_prompts', users)).toBe(0);
    // Thin accounts of a network, three requests each, picking one of the five per request.
    const thin = clusterFixture(members('thin', 30, () => ({ systems: apps, requests: 3 })), bystanders).input;
    expect(weight('rotated_system_prompts', thin)).toBeGreaterThan(1.5);
  });

  it('rotated_system_prompts: agent loops pick a prompt per conversation, not per step', () => {
    // Each account: two agent loops of thirty steps, each loop under another expert prompt of
    // eight. Two picks show two prompts, all that two picks can show.
    const loops = clusterFixture(
      members('op', 10, (i) => ({ systems: [EXPERT_PERSONAS[i % 8]!, EXPERT_PERSONAS[(i + 3) % 8]!], loopSteps: 30, requests: 60 })),
      bystanders,
    ).input;
    expect(weight('rotated_system_prompts', loops)).toBeGreaterThan(2);
    // Loops of several apps, each account keeping its app's one prompt: still no rotation.
    const apps = clusterFixture(members('app', 10, (i) => ({ systems: [EXPERT_PERSONAS[i % 5]!], loopSteps: 30, requests: 60 })), bystanders).input;
    expect(weight('rotated_system_prompts', apps)).toBe(0);
  });

  it('rotated_system_prompts: a script that keeps a favourite prompt per account and rotates the rest is a full rotation', () => {
    const systems = EXPERT_PERSONAS;
    // Each account: its favourite in eight requests of eleven, three others once each (about two
    // fifths of the spread a random pick per request gives, far from one prompt per account).
    const favourites = clusterFixture(
      members('op', 12, (i) => ({ systems: [...Array(8).fill(systems[i % 8]!), systems[(i + 1) % 8]!, systems[(i + 3) % 8]!, systems[(i + 5) % 8]!], requests: 33 })),
      bystanders,
    ).input;
    expect(weight('rotated_system_prompts', favourites)).toBeCloseTo(config.detectors.cluster.rotated_system_prompts!.weight, 6);
  });

  it('rotated_system_prompts: one organisation\'s app prompt linked into a campaign\'s cluster is not part of the set', () => {
    const app = ['You are Pilot, the browser agent of Kiteflow. Complete the customer task in the browser and report what you did.'];
    const product = members('kiteflow', 10, () => ({ systems: app, org: 'org_kiteflow', requests: 80 }));
    const campaign = members('op', 5, () => ({ systems: EXPERT_PERSONAS.slice(0, 3), requests: 30 }));
    const cluster = clusterFixture([...product, ...campaign], bystanders);
    const result = run('rotated_system_prompts', cluster.input);
    expect(result.evidence.length).toBe(1);
    // The campaign's three prompts make the set; the product's accounts take no part in it.
    expect(result.evidence[0]!.detail).toMatch(/through 3 system prompts/);
    for (const position of result.members!) expect(cluster.view.members[position]!.id).toMatch(/^op/);
    // The product alone: one organisation, one prompt, no rotated set.
    expect(weight('rotated_system_prompts', clusterFixture(product, bystanders).input)).toBe(0);
  });

  it('rotated_system_prompts: a prompt set that many accounts outside the cluster use too is nobody\'s harness', () => {
    const systems = Array.from({ length: 4 }, (_, k) => `You are coding agent release ${'wxyz'[k]} working inside the repository; use the tools to read, edit and test files before you answer.`);
    const users = members('agent', 40, () => ({ systems }));
    const cluster = clusterFixture(users.slice(0, 8), [...users.slice(8), ...bystanders]).input;
    expect(weight('rotated_system_prompts', cluster)).toBe(0);
  });

  it('shared_prompt_templates: weaker than rotated system prompts, and counted by organisation', () => {
    const frames = ['Work out the following exercise {} and box the final result', 'Grade this candidate solution {} on a ten point scale with reasons'];
    const many = clusterFixture(members('op', 10, (i) => ({ frame: frames[i % 2], requests: 40 })), bystanders).input;
    expect(weight('shared_prompt_templates', many)).toBeLessThanOrEqual(1.5);
    // The same accounts declared as two organisations count as two users of the frames.
    const twoLabs = clusterFixture(members('lab', 10, (i) => ({ frame: frames[i % 2], requests: 40, org: `org_lab_${i % 2}` })), bystanders).input;
    expect(weight('shared_prompt_templates', twoLabs)).toBe(0);
  });

  it('shared_prompt_templates: names as running the script only the members that use two or more of the set', () => {
    const frames = ['Work out the following exercise {} and box the final result', 'Grade this candidate solution {} on a ten point scale with reasons', 'Rewrite the argument {} as a numbered list of claims'];
    const specs = [...members('op', 9, () => ({ frames, requests: 30 })), { id: 'acct_one_frame', frame: frames[0], requests: 30 }];
    const { view, input } = clusterFixture(specs, bystanders);
    const result = run('shared_prompt_templates', input);
    expect(result.score).toBeGreaterThan(0);
    const position = (id: string) => view.members.findIndex((state) => state.id === id);
    expect(result.members!.has(position('acct_one_frame'))).toBe(true);
    expect(result.rotating!.has(position('acct_one_frame'))).toBe(false);
    for (const spec of specs.slice(0, 9)) expect(result.rotating!.has(position(spec.id)), spec.id).toBe(true);
  });

  it('signup_burst: accounts created minutes apart, as a script makes them', () => {
    const t = Date.UTC(2026, 0, 10);
    const burst = clusterFixture(members('new', 10, (i) => ({ createdAt: t + i * 60_000 })), bystanders).input;
    expect(weight('signup_burst', burst)).toBeCloseTo(1, 6);
    const spread = clusterFixture(members('old', 10, (i) => ({ createdAt: t - i * 9 * 86_400_000 })), bystanders).input;
    expect(weight('signup_burst', spread)).toBe(0);
  });

  it('signup_burst: accounts of other organisations made two at a time, next to each other in a store that signs up slowly', () => {
    const t = Date.UTC(2026, 0, 10);
    const HOUR = 3_600_000;
    // 600 customers, one every four hours; the operator's ten accounts in five pairs a week apart.
    const customers = members('customer', 600, (i) => ({ createdAt: t - 60 * 86_400_000 + i * 4 * HOUR + 1_234 }));
    const pairs = (org: (i: number) => string) => members('op', 10, (i) => ({ createdAt: t + HOUR - Math.floor(i / 2) * 7 * 86_400_000 + (i % 2) * 120_000, org: org(i) }));
    const operator = clusterFixture(pairs((i) => `org_op_${i}`), customers);
    expect(weight('signup_burst', operator.input)).toBeGreaterThan(0);
    expect(run('signup_burst', operator.input).members!.size).toBe(10);
    // Each pair one organisation: a team signing up together, which never counts.
    expect(weight('signup_burst', clusterFixture(pairs((i) => `org_team_${Math.floor(i / 2)}`), customers).input)).toBe(0);
    // A busy store: sixty customers sign up within the hour of each pair, so chance puts an
    // account of the cluster that close as often as not.
    const rush = [0, 1, 2, 3, 4].flatMap((pair) => members(`rush${pair}_`, 60, (i) => ({ createdAt: t + HOUR - pair * 7 * 86_400_000 - 30 * 60_000 + i * 60_000 + 7 })));
    expect(weight('signup_burst', clusterFixture(pairs((i) => `org_op_${i}`), [...customers, ...rush]).input)).toBe(0);
    // Creation dates kept to the day: every account of a pair's day counts as between them.
    const day = (at: number) => Math.floor(at / 86_400_000) * 86_400_000;
    const dated = (specs: MemberSpec[]) => specs.map((spec) => ({ ...spec, createdAt: day(spec.createdAt!) }));
    const busyDays = [0, 1, 2, 3, 4].flatMap((pair) => members(`day${pair}_`, 30, () => ({ createdAt: day(t - pair * 7 * 86_400_000) })));
    expect(weight('signup_burst', clusterFixture(dated(pairs((i) => `org_op_${i}`)), [...customers, ...busyDays]).input)).toBe(0);
  });

  it('signup_burst: a flood of light accounts signed up elsewhere does not make ordinary neighbours a pair', () => {
    const t = Date.UTC(2026, 0, 10);
    const HOUR = 3_600_000;
    const start = t - 60 * 86_400_000;
    const customers = members('customer', 600, (i) => ({ createdAt: start + i * 4 * HOUR }));
    // Ten customers of a shared tool, each four sign-ups after the last: nothing unusual in a
    // store of 610 accounts.
    const users = members('user', 10, (i) => ({ createdAt: start + (i * 4 + 0.5) * 4 * HOUR }));
    expect(weight('signup_burst', clusterFixture(users, customers).input)).toBe(0);
    // Five thousand accounts without traffic, signed up a year before, would make the same
    // neighbours rare if every account counted.
    const flood = members('light', 5_000, (i) => ({ createdAt: start - 365 * 86_400_000 + i * 60_000, requests: 0 }));
    expect(weight('signup_burst', clusterFixture(users, [...customers, ...flood]).input)).toBe(0);
  });

  it('shared_email_domain and shared_client: rare values only, never a public mail provider or a common SDK', () => {
    const rare = clusterFixture(members('c', 10, () => ({ emailDomain: 'cheapmail-42.shop', userAgent: 'harvester/0.1' })), bystanders).input;
    expect(weight('shared_email_domain', rare)).toBeGreaterThan(0);
    expect(weight('shared_client', rare)).toBeGreaterThan(0);
    const common = members('g', 60, () => ({ emailDomain: 'gmail.com', userAgent: 'openai-python/1.40.0' }));
    const publicValues = clusterFixture(common.slice(0, 10), common.slice(10)).input;
    expect(weight('shared_email_domain', publicValues)).toBe(0);
    expect(weight('shared_client', publicValues)).toBe(0);
  });

  it('membersOnMintedDomain: three or more verified members of other organisations on a domain few outside use; not a pair, one organisation, a university, typed-in addresses or a domain outsiders share', () => {
    const minted = (specs: Omit<MemberSpec, 'id'>[], others = bystanders) => {
      const { view, input } = clusterFixture(specs.map((spec, i) => ({ id: `m${i}`, ...spec })), others);
      return [...membersOnMintedDomain(view, input.holders)].sort((a, b) => a - b);
    };
    const own = (i: number): Omit<MemberSpec, 'id'> => ({ emailDomain: `home-${i}.example` });
    const on = (emailDomain: string, count: number, org?: string): Omit<MemberSpec, 'id'>[] => Array.from({ length: count }, () => (org === undefined ? { emailDomain } : { emailDomain, org }));
    // Four accounts of four organisations on a catch-all domain, four on domains of their own.
    expect(minted(on('relay-box88.top', 4).concat([4, 5, 6, 7].map(own)))).toEqual([0, 1, 2, 3]);
    // Three are enough; two are the ordinary sharing of an internet provider's or a small firm's mail.
    expect(minted(on('relay-box88.top', 3).concat([3, 4, 5].map(own)))).toEqual([0, 1, 2]);
    expect(minted(on('isp-mail.example', 2).concat([2, 3, 4, 5].map(own)))).toEqual([]);
    // One organisation's staff on its own domain.
    expect(minted(on('acme.example', 4, 'org_acme').concat([4, 5].map(own)))).toEqual([]);
    // A university's students, each an organisation of their own.
    expect(minted(on('u-example.ac.jp', 4).concat([4, 5].map(own)))).toEqual([]);
    // Addresses nobody proved they receive mail at: typed in at sign-up, they may be anyone's
    // domain (three unverified sign-ups at a company's domain beside its two staff accounts).
    const typed = (count: number): Omit<MemberSpec, 'id'>[] => on('victim.example', count).map((spec) => ({ ...spec, verification: ['card'] }));
    expect(minted(typed(4).concat([4, 5].map(own)))).toEqual([]);
    expect(minted(typed(3).concat(on('victim.example', 2, 'org_victim'), [5, 6].map(own)))).toEqual([]);
    // A domain most of whose holders are outside the cluster.
    const outside = members('outside', 8, () => ({ emailDomain: 'widely.example' }));
    expect(minted(on('widely.example', 4).concat([4, 5].map(own)), [...bystanders, ...outside])).toEqual([]);
  });

  it('declared_organisation: a mitigation when most members are one declared organisation', () => {
    const company = clusterFixture(members('dev', 10, () => ({ org: 'org_acme' })), bystanders).input;
    expect(weight('declared_organisation', company)).toBeCloseTo(-2, 6);
    const ring = clusterFixture(members('ring', 10, () => ({})), bystanders).input;
    expect(weight('declared_organisation', ring)).toBe(0);
  });

  it('programme_abuse: a weak signal from programme tiers', () => {
    const students = clusterFixture(members('s', 10, () => ({ tier: 'education' })), bystanders).input;
    expect(weight('programme_abuse', students)).toBeCloseTo(0.3, 6);
    expect(weight('programme_abuse', clusterFixture(members('p', 10, () => ({})), bystanders).input)).toBe(0);
  });

  it('open_institution: one institution\'s mail domain and network is a mitigation, a ring behind proxies or shared cards is not', () => {
    const campusIps = ['130.54.255.10', '130.54.255.11', '130.54.255.12'];
    // Labs and classes of one university: several organisations, one domain, one campus network.
    const campus = clusterFixture(members('uni', 16, (i) => ({ org: `org_lab_${i % 4}`, emailDomain: 'u-example.ac.jp', ips: campusIps })), bystanders).input;
    expect(weight('open_institution', campus)).toBeCloseTo(-2, 6);
    // Most of them on the domain, two in five working from home: a partial mitigation.
    const partly = clusterFixture(
      members('uni', 15, (i) => ({ emailDomain: 'u-example.ac.jp', ips: i < 10 ? campusIps : [`198.18.${i}.9`] })),
      bystanders,
    ).input;
    expect(weight('open_institution', partly)).toBeLessThan(0);
    expect(weight('open_institution', partly)).toBeGreaterThan(-2);
    // The same domain and network, but cards shared across the "organisations": hidden, not open.
    const ring = clusterFixture(members('ring', 16, (i) => ({ emailDomain: 'u-example.ac.jp', ips: campusIps, card: `card_ring_${i % 3}` })), bystanders).input;
    expect(weight('open_institution', ring)).toBe(0);
    // A throwaway domain behind exits spread over many subnets: no network of its own.
    const pool = Array.from({ length: 60 }, (_, i) => `203.${i % 20}.${i}.${(i * 13) % 250}`);
    const proxied = clusterFixture(members('proxy', 12, (i) => ({ emailDomain: 'stonebase37.online', ips: pool.slice((i * 5) % 50, ((i * 5) % 50) + 10) })), bystanders).input;
    expect(weight('open_institution', proxied)).toBe(0);
  });

  it('open_institution: several institutions each on their own network count together; two domains behind one pool of exits do not', () => {
    const mitIps = ['18.3.210.49', '18.3.210.117'];
    const melbourneIps = ['128.250.104.35', '128.250.104.131'];
    // Two universities' labs on one benchmark's frames: neither holds half the cluster alone.
    const twoCampuses = clusterFixture(
      [
        ...members('mit', 9, (i) => ({ org: `org_mit_${i % 3}`, emailDomain: 'mit.edu', ips: mitIps })),
        ...members('mel', 7, (i) => ({ org: `org_mel_${i % 2}`, emailDomain: 'unimelb.edu.au', ips: melbourneIps })),
        ...members('home', 2, () => ({ emailDomain: 'gmail.com', ips: mitIps })),
      ],
      bystanders,
    ).input;
    expect(weight('open_institution', twoCampuses)).toBeCloseTo(-2, 6);
    // Two catch-all domains whose accounts rotate through the same exits: no network is either's own.
    const exits = ['203.0.113.10', '198.51.100.20', '192.0.2.30', '203.0.114.40'];
    const twoDomainsOnePool = clusterFixture(
      members('op', 16, (i) => ({ emailDomain: i % 2 === 0 ? 'orbitbase88.shop' : 'apexmail11.info', ips: exits })),
      bystanders,
    ).input;
    expect(weight('open_institution', twoDomainsOnePool)).toBe(0);
  });

  it('open_institution: students of several universities on one campus network count when the provider checked their academic addresses', () => {
    const campusIps = ['129.78.230.125', '129.78.230.142'];
    const domains = ['unimelb.edu.au', 'sydney.edu.au', 'u-example.ac.jp'];
    const course = (verification: string[]) =>
      clusterFixture(members('student', 15, (i) => ({ org: `org_student_${i}`, emailDomain: domains[i % 3], ips: campusIps, verification })), bystanders).input;
    expect(weight('open_institution', course(['email', 'edu_email']))).toBeCloseTo(-2, 6);
    // Verification items are read in any case, as every other check reads them.
    expect(weight('open_institution', course(['Email', 'EDU_EMAIL']))).toBeCloseTo(-2, 6);
    // Unchecked, three domains on one network are what an operator's sign-ups behind one exit look like.
    expect(weight('open_institution', course(['email']))).toBe(0);
  });

  it('open_institution: a university whose student mail a free-mail list names counts when the provider checked the address as academic', () => {
    const campusIps = ['137.132.68.109', '137.132.68.209'];
    const listed = new Set(['u-example.edu.sg']);
    const students = (verification: string[]) => members('uni', 16, (i) => ({ org: `org_student_${i}`, emailDomain: 'u-example.edu.sg', ips: campusIps, verification }));
    expect(weight('open_institution', clusterFixture(students(['email', 'edu_email']), bystanders, 1, listed).input)).toBeCloseTo(-2, 6);
    // Unchecked, the listed domain is a public provider's like any other.
    expect(weight('open_institution', clusterFixture(students(['email']), bystanders, 1, listed).input)).toBe(0);
  });

  it('independent_customers: a checked academic address does not make a public provider\'s domain an institution\'s', () => {
    const providers = ['gmail.com', 'hotmail.com', 'outlook.com', 'yahoo.com.sg', 'gmx.de', 'proton.me', 'icloud.com'];
    const listed = new Set(providers);
    const ring = clusterFixture(members('ring', 7, (i) => ({ emailDomain: providers[i]!, tier: 'research', verification: ['email', 'edu_email'] })), bystanders, 1, listed).input;
    expect(weight('independent_customers', ring)).toBe(0);
  });

  it('independent_customers: members on mail domains of their own with nothing shared across organisations are a mitigation, a campaign on free mail, a catch-all domain or shared exits is not', () => {
    const institutions = ['mit.edu', 'sydney.edu.au', 'tum.de', 'u-tokyo.ac.jp', 'ethz.ch', 'acme-ai.com', 'utoronto.ca', 'ox.ac.uk', 'kaist.ac.kr', 'epfl.ch', 'nlp-lab.io'];
    // Eleven organisations running one public evaluation kit, each from its own network.
    const kit = clusterFixture(members('lab', 11, (i) => ({ org: `org_lab_${i}`, emailDomain: institutions[i]! })), bystanders).input;
    expect(weight('independent_customers', kit)).toBeCloseTo(-2, 6);
    // Two labs of one institution share its domain: still independent.
    const twoOfOne = clusterFixture(members('lab', 10, (i) => ({ org: `org_lab_${i}`, emailDomain: institutions[Math.max(0, i - 1)]! })), bystanders).input;
    expect(weight('independent_customers', twoOfOne)).toBeCloseTo(-2, 6);
    // A campaign on a few university addresses or one catch-all domain: no mitigation.
    const abused = clusterFixture(members('ring', 12, (i) => ({ emailDomain: institutions[i % 3]! })), bystanders).input;
    expect(weight('independent_customers', abused)).toBe(0);
    const catchAll = clusterFixture(members('ring', 12, () => ({ emailDomain: 'stonebase37.online' })), bystanders).input;
    expect(weight('independent_customers', catchAll)).toBe(0);
    // Domains of their own, but one card or one API key across the organisations: an operator.
    const paying = clusterFixture(members('ring', 11, (i) => ({ emailDomain: institutions[i]!, card: i < 2 ? 'card_ring' : undefined })), bystanders).input;
    expect(weight('independent_customers', paying)).toBe(0);
    // Domains of their own, but rotating through one pool of exits: an operator's network.
    const pool = Array.from({ length: 60 }, (_, i) => `203.${i % 20}.${i}.${(i * 13) % 250}`);
    const proxied = clusterFixture(members('proxy', 11, (i) => ({ emailDomain: institutions[i]!, ips: pool.slice((i * 5) % 50, ((i * 5) % 50) + 10) })), bystanders).input;
    expect(weight('independent_customers', proxied)).toBe(0);
    // One pair on a shared network (a conference, a VPN) leaves most of it.
    const onePair = clusterFixture(members('lab', 11, (i) => ({ org: `org_lab_${i}`, emailDomain: institutions[i]!, ips: i < 2 ? ['192.0.2.7'] : undefined })), bystanders).input;
    expect(weight('independent_customers', onePair)).toBeCloseTo(-2, 6);
  });
});
