import { closeSync, openSync, writeFileSync } from 'node:fs';
import { keyedHash } from '../util/keyed-hash.js';
import { GrowingColumn } from '../util/growing-column.js';
import type { Scenario } from './scenario-schema.js';
import type { NewAccount, World } from './world-model.js';

export interface AccountFilePaths {
  accounts: string;
  labels: string;
}

/** Lines buffered per file before a write: keeps memory flat however many accounts there are. */
export const LINES_PER_WRITE = 4096;

/**
 * The accounts.jsonl line of every account, serialised as the account is built and kept as
 * UTF-8 in one buffer, in world order. Sign-up details (e-mail, card, sign-up IP, verification)
 * are needed for this file only, so the world keeps no other copy of them, and only the thread
 * that writes the files builds these lines at all.
 */
export class AccountFileLines {
  private bytes = Buffer.allocUnsafe(1 << 20);
  private used = 0;
  private readonly ends = new GrowingColumn(Float64Array);
  private readonly hashed: boolean;
  private readonly key: Buffer;

  constructor(scenario: Scenario, seed: number) {
    this.hashed = scenario.accounts.email_style === 'hashed';
    this.key = Buffer.from(`distillguard-sim:${seed}`, 'utf8');
  }

  get length(): number {
    return this.ends.length;
  }

  record(account: NewAccount): void {
    const email = this.hashed ? { email_domain: account.emailDomain, email_local_hash: keyedHash(this.key, account.emailLocal.toLowerCase()) } : { email: `${account.emailLocal}@${account.emailDomain}` };
    const line = JSON.stringify({
      account_id: account.id,
      org_id: account.orgId,
      created_at: new Date(account.createdAtMs).toISOString(),
      ...email,
      tier: account.tier,
      country: account.country,
      payment_fingerprint: account.paymentFingerprint,
      signup_ip: account.signupIp,
      verification: account.verification,
    });
    const room = Buffer.byteLength(line, 'utf8');
    if (this.used + room > this.bytes.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, this.used + room));
      this.bytes.copy(grown, 0, 0, this.used);
      this.bytes = grown;
    }
    this.used += this.bytes.write(line, this.used, 'utf8');
    this.ends.push(this.used);
  }

  lineOf(index: number): string {
    const ends = this.ends.values;
    return this.bytes.toString('utf8', index === 0 ? 0 : ends[index - 1]!, ends[index]!);
  }
}

/**
 * Writes accounts and labels, sorted by account id so that file order reveals nothing about
 * personas or campaigns (ids are random). Needs a world built with its account-file lines.
 */
export function writeAccountFiles(world: World, paths: AccountFilePaths, linesPerWrite = LINES_PER_WRITE): void {
  const lines = world.accountFiles;
  if (lines === null) throw new Error('this world was built without its account-file lines');
  const accounts = world.accounts;
  const ids = Array.from({ length: accounts.length }, (_, index) => accounts.idOf(index));
  const order = Uint32Array.from(ids, (_, index) => index);
  order.sort((a, b) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0));
  const accountFile = openSync(paths.accounts, 'w');
  const labelFile = openSync(paths.labels, 'w');
  try {
    const accountLines: string[] = [];
    const labelLines: string[] = [];
    const flush = () => {
      // writeFileSync on a descriptor appends at its position and retries short writes.
      writeFileSync(accountFile, accountLines.join('\n') + '\n');
      writeFileSync(labelFile, labelLines.join('\n') + '\n');
      accountLines.length = 0;
      labelLines.length = 0;
    };
    for (const index of order) {
      accountLines.push(lines.lineOf(index));
      const group = world.groups[accounts.groupOf(index)]!;
      labelLines.push(JSON.stringify({ account_id: ids[index], label: group.label, campaign: group.campaign, persona: group.persona }));
      if (accountLines.length === linesPerWrite) flush();
    }
    if (accountLines.length > 0) flush();
  } finally {
    closeSync(accountFile);
    closeSync(labelFile);
  }
}
