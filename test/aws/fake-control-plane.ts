/**
 * The core both fake API Gateway control planes (fake-apigateway.ts for v1, fake-apigatewayv2.ts for v2) share: an
 * HTTP server on 127.0.0.1 that checks the SigV4 header and the access key, records every call, injects queued
 * faults, enforces request quotas (429 TooManyRequestsException with Retry-After) and answers errors the way the
 * service does (`x-amzn-ErrorType`, `{"message"}`). Each fake adds its route table: which operation a request is,
 * and what it answers. Only `node:` modules.
 */

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type FaultKind = 'throttle' | 'server-error' | 'timeout' | 'expired-token' | 'access-denied';

export interface Fault {
  kind: FaultKind;
  /** Only this operation (e.g. `GetResources`); default: any. */
  operation?: string;
  /** How many requests it hits; default 1. */
  times?: number;
  /** timeout: how long to hold the request before answering. Default 5000 ms. */
  delayMs?: number;
}

export interface RecordedCall {
  operation: string;
  method: string;
  path: string;
  query: Record<string, string>;
  status: number;
  /** Arrival time, ms (monotonic). */
  at: number;
  accessKeyId?: string;
  accept?: string;
}

export interface QuotaWindow {
  limit: number;
  windowMs: number;
}

/** At most `limit` accepted calls every `windowMs`: of `operation`, or of every operation when it is absent. */
export interface QuotaRule extends QuotaWindow {
  operation?: string;
}

/** A request a fake knows: its HTTP method, the pattern of its path, and the operation it is. */
export type OperationRule = readonly [method: string, path: RegExp, operation: string];

/** The options both fakes take. */
export interface ControlPlaneOptions {
  /** Seconds in the Retry-After header of a 429. Default 1. */
  retryAfterSeconds?: number;
  /** Access keys the fake accepts; default: any. Others get 403 UnrecognizedClientException. */
  accessKeys?: string[];
  /** Region in ARNs and messages. Default us-east-1. */
  region?: string;
}

/** What a route answers: JSON `body`, or `text` sent as it is (a v2 export is the document's own text). */
export interface FakeReply {
  status?: number;
  body?: unknown;
  text?: string;
  headers?: Record<string, string>;
}

/** An error answer as the service sends it: status, `x-amzn-ErrorType` and `{"message"}`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** A fake control plane: subclasses add `start(options)`, the route table and the messages that differ. */
export abstract class FakeControlPlane<Options extends ControlPlaneOptions> {
  readonly calls: RecordedCall[] = [];
  private readonly faults: (Fault & { left: number })[] = [];
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private server!: Server;
  url = '';

  protected constructor(readonly options: Options) {}

  /** The operations the fake knows; a request that is none of them is recorded as `METHOD /path`. */
  protected abstract readonly operations: readonly OperationRule[];
  /** The answer to an accepted request; throws HttpError for an error answer. */
  protected abstract route(
    operation: string,
    path: string,
    query: Record<string, string>,
    body: string,
  ): FakeReply;
  /** The quotas in force (none when the options turn them off). */
  protected abstract quotaRules(): QuotaRule[];
  /** The message of an injected access-denied fault. */
  protected abstract accessDeniedMessage(operation: string, path: string): string;
  /** Appended to every `x-amzn-ErrorType` (v1 names the coral namespace, v2 sends the bare type). */
  protected abstract readonly errorTypeSuffix: string;

  private operationOf(method: string, path: string): string {
    const rule = this.operations.find(([verb, pattern]) => verb === method && pattern.test(path));
    return rule?.[2] ?? `${method} ${path}`;
  }

  /** Whether the Authorization header is a signature the service looks at. */
  protected isSigned(authorization: string): boolean {
    return authorization.startsWith('AWS4-HMAC-SHA256 ');
  }

  /** Listens on a free port of 127.0.0.1; `url` is set when it resolves. */
  protected async listen(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Queues a fault for the next matching request(s). */
  inject(fault: Fault): void {
    this.faults.push({ ...fault, left: fault.times ?? 1 });
  }

  /** Calls of one operation (all statuses). */
  callsOf(operation: string): RecordedCall[] {
    return this.calls.filter((call) => call.operation === operation);
  }

  /** The statuses of the calls of one operation from call number `since` on: each retry shows as one more. */
  statusesOf(operation: string, since = 0): number[] {
    return this.calls
      .slice(since)
      .filter((call) => call.operation === operation)
      .map((call) => call.status);
  }

  /** What a throttled request gets, from an injected fault or from a quota. */
  protected throttled(): HttpError {
    return new HttpError(429, 'TooManyRequestsException', 'Too Many Requests', {
      'Retry-After': String(this.options.retryAfterSeconds ?? 1),
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = performance.now();
    const url = new URL(req.url ?? '/', 'http://fake');
    const query = Object.fromEntries(url.searchParams.entries());
    const body = await readBody(req);
    const path = decodeURIComponent(url.pathname);
    const operation = this.operationOf(req.method ?? 'GET', path);
    const auth = String(req.headers.authorization ?? '');
    const accessKeyId = /Credential=([^/]+)\//.exec(auth)?.[1];
    const call: RecordedCall = {
      operation,
      method: req.method ?? 'GET',
      path,
      query,
      status: 0,
      at,
      ...(accessKeyId ? { accessKeyId } : {}),
      ...(req.headers.accept ? { accept: String(req.headers.accept) } : {}),
    };
    this.calls.push(call);
    try {
      if (!this.isSigned(auth)) {
        throw new HttpError(403, 'MissingAuthenticationTokenException', 'Missing Authentication Token');
      }
      if (this.options.accessKeys && (!accessKeyId || !this.options.accessKeys.includes(accessKeyId))) {
        throw new HttpError(
          403,
          'UnrecognizedClientException',
          'The security token included in the request is invalid.',
        );
      }
      const fault = this.takeFault(operation);
      if (fault) await this.applyFault(fault, operation, path);
      this.enforceQuotas(operation, at);
      const reply = this.route(operation, path, query, body);
      call.status = reply.status ?? 200;
      send(res, call.status, reply.text ?? JSON.stringify(reply.body), reply.headers);
    } catch (error) {
      const known = error instanceof HttpError;
      call.status = known ? error.status : 500;
      send(
        res,
        call.status,
        JSON.stringify({ message: known ? error.message : String(error) }),
        known
          ? { 'x-amzn-ErrorType': `${error.type}${this.errorTypeSuffix}`, ...error.headers }
          : { 'x-amzn-ErrorType': `ServiceUnavailableException${this.errorTypeSuffix}` },
      );
    }
  }

  private takeFault(operation: string): Fault | undefined {
    const index = this.faults.findIndex(
      (fault) => fault.operation === undefined || fault.operation === operation,
    );
    const fault = this.faults[index];
    if (!fault) return undefined;
    fault.left -= 1;
    if (fault.left <= 0) this.faults.splice(index, 1);
    return fault;
  }

  private async applyFault(fault: Fault, operation: string, path: string): Promise<void> {
    switch (fault.kind) {
      case 'throttle':
        throw this.throttled();
      case 'server-error':
        throw new HttpError(500, 'InternalFailure', 'Internal server error');
      case 'expired-token':
        throw new HttpError(
          403,
          'ExpiredTokenException',
          'The security token included in the request is expired',
        );
      case 'access-denied':
        throw new HttpError(403, 'AccessDeniedException', this.accessDeniedMessage(operation, path));
      case 'timeout':
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            this.timers.delete(timer);
            resolve();
          }, fault.delayMs ?? 5000);
          this.timers.add(timer);
        });
        return;
    }
  }

  private enforceQuotas(operation: string, at: number): void {
    // Accepted calls only: a throttled request does not consume the bucket.
    const accepted = this.calls.filter((call) => call.status > 0 && call.status !== 429);
    for (const rule of this.quotaRules()) {
      if (rule.operation !== undefined && rule.operation !== operation) continue;
      const used = accepted.filter(
        (call) =>
          (rule.operation === undefined || call.operation === rule.operation) && call.at > at - rule.windowMs,
      ).length;
      if (used >= rule.limit) throw this.throttled();
    }
  }
}

/**
 * The offset an opaque page token (v1 `position`, v2 `nextToken`) stands for: here a base64url number; 0 without
 * a token; `invalid` as a 400 for one that is not.
 */
export function pageOffset(token: string | undefined, invalid: string): number {
  if (token === undefined) return 0;
  const offset = Number(Buffer.from(token, 'base64url').toString('utf8'));
  if (!Number.isInteger(offset) || offset < 0) throw new HttpError(400, 'BadRequestException', invalid);
  return offset;
}

/** The token of the page after `limit` items from `offset`, or undefined when they were the last. */
export function nextPageToken(offset: number, limit: number, total: number): string | undefined {
  return offset + limit < total ? Buffer.from(String(offset + limit)).toString('base64url') : undefined;
}

function send(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  if (res.destroyed) return;
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'x-amzn-RequestId': '00000000-0000-4000-8000-000000000000',
    ...headers,
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
