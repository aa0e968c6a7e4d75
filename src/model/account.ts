export const ACCOUNT_TIERS = ['free', 'standard', 'enterprise', 'education', 'research', 'startup'] as const;
export type AccountTier = (typeof ACCOUNT_TIERS)[number];

export function isAccountTier(value: unknown): value is AccountTier {
  return typeof value === 'string' && (ACCOUNT_TIERS as readonly string[]).includes(value);
}

/**
 * An account as the provider's account system describes it. Raw e-mail addresses are never
 * kept: only the domain, a keyed hash of the local part and its shape (letters, digits and
 * separators), which is what sign-up pattern detection needs.
 */
export interface Account {
  accountId: string;
  orgId: string | null;
  /** Epoch milliseconds. */
  createdAt: number | null;
  emailDomain: string | null;
  emailLocalHash: string | null;
  /** e.g. `a.a9` for `john.smith1984`: runs of letters, digits and separators collapsed. */
  emailLocalShape: string | null;
  tier: AccountTier | null;
  country: string | null;
  paymentFingerprint: string | null;
  signupIp: string | null;
  verification: string[];
}
