/**
 * Errors that carry a Kubernetes `Status` reason. One `app.onError` renders
 * every RollwayError as a Status object; anything else becomes a 500 whose
 * message never echoes the underlying error.
 */

export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export class RollwayError extends Error {
  readonly code: number;
  readonly reason: string;
  readonly details?: StatusDetails;
  constructor(code: number, reason: string, message: string, details?: StatusDetails, options?: ErrorOptions) {
    super(message, options);
    this.name = 'RollwayError';
    this.code = code;
    this.reason = reason;
    this.details = details;
  }
}

/** A resource is addressed as `<plural>.<group>` in messages, `<plural>` for the core group. */
export function qualifiedResource(plural: string, group: string): string {
  return group ? `${plural}.${group}` : plural;
}

export class BadRequestError extends RollwayError {
  constructor(message: string, details?: StatusDetails) {
    super(400, 'BadRequest', message, details);
    this.name = 'BadRequestError';
  }
}

export class UnauthorizedError extends RollwayError {
  constructor(message = 'Unauthorized') {
    super(401, 'Unauthorized', message);
    this.name = 'UnauthorizedError';
  }
}

export class ForbiddenError extends RollwayError {
  constructor(message: string, details?: StatusDetails) {
    super(403, 'Forbidden', message, details);
    this.name = 'ForbiddenError';
  }
}

export class NotFoundError extends RollwayError {
  constructor(plural: string, group: string, name: string) {
    super(404, 'NotFound', `${qualifiedResource(plural, group)} "${name}" not found`, { name, group, kind: plural });
    this.name = 'NotFoundError';
  }
}

export class AlreadyExistsError extends RollwayError {
  constructor(plural: string, group: string, name: string) {
    super(409, 'AlreadyExists', `${qualifiedResource(plural, group)} "${name}" already exists`, { name, group, kind: plural });
    this.name = 'AlreadyExistsError';
  }
}

export class ConflictError extends RollwayError {
  constructor(plural: string, group: string, name: string, why = 'the object has been modified; please apply your changes to the latest version and try again') {
    super(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(plural, group)} "${name}": ${why}`, { name, group, kind: plural });
    this.name = 'ConflictError';
  }
}

/** One bad field, as Kubernetes' field.Error renders it. */
export interface FieldError {
  type: 'FieldValueInvalid' | 'FieldValueRequired' | 'FieldValueNotSupported' | 'FieldValueForbidden' | 'FieldValueDuplicate' | 'FieldValueTooLong' | 'FieldValueTypeInvalid';
  field: string;
  /** The offending value, rendered into the message as Kubernetes does. Omitted for Required. */
  value?: unknown;
  detail: string;
}

const typeText: Record<FieldError['type'], string> = {
  FieldValueInvalid: 'Invalid value',
  FieldValueRequired: 'Required value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueTooLong: 'Too long',
  FieldValueTypeInvalid: 'Invalid value',
};

/** fieldErrorMessage renders a FieldError's message part (without the field path). */
export function fieldErrorMessage(e: FieldError): string {
  const head = typeText[e.type];
  if (e.type === 'FieldValueRequired' || e.type === 'FieldValueForbidden' || e.type === 'FieldValueTooLong') {
    return e.detail ? `${head}: ${e.detail}` : head;
  }
  const shown = e.value === undefined ? '' : `: ${typeof e.value === 'string' ? JSON.stringify(e.value) : JSON.stringify(e.value)}`;
  return e.detail ? `${head}${shown}: ${e.detail}` : `${head}${shown}`;
}

export class InvalidError extends RollwayError {
  readonly fieldErrors: FieldError[];
  constructor(kind: string, group: string, name: string, errors: FieldError[]) {
    const causes = errors.map((e) => ({ reason: e.type, message: fieldErrorMessage(e), field: e.field }));
    const summary = errors.map((e) => `${e.field}: ${fieldErrorMessage(e)}`).join(', ');
    super(422, 'Invalid', `${kind}${group ? '.' + group : ''} "${name}" is invalid: ${summary}`, { name, group, kind, causes });
    this.name = 'InvalidError';
    this.fieldErrors = errors;
  }
}

export class UnsupportedMediaTypeError extends RollwayError {
  constructor(contentType: string) {
    super(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf, application/strategic-merge-patch+json, application/merge-patch+json, application/json-patch+json, application/apply-patch+yaml (got ${JSON.stringify(contentType)})`);
    this.name = 'UnsupportedMediaTypeError';
  }
}

export class RequestEntityTooLargeError extends RollwayError {
  constructor(limit: number) {
    super(413, 'RequestEntityTooLarge', `the request body is larger than the limit of ${limit} bytes`);
    this.name = 'RequestEntityTooLargeError';
  }
}

export class MethodNotAllowedError extends RollwayError {
  constructor(message: string) {
    super(405, 'MethodNotAllowed', message);
    this.name = 'MethodNotAllowedError';
  }
}

export class TooManyRequestsError extends RollwayError {
  constructor(message: string, retryAfterSeconds = 1) {
    super(429, 'TooManyRequests', message, { retryAfterSeconds });
    this.name = 'TooManyRequestsError';
  }
}

export class GoneError extends RollwayError {
  constructor(message: string) {
    super(410, 'Expired', message);
    this.name = 'GoneError';
  }
}

/** statusBody renders any error as a Kubernetes Status object. */
export function statusBody(err: unknown): { code: number; body: Record<string, unknown> } {
  if (err instanceof RollwayError) {
    return {
      code: err.code,
      body: {
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: err.message,
        reason: err.reason,
        ...(err.details ? { details: err.details } : {}),
        code: err.code,
      },
    };
  }
  return {
    code: 500,
    body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: 'Internal error occurred: the server could not complete the request', reason: 'InternalError', code: 500 },
  };
}
