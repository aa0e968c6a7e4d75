import { closeSync, openSync, writeFileSync } from 'node:fs';
import { keyedHash } from '../util/keyed-hash.js';
import type { World } from './world-model.js';

export interface AccountFilePaths {
  accounts: string;
  labels: string;
}

/** Lines buffered per file before a write: keeps memory flat however many accounts there are. */
export const LINES_PER_WRITE = 4096;

/**
 * Writes accounts and labels, sorted by account id so that file order reveals nothing about
 * personas or campaigns (ids are random).
 */
export function writeAccountFiles(world: World, paths: AccountFilePaths, linesPerWrite = LINES_PER_WRITE): void {
  const order = Uint32Array.from(world.accounts, (_, index) => index);
  const accounts = world.accounts;
  order.sort((a, b) => (accounts[a]!.id < accounts[b]!.id ? -1 : accounts[a]!.id > accounts[b]!.id ? 1 : 0));
  const hashed = world.scenario.accounts.email_style === 'hashed';
  const key = Buffer.from(`distillguard-sim:${world.seed}`, 'utf8');
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
      const account = accounts[index]!;
      const email = hashed ? { email_domain: account.emailDomain, email_local_hash: keyedHash(key, account.emailLocal.toLowerCase()) } : { email: `${account.emailLocal}@${account.emailDomain}` };
      accountLines.push(
        JSON.stringify({
          account_id: account.id,
          org_id: account.orgId,
          created_at: new Date(account.createdAtMs).toISOString(),
          ...email,
          tier: account.tier,
          country: account.country,
          payment_fingerprint: account.paymentFingerprint,
          signup_ip: account.signupIp,
          verification: account.verification,
        }),
      );
      const group = world.groups[account.group]!;
      labelLines.push(JSON.stringify({ account_id: account.id, label: group.label, campaign: group.campaign, persona: group.persona }));
      if (accountLines.length === linesPerWrite) flush();
    }
    if (accountLines.length > 0) flush();
  } finally {
    closeSync(accountFile);
    closeSync(labelFile);
  }
}
