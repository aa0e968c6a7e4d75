export { linkAccounts, linkKindBit, linkKindsOf } from './account-linker.js';
export type { LinkedCluster, LinkResult } from './account-linker.js';
export { activityBands, buildLinkInput, LinkInputBuilder, LINK_KINDS } from './link-input.js';
export type { KindMemberships, LinkInput, LinkKind, LinkKindParams, LinkParams } from './link-input.js';
