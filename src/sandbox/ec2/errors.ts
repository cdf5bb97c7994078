/** An EC2 API error as the real service reports it: a code, a message and an HTTP status. */
export class Ec2Error extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
    this.name = code;
  }
}

// Messages copy real EC2 wording, because callers (and their tests) show them to people.
export const errors = {
  volumeNotFound: (id: string) => new Ec2Error('InvalidVolume.NotFound', `The volume '${id}' does not exist.`),
  snapshotNotFound: (id: string) => new Ec2Error('InvalidSnapshot.NotFound', `The snapshot '${id}' does not exist.`),
  imageNotFound: (id: string) => new Ec2Error('InvalidAMIID.NotFound', `The image id '[${id}]' does not exist`),
  instanceNotFound: (id: string) =>
    new Ec2Error('InvalidInstanceID.NotFound', `The instance ID '${id}' does not exist`),
  malformed: (code: string, id: string, prefix: string) =>
    new Ec2Error(code, `Invalid id: "${id}" (expecting "${prefix}-...")`),
  missingParameter: (name: string) =>
    new Ec2Error('MissingParameter', `The request must contain the parameter ${name}`),
  invalidValue: (message: string) => new Ec2Error('InvalidParameterValue', message),
  combination: (message: string) => new Ec2Error('InvalidParameterCombination', message),
  incorrectState: (message: string) => new Ec2Error('IncorrectState', message),
  invalidFilter: (name: string) => new Ec2Error('InvalidParameterValue', `The filter '${name}' is invalid`),
  invalidToken: (token: string) =>
    new Ec2Error('InvalidPaginationToken', `The pagination token '${token}' is invalid or has expired.`),
  invalidAction: (action: string) =>
    new Ec2Error('InvalidAction', `The action ${action} is not valid for this web service.`),
  unauthorized: (accountId: string, action: string, resource: string) =>
    new Ec2Error(
      'UnauthorizedOperation',
      `You are not authorized to perform this operation. User: arn:aws:iam::${accountId}:user/sandbox is not authorized ` +
        `to perform: ec2:${action} on resource: ${resource} because no identity-based policy allows the ec2:${action} action.`,
      403,
    ),
  dryRun: () => new Ec2Error('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.', 412),
  throttled: () => new Ec2Error('RequestLimitExceeded', 'Request limit exceeded.', 503),
  internal: (detail: string) => new Ec2Error('InternalError', `An internal error has occurred (sandbox: ${detail})`, 500),
};

const INJECTED_MESSAGES: Record<string, [string, number]> = {
  RequestLimitExceeded: ['Request limit exceeded.', 503],
  ServiceUnavailable: ['The service is unavailable. Please try again shortly.', 503],
  Unavailable: ['The server is overloaded and can\'t handle the request.', 503],
  InternalError: ['An internal error has occurred', 500],
};

/** The error a test asked to be injected, with the status real EC2 would use for it. */
export function injectedError(code: string): Ec2Error {
  const known = INJECTED_MESSAGES[code];
  if (known) return new Ec2Error(code, known[0], known[1]);
  return new Ec2Error(code, `Injected ${code} (sandbox)`, code === 'UnauthorizedOperation' ? 403 : 400);
}
