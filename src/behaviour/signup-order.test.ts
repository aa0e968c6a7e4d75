import { describe, expect, it } from 'vitest';
import type { AccountState } from './account-state.js';
import { signupOrder } from './signup-order.js';

const state = (createdAt: number | null, exchanges = 20) => ({ exchanges, info: createdAt === null ? null : { createdAt } }) as unknown as AccountState;

describe('signup order', () => {
  it('counts the accounts created between two moments, both ends and every tie included', () => {
    const order = signupOrder({ accounts: [state(50), state(10), state(null), state(30), state(30), state(20)] });
    expect(order.accounts).toBe(5);
    expect(order.between(10, 30)).toBe(4);
    expect(order.between(11, 29)).toBe(1);
    expect(order.between(30, 30)).toBe(2);
    expect(order.between(31, 49)).toBe(0);
    expect(order.between(50, 10)).toBe(0);
  });

  it('counts at most twice the accounts with a session of traffic, however many light ones signed up', () => {
    const active = Array.from({ length: 100 }, (_, i) => state(i));
    const light = Array.from({ length: 5_000 }, (_, i) => state(1_000 + i, 1));
    const order = signupOrder({ accounts: [...active, ...light] });
    expect(order.accounts).toBe(200);
    // Every light account still stands between the sign-ups it came between.
    expect(order.between(0, 5_999)).toBe(5_100);
  });

  it('knows no order in a store without creation times', () => {
    const order = signupOrder({ accounts: [state(null)] });
    expect(order.accounts).toBe(0);
    expect(order.between(0, Infinity)).toBe(0);
  });
});
