// Which AWS account and region a command acts in: `--account`/`--region`, else the channel's entry in
// CHANNEL_ACCOUNTS, else snapbot's own account in its home region. Pure: the listener resolves it before the ack,
// so a wrong alias is answered privately and never reaches AWS.

/** An account of ACCOUNTS: its ID and, when given, the alias people call it by. */
export interface ManagedAccount {
  id: string;
  alias?: string;
}

/** An alias in ACCOUNTS and `--account`: starts with a letter, so it is never mistaken for an ID. */
export const ACCOUNT_ALIAS = /^[A-Za-z][A-Za-z0-9_.-]{0,62}$/;
const ACCOUNT_ID = /^\d{12}$/;

/** Where a command acts. `account` undefined: snapbot's own account (the default credential chain). */
export interface Scope {
  account?: ManagedAccount;
  region: string;
}

export interface AccountSettings {
  accounts: readonly ManagedAccount[];
  channelAccounts: Readonly<Record<string, string>>;
  homeRegion: string;
}

export type ScopeAnswer =
  /** `ownId`: the ID the person gave that is in no entry of ACCOUNTS: it must be snapbot's own (checked with STS). */
  | { scope: Scope; ownId?: string }
  | { problem: string };

/** The account and region a command means; `asked` is what its --account and --region said. */
export function resolveScope(s: AccountSettings, asked: { account?: string; region?: string }, channelId: string): ScopeAnswer {
  const region = asked.region ?? s.homeRegion;
  const ref = asked.account ?? (Object.hasOwn(s.channelAccounts, channelId) ? s.channelAccounts[channelId] : undefined);
  if (ref === undefined) return { scope: { region } };
  const from = asked.account !== undefined ? `--account ${ref}` : `this channel's account (${ref})`;
  const byAlias = s.accounts.find((a) => a.alias !== undefined && a.alias.toLowerCase() === ref.toLowerCase());
  if (byAlias) return { scope: { account: byAlias, region } };
  if (ACCOUNT_ID.test(ref)) {
    const byId = s.accounts.find((a) => a.id === ref);
    return byId ? { scope: { account: byId, region } } : { scope: { region }, ownId: ref };
  }
  if (s.accounts.length === 0) {
    return { problem: `${from}: snapbot manages only its own account here, so there is no account called "${ref}". Leave --account out, or give snapbot's own 12-digit account ID.` };
  }
  return { problem: `${from}: "${ref}" is not an account snapbot manages. Use one of ${knownAccounts(s.accounts)}, or leave --account out for snapbot's own account.` };
}

/** "dev (222222222222), 333333333333": the accounts a person may name. */
export function knownAccounts(accounts: readonly ManagedAccount[]): string {
  return accounts.map((a) => accountLabel(a)).join(', ');
}

/** How messages name an account: "dev (222222222222)", "222222222222", or snapbot's own. */
export function accountLabel(account: ManagedAccount | undefined, ownId?: string): string {
  if (account) return account.alias ? `${account.alias} (${account.id})` : account.id;
  return ownId ? `${ownId} (snapbot's own)` : "snapbot's own account";
}

/** "us-west-2", or "dev (222222222222) · us-west-2" where snapbot manages several accounts. */
export function scopeLabel(scope: Scope, manyAccounts: boolean, ownId?: string): string {
  return manyAccounts ? `${accountLabel(scope.account, ownId)} · ${scope.region}` : scope.region;
}

/** What records keep of a scope: the member account's ID (absent for snapbot's own, as records before ACCOUNTS were) and the region. */
export function scopeOfRecord(s: Pick<AccountSettings, 'accounts'>, record: { account?: string; region: string }): Scope | { problem: string } {
  if (record.account === undefined) return { region: record.region };
  const account = s.accounts.find((a) => a.id === record.account);
  return account
    ? { account, region: record.region }
    : { problem: `account ${record.account} is no longer one snapbot manages (it was removed from the managed accounts)` };
}

export function sameScope(a: Scope, b: Scope): boolean {
  return a.region === b.region && a.account?.id === b.account?.id;
}

/** Accounts a share may go to without an approval: SHARE_ALLOWED_ACCOUNTS and every account snapbot manages. */
export function allowedShareAccounts(c: { shareAllowedAccounts: readonly string[]; accounts: readonly ManagedAccount[] }): string[] {
  return [...new Set([...c.shareAllowedAccounts, ...c.accounts.map((a) => a.id)])];
}

/** Where per-region state of an account is kept: the region alone for snapbot's own (as before ACCOUNTS), else ID/region. */
export function shareKey(scope: { account?: ManagedAccount; region: string }): string {
  return scope.account ? `${scope.account.id}/${scope.region}` : scope.region;
}

/** The account picker's value for snapbot's own account. */
export const OWN_ACCOUNT = 'own';
