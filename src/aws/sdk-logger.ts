// The logger every AWS SDK client of snapbot gets. The SDK's logger middleware calls `logger.info` after every
// successful call with a redacted deep copy of the request and the response, and it builds that copy even when
// the logger is the SDK's own default, which does nothing with it: for DescribeSnapshots that is a second copy of
// 1000 snapshots per page, thrown away. A logger without `info` skips it (the middleware calls `logger?.info?.(…)`).
// snapbot never logged those lines: this keeps the SDK as quiet as its default, minus the wasted work.
import type { Logger } from '@smithy/types';

const quiet = () => undefined;

export const SDK_LOGGER = { trace: quiet, debug: quiet, warn: quiet, error: quiet } as unknown as Logger;
