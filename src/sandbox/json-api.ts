// What the sandbox's REST-JSON services (DLM, Recycle Bin) share: the request as they see it, and errors the
// SDK's restJson1 deserializer recognises (x-amzn-errortype header, a JSON body with the message).
export interface JsonRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  region: string;
  body: Record<string, unknown>;
}

export type JsonResponse = Record<string, unknown>;

export class JsonApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = code;
  }
}

export function jsonError(err: JsonApiError): { status: number; headers: Record<string, string>; body: string } {
  return {
    status: err.status,
    headers: { 'content-type': 'application/json', 'x-amzn-errortype': err.code },
    body: JSON.stringify({ message: err.message, Message: err.message, Code: err.code, ...((err as { reason?: string }).reason ? { Reason: (err as { reason?: string }).reason } : {}) }),
  };
}
