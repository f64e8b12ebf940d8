import type { ErrorRequestHandler, Response } from 'express';
import type { Logger } from 'pino';

export interface InvalidParam {
  name: string;
  reason: string;
}

/** An error that becomes an RFC 9457 problem+json response. */
export class HttpProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly invalidParams?: InvalidParam[],
  ) {
    super(detail ?? title);
  }
}

/** A zod failure as the problems a client can act on, each named by its path. */
export function invalidParamsOf(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): InvalidParam[] {
  return error.issues.map((issue) => ({ name: issue.path.map(String).join('.') || 'body', reason: issue.message }));
}

export const badRequest = (detail: string, invalidParams?: InvalidParam[]) =>
  new HttpProblem(400, 'Bad Request', detail, invalidParams);

export const notFound = (detail: string) => new HttpProblem(404, 'Not Found', detail);

export function sendProblem(response: Response, problem: HttpProblem): void {
  response
    .status(problem.status)
    .type('application/problem+json')
    .json({
      type: 'about:blank',
      title: problem.title,
      status: problem.status,
      detail: problem.detail,
      ...(problem.invalidParams ? { 'invalid-params': problem.invalidParams } : {}),
    });
}

/** The one place every error turns into problem+json. */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (error, request, response, _next) => {
    if (response.headersSent) {
      // The answer is already on its way, status and all: no problem can follow it. Cutting the
      // connection tells the client the body is incomplete, where a clean end would pass it as whole.
      logger.error({ err: error, url: request.originalUrl }, 'failed after the response began');
      response.destroy();
      return;
    }
    if (error instanceof HttpProblem) {
      sendProblem(response, error);
      return;
    }
    // Express body parsers and similar middleware signal client errors with a status.
    const status = typeof error?.status === 'number' ? error.status : 500;
    if (status >= 400 && status < 500) {
      sendProblem(response, new HttpProblem(status, error.expose ? error.message : 'Bad Request', error.message));
      return;
    }
    logger.error({ err: error, url: request.originalUrl }, 'unhandled error');
    sendProblem(response, new HttpProblem(500, 'Internal Server Error', 'The server failed to answer this request.'));
  };
}
