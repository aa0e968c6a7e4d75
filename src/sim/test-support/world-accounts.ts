import type { AccountSignup, SimAccount, World } from '../world-model.js';

/**
 * Every account of a world with its sign-up details read back from the account-file lines, for
 * tests that look at both. The world must be built with `accountFiles: true` and raw e-mails.
 */
export function fullAccountsOf(world: World): (SimAccount & AccountSignup)[] {
  const lines = world.accountFiles;
  if (lines === null) throw new Error('build the world with accountFiles: true');
  return Array.from({ length: world.accounts.length }, (_, index) => {
    const record = JSON.parse(lines.lineOf(index)) as Record<string, unknown>;
    const email = record.email as string;
    const at = email.lastIndexOf('@');
    return {
      ...world.accounts.get(index),
      tier: record.tier as AccountSignup['tier'],
      country: record.country as string,
      createdAtMs: Date.parse(record.created_at as string),
      emailLocal: email.slice(0, at),
      emailDomain: email.slice(at + 1),
      paymentFingerprint: record.payment_fingerprint as string | null,
      signupIp: record.signup_ip as string,
      verification: record.verification as string[],
    };
  });
}
