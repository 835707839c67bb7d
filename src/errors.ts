/**
 * The one error hierarchy of apigw-authz. The CLI maps each family to an exit code in one place
 * (`src/cli/exit-codes.ts`); library code only throws.
 *
 * Branch on `err instanceof InputError` (bad file or flags: exit 2) or `EnvironmentError` (network, AWS: exit 3).
 */

export type ErrorCode =
  | 'INPUT_NOT_FOUND'
  | 'INPUT_UNREADABLE'
  | 'INVALID_JSON'
  | 'INVALID_YAML'
  | 'INVALID_EXPORT'
  | 'INVALID_TEMPLATE'
  | 'UNSUPPORTED_AUTHORIZER'
  | 'INVALID_CONFIG'
  | 'INVALID_USAGE'
  | 'AWS_CREDENTIALS'
  | 'AWS_NOT_FOUND'
  | 'AWS_ACCESS_DENIED'
  | 'AWS_REQUEST_FAILED'
  | 'NETWORK'
  | 'RUN_FAILED'
  | 'INTERNAL';

export interface ErrorDetails {
  /** The file the problem is in. */
  file?: string;
  /** JSON pointer (`#/paths/~1pets/get/security`) or `line N, column M`. */
  location?: string;
  /** What to do about it. */
  fix?: string;
  cause?: unknown;
}

export abstract class ApigwAuthzError extends Error {
  abstract readonly code: ErrorCode;
  readonly file?: string;
  readonly location?: string;
  readonly fix?: string;

  constructor(message: string, details: ErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.file = details.file;
    this.location = details.location;
    this.fix = details.fix;
  }

  /** One line for a terminal: `file: location: message. fix` */
  toLine(): string {
    const where = [this.file, this.location].filter(Boolean).join(': ');
    const fix = this.fix ? ` Fix: ${this.fix}` : '';
    return `${where ? `${where}: ` : ''}${this.message}${fix}`;
  }

  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      ...(this.file === undefined ? {} : { file: this.file }),
      ...(this.location === undefined ? {} : { location: this.location }),
      ...(this.fix === undefined ? {} : { fix: this.fix }),
    };
  }
}

/** Bad input from the user: a file, a config or a flag. Exit code 2. */
export abstract class InputError extends ApigwAuthzError {}

export class InputNotFoundError extends InputError {
  readonly code = 'INPUT_NOT_FOUND';
}
export class InputUnreadableError extends InputError {
  readonly code = 'INPUT_UNREADABLE';
}
export class InvalidJsonError extends InputError {
  readonly code = 'INVALID_JSON';
}
export class InvalidYamlError extends InputError {
  readonly code = 'INVALID_YAML';
}
/** Parsed, but not an API Gateway OpenAPI/Swagger export we can read. */
export class InvalidExportError extends InputError {
  readonly code = 'INVALID_EXPORT';
}
/**
 * Parsed, but not an infrastructure-as-code source we can read: a template without API Gateway, a circular
 * reference, an unknown YAML tag, a cdk.out without manifest.json, `--api` naming nothing.
 */
export class InvalidTemplateError extends InputError {
  readonly code = 'INVALID_TEMPLATE';
}
/** An authorizer type we do not know. Never treated as "no auth". */
export class UnsupportedAuthorizerError extends InputError {
  readonly code = 'UNSUPPORTED_AUTHORIZER';
}
export class InvalidConfigError extends InputError {
  readonly code = 'INVALID_CONFIG';
}
export class UsageError extends InputError {
  readonly code = 'INVALID_USAGE';
}

/** The environment failed us: AWS, the network, a runner crash. Exit code 3. */
export abstract class EnvironmentError extends ApigwAuthzError {}

export class AwsCredentialsError extends EnvironmentError {
  readonly code = 'AWS_CREDENTIALS';
}
export class AwsNotFoundError extends EnvironmentError {
  readonly code = 'AWS_NOT_FOUND';
}
export class AwsAccessDeniedError extends EnvironmentError {
  readonly code = 'AWS_ACCESS_DENIED';
}
export class AwsRequestError extends EnvironmentError {
  readonly code = 'AWS_REQUEST_FAILED';
}
export class NetworkError extends EnvironmentError {
  readonly code = 'NETWORK';
}
export class RunFailedError extends EnvironmentError {
  readonly code = 'RUN_FAILED';
}

/** A bug in apigw-authz. Exit code 70. */
export class InternalError extends ApigwAuthzError {
  readonly code = 'INTERNAL';
}
