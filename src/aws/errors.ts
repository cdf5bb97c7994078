// AWS errors → typed errors whose message a person can act on. Everything user-facing goes through `translateAwsError`.

export type AwsFailureKind =
  | 'not-found'
  | 'not-permitted'
  | 'throttled'
  | 'in-use'
  | 'wrong-state'
  | 'invalid'
  | 'limit'
  | 'unavailable'
  | 'unknown';

export class AwsActionError extends Error {
  constructor(
    readonly kind: AwsFailureKind,
    message: string,
    readonly code: string,
    /** e.g. ec2:CreateSnapshot — the IAM action that was missing, for not-permitted. */
    readonly iamAction?: string,
    /** e.g. the AMIs that still use a snapshot, for in-use. */
    readonly usedBy?: string[],
  ) {
    super(message);
    this.name = 'AwsActionError';
  }
}

interface AwsLikeError {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/** What snapbot was doing, so the message can name the resource and the IAM action. */
export interface AwsCallContext {
  /** API action, e.g. CreateSnapshot. */
  action: string;
  region: string;
  resourceId?: string;
  /** The service, when not EC2: its IAM prefix and its name in messages. */
  service?: { iamPrefix: 'dlm' | 'rbin' | 'sts' | 'ebs' | 'cloudtrail' | 'autoscaling'; name: string };
}

const KIND_BY_ID_PREFIX: Record<string, string> = {
  vol: 'volume',
  snap: 'snapshot',
  ami: 'AMI',
  i: 'instance',
  subnet: 'subnet',
  lt: 'launch template',
};

function describeId(id: string): string {
  const kind = KIND_BY_ID_PREFIX[id.split('-')[0]];
  return kind ? `${kind} ${id}` : id;
}

function idsIn(text: string): string[] {
  return [...new Set(text.match(/\b(?:vol|snap|ami|i|subnet|lt)-[0-9a-f]{8,17}\b/g) ?? [])];
}

/** What a low-level failure means, for a person: no host, port, URL, HTML or SDK class name. */
const NETWORK_WORDS: Record<string, string> = {
  ECONNREFUSED: 'the connection was refused',
  ECONNRESET: 'the connection was cut off',
  ETIMEDOUT: 'the connection timed out',
  ENOTFOUND: "the service's address could not be found",
  EHOSTUNREACH: 'the service could not be reached',
  EAI_AGAIN: "the service's address could not be looked up",
  TimeoutError: 'no answer in time',
  SyntaxError: 'an answer that was not an AWS response',
};

/**
 * A raw error text (an SDK message, a socket error, an HTML page a proxy answered with) as words a person can read:
 * addresses become "its endpoint", an HTML page or an unparsable answer is said to be one, class names are dropped.
 * The raw text is for the log; this is for Slack.
 */
export function inWords(raw: string): string {
  if (/<!doctype|<html|Deserialization error|Unexpected token|is not valid JSON|char \d+ in/i.test(raw)) {
    return 'the service answered with something that is not an AWS API response (check that the service is offered in this region and that the endpoint is right)';
  }
  let text = raw;
  for (const [code, words] of Object.entries(NETWORK_WORDS)) {
    if (new RegExp(`\\b${code}\\b`).test(text)) return words;
  }
  text = text
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/[^\s)'"]+/gi, 'its endpoint')
    .replace(/\[[0-9a-f:]+\](?::\d+)?/gi, 'its endpoint')
    .replace(/\b(?:\d{1,3}\.){3}\d{1,3}(?::\d+)?\b/g, 'its endpoint')
    .replace(/\b(?:localhost|[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|internal|local|aws))(?::\d+)?\b/gi, 'its endpoint')
    .replace(/\b(?:[A-Z][a-z]+)+(?:Error|Exception):\s*/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  return text || 'an error with no description';
}

export function translateAwsError(err: unknown, ctx: AwsCallContext): AwsActionError {
  if (err instanceof AwsActionError) return err;
  const e = (err ?? {}) as AwsLikeError;
  const code = e.name && e.name !== 'Error' ? e.name : (e.Code ?? e.code ?? 'Unknown');
  const raw = inWords((e.message ?? String(err)).trim());
  const where = ctx.region;
  const subject = ctx.resourceId ? describeId(ctx.resourceId) : 'the resource';

  if (/\.NotFound$|^InvalidAMIID\.Unavailable$|^InvalidAMIID\.NotFound$|^ResourceNotFoundException$/.test(code)) {
    const missing = idsIn(raw)[0] ?? ctx.resourceId;
    const what = missing ? describeId(missing) : subject;
    return new AwsActionError('not-found', `${what} does not exist in ${where} (or this account cannot see it). Check the ID and the region.`, code);
  }
  if (/\.Malformed$/.test(code)) {
    return new AwsActionError('invalid', `AWS says the ID is malformed: ${raw}`, code);
  }
  if (code === 'CredentialsProviderError') {
    return new AwsActionError(
      'not-permitted',
      `snapbot found no AWS credentials to call ${ctx.action} in ${where}: give it a role (instance profile, ECS task role, IRSA), or set AWS_PROFILE or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.`,
      code,
    );
  }
  if (code === 'UnauthorizedOperation' || code === 'AccessDenied' || code === 'AccessDeniedException' || code === 'AuthFailure') {
    const named = raw.match(/perform:\s*([a-z0-9-]+:[A-Za-z0-9]+)/)?.[1];
    const iamAction = named ?? `${ctx.service?.iamPrefix ?? 'ec2'}:${ctx.action}`;
    const msg =
      code === 'AuthFailure'
        ? `AWS rejected snapbot's credentials while calling ${ctx.action} in ${where}: check the credentials the bot runs with.`
        : `snapbot is not permitted to do this: its IAM role lacks ${iamAction} (on ${subject} in ${where}). Add it to the role's policy (see iam-policy.json) and try again.`;
    return new AwsActionError('not-permitted', msg, code, iamAction);
  }
  if (/^(RequestLimitExceeded|Throttling|ThrottlingException|SnapshotCreationPerVolumeRateExceeded|TooManyRequestsException)$/.test(code)) {
    const detail =
      code === 'SnapshotCreationPerVolumeRateExceeded'
        ? `${subject} was snapshotted too recently: EC2 allows one snapshot every 15 seconds per volume.`
        : `AWS is throttling ${ctx.service?.name ?? 'EC2'} requests in ${where} and still refused after retries.`;
    return new AwsActionError('throttled', `${detail} Wait a minute and try again.`, code);
  }
  if (/\.InUse$|^VolumeInUse$|^DependencyViolation$/.test(code)) {
    const users = idsIn(raw).filter((id) => id !== ctx.resourceId);
    const by = users.length ? ` by ${users.map(describeId).join(', ')}` : '';
    const hint = users.some((u) => u.startsWith('ami-'))
      ? ` Deregister the AMI first, e.g. \`/ami deregister ${users.find((u) => u.startsWith('ami-'))} --delete-snapshots\`.`
      : '';
    return new AwsActionError('in-use', `${subject} is in use${by}.${hint}`, code, undefined, users);
  }
  if (/^IncorrectState$|^IncorrectInstanceState$|^InvalidState$|^InvalidVolume\.ZoneMismatch$|^InvalidSnapshot\.NotReady$|\.NotAvailable$/.test(code)) {
    return new AwsActionError('wrong-state', `${subject} cannot do that right now: ${raw}`, code);
  }
  if (/LimitExceeded$|^LimitExceededException$|^MaxSpotInstanceCountExceeded$|^InstanceLimitExceeded$|^ResourceLimitExceeded$/.test(code)) {
    return new AwsActionError('limit', `An AWS account limit stops this in ${where}: ${raw} Request a quota increase or clean up first.`, code);
  }
  if (/^Invalid|^MissingParameter$|^OperationNotPermitted$|^UnsupportedOperation$|^InvalidParameter/.test(code)) {
    return new AwsActionError('invalid', `AWS refused ${ctx.action} on ${subject}: ${raw}`, code);
  }
  const status = e.$metadata?.httpStatusCode;
  if (
    (status !== undefined && status >= 500) ||
    /^(ECONNREFUSED|ENOTFOUND|ETIMEDOUT|ECONNRESET|TimeoutError|EHOSTUNREACH|RequestTimeout|ServiceUnavailable|InternalError|Unavailable)$/.test(code)
  ) {
    const why = NETWORK_WORDS[code] ?? (status !== undefined ? `it answered ${status}` : 'no answer');
    return new AwsActionError('unavailable', `${ctx.service?.name ?? 'EC2'} in ${where} did not answer (${why}). It may be a passing outage: try again shortly.`, code);
  }
  const shownCode = NETWORK_WORDS[code] ? '' : code;
  return new AwsActionError('unknown', `${ctx.action} on ${subject} in ${where} failed${shownCode ? `: ${shownCode}` : ''}${raw && raw !== code ? ` — ${raw}` : ''}`, code);
}
