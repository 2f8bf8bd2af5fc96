import { GhsqlError } from '../../errors.js';
import { REDIRECT_STATUSES, settingToCheck, type Answer, type Send } from './exchange.js';

/** Same-origin redirects followed in a row before giving up; fetch allows 20, GitHub never needs more than one. */
export const MAX_REDIRECTS = 5;

/**
 * Follows redirects a read can safely follow: to the destination's own origin (so the token goes
 * nowhere else), a few in a row. A write is never redirected: re-sending it elsewhere, or reporting
 * the other server's 204 as done, would both be wrong. A redirect status the caller accepts is an
 * answer like any other.
 */
export function followingRedirects(next: Send<Answer>): Send<Answer> {
  return async (first) => {
    const { method, destination } = first;
    const { origin, service } = destination;
    const check = settingToCheck(service, origin);
    let request = first;
    for (let redirects = 0; ; redirects++) {
      const answer = await next(request);
      const { status } = answer.response;
      if (!REDIRECT_STATUSES.has(status) || request.accept.includes(status)) return answer;
      const location = answer.response.headers.get('location');
      let to: URL | undefined;
      try {
        // An empty Location would resolve to the URL itself: as unusable as none.
        to = location === null || location.trim() === '' ? undefined : new URL(location, request.url);
      } catch {
        to = undefined;
      }
      // Another host's URL is shown without its query, which may carry anything.
      const where = to ? (to.origin === origin ? destination.show(to) : `${to.origin}${to.pathname}`) : location === null ? 'no Location header' : JSON.stringify(location);
      const { target } = request;
      if (method !== 'GET') {
        throw new GhsqlError(
          'REDIRECT',
          `${service.name} answered ${method} ${target} with a redirect (${status} to ${where}); ghsql never follows a redirect for a write, so it was not sent there. Check ${check}.`,
          status,
        );
      }
      if (!to) throw new GhsqlError('BAD_RESPONSE', `${service.name} answered ${method} ${target} with ${status} but no usable Location (${where}). Check ${check}.`, status);
      if (to.origin !== origin) {
        throw new GhsqlError(
          'REDIRECT',
          `${service.name} redirected ${method} ${target} to another host (${where}); not following it, so the token and the query stay with ${origin}. Check ${check}.`,
          status,
        );
      }
      if (redirects >= MAX_REDIRECTS) {
        throw new GhsqlError('REDIRECT', `${service.name} redirected ${method} ${first.target} more than ${MAX_REDIRECTS} times (last to ${where}); stopping. Check ${check}.`, status);
      }
      request = { ...request, url: to, target: destination.show(to) };
    }
  };
}
