import { describe, expect, it } from 'vitest';
import type { AccountState } from './account-state.js';
import { signupOrder } from './signup-order.js';

const state = (createdAt: number | null) => ({ info: createdAt === null ? null : { createdAt } }) as unknown as AccountState;

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

  it('knows no order in a store without creation times', () => {
    const order = signupOrder({ accounts: [state(null)] });
    expect(order.accounts).toBe(0);
    expect(order.between(0, Infinity)).toBe(0);
  });
});
