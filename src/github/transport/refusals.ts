import { errorFromResponse, type TokenFacts } from '../github-errors.js';
import { isAnswer, type Answer, type Answered, type Send } from './exchange.js';
import { attemptEvent, type Trace } from './tracing.js';

export interface RefusalOptions {
  trace: Trace;
  /** Applied to the body before a message quotes the start of it, so a cut cannot leave part of the token. */
  redact: (text: string) => string;
  /** What a 401 message ends with: where the token came from and how to give a good one (auth.ts). */
  tokenHelp: string;
  /** The token's kind and where it came from, for what a 403 or 404 advises; default unknown. */
  token?: TokenFacts;
}

/**
 * Ends the attempts at one URL: traces the last one, and turns an answer that is neither success,
 * a 304, a redirect nor accepted by the caller into the error that says what GitHub refused.
 */
export function throwingRefusals(next: Send<Answered>, { trace, redact, tokenHelp, token }: RefusalOptions): Send<Answer> {
  return async (request) => {
    const answered = await next(request);
    trace(attemptEvent(request, answered));
    const { response, body, bytes } = answered;
    const { status, headers } = response;
    if (!isAnswer(status, request.accept)) {
      throw errorFromResponse({ service: request.destination.service, method: request.method, target: request.target, status, headers, body: redact(body), tokenHelp, ...(token ? { token } : {}) });
    }
    return { response, body, bytes, target: request.target };
  };
}
