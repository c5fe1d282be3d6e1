/**
 * AWS operations called from the console as the signed-in user: `/console/api/securityhub/<restJson path>` and
 * `POST /console/api/{ssm,cloudtrail}/<Operation>`. Each runs through the request pipeline's console entry (the
 * same validation, authorize() and audit record as a signed call) and answers the operation's JSON output, or
 * its AWS error.
 */
import { ApiError } from '../../kernel/index.js';
import type { ResolvedSession } from '../../sessions/index.js';
import { firstHeader, type HttpResponse } from '../http-message.js';
import type { Operation } from '../../protocols/operation.js';
import { parseForm, parseJsonBody } from '../request-body.js';
import type { ConsoleApiDeps } from './console-api-deps.js';
import type { ConsoleCall } from './console-call.js';
import { jsonAnswer } from './console-responses.js';

/** The path prefix of Security Hub's (and Bulwark's own) restJson1 operations under the console API. */
export const securityHubPrefix = '/console/api/securityhub';

/** The event source of each awsJson service the console calls, by its path segment. */
export const awsJsonServices: Readonly<Record<string, string>> = {
  ssm: 'ssm.amazonaws.com',
  cloudtrail: 'cloudtrail.amazonaws.com',
};

/** An AWS Region name such as us-east-1. */
const regionName = /^[a-z]{2}(-[a-z]+)+-\d$/;

/** The operation a console path names, with its path labels; UnknownOperation when none. */
export function operationOf(
  method: string,
  rawPath: string,
  deps: ConsoleApiDeps,
): { operation: Operation; labels: Record<string, string> } {
  if (rawPath.startsWith(`${securityHubPrefix}/`)) {
    const match = deps.restJson.match(method, rawPath.slice(securityHubPrefix.length));
    if (match !== undefined) return match;
  } else {
    const [, service, name, ...rest] = rawPath.slice('/console/api'.length).split('/');
    const eventSource = awsJsonServices[service ?? ''];
    const operation =
      method === 'POST' && eventSource !== undefined && rest.length === 0
        ? deps.awsJson.find(eventSource, name ?? '')
        : undefined;
    if (operation !== undefined) return { operation, labels: {} };
  }
  throw new ApiError('UnknownOperation', `No console operation matches ${method} ${rawPath}`);
}

/** The Region a console call acts in: `X-Bulwark-Region`, else the session's. */
function regionOf(call: ConsoleCall, deps: ConsoleApiDeps): string {
  const named = firstHeader(call.head, 'x-bulwark-region');
  if (named === undefined) return deps.region;
  if (!regionName.test(named)) {
    throw new ApiError('InvalidInput', 'X-Bulwark-Region: must be a Region name such as us-east-1');
  }
  return named;
}

/** Runs the operation the path names as the session's user; throws the operation's (audited) error. */
export async function proxyOperation(
  call: ConsoleCall,
  deps: ConsoleApiDeps,
  session: ResolvedSession,
): Promise<HttpResponse> {
  const { envelope } = call;
  const { operation, labels } = operationOf(envelope.method, envelope.rawPath, deps);
  call.named(operation.name);
  const region = regionOf(call, deps);
  const query = parseForm(envelope.rawQuery, 'query string');
  const body = await call.readBody();
  const result = await deps.pipeline.executeAs(
    { ...envelope, body },
    { actor: session.actor, region, secureTransport: deps.secure },
    operation,
    () => ({ labels, query, body: parseJsonBody(body) }),
  );
  return jsonAnswer(200, result ?? {}, { 'x-amzn-requestid': envelope.requestId });
}
