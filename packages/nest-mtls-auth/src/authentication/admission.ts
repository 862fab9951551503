import { rawRequest, type HttpRequest } from '../http/http-request.js';
import type { AuthEntry } from '../records/auth-entry.js';
import type { CertificateIdentity } from '../x509/client-identity.js';
import { MtlsReasonCode } from '../x509/reason-code.js';
import type { Authenticator } from './authenticator.js';
import { Refusal } from './refusal.js';

/**
 * What an application makes of an accepted identity (its strategy's `validate()`): a user, or a
 * falsy value to refuse the caller (403 `MTLS_SERVICE_FORBIDDEN`).
 */
export interface IdentityValidator {
  validate(identity: CertificateIdentity): unknown;
}

/** The user `admit` let in, a {@link Refusal}, or a promise of either. */
export type Admission = unknown;

/**
 * The one acceptance path, which `ClientCertAuthGuard` and the Passport strategy
 * (`AuthGuard('client-cert')`) both take: the caller's entry is judged (remembered per connection
 * and per certificate), asked of OCSP when on, and `validate()` runs once per accepted entry: its
 * result is remembered, and a second request that arrives while it runs waits for the same call.
 * A caller whose `validate()` result is known is let through by reading one field, synchronously.
 *
 * On success the entry is counted and passed on to the allowlist guard.
 *
 * @returns the user, a {@link Refusal} (already logged and counted), or a promise of either:
 *   synchronous unless OCSP or `validate()` is asynchronous.
 */
export function admit(
  authenticator: Authenticator,
  request: HttpRequest,
  validator: IdentityValidator,
): Admission {
  const entry = authenticator.judge(request);
  // A defined user means an accepted entry (see AuthEntry.user): one field read decides.
  const known = entry.user;
  if (known !== undefined) return pass(authenticator, request, entry, known);
  return acceptFirst(authenticator, request, entry, validator);
}

/** `true` when an {@link admit} result is a promise. */
export function isPending(admission: Admission): admission is PromiseLike<unknown> {
  return typeof (admission as PromiseLike<unknown> | undefined)?.then === 'function';
}

/** A caller accepted for the first time (or again, after its OCSP answer ran out). */
function acceptFirst(
  authenticator: Authenticator,
  request: HttpRequest,
  entry: AuthEntry,
  validator: IdentityValidator,
): Admission {
  if (authenticator.awaitsOcsp(entry)) {
    return authenticator
      .askOcsp(entry)
      .then(() => acceptFirst(authenticator, request, entry, validator));
  }
  const { outcome } = entry;
  if (!outcome.ok)
    return authenticator.reject(request, outcome.code, outcome.identity, outcome.detail);
  const running = entry.validation;
  if (running) return running.then(() => settled(authenticator, request, entry));
  const user = validator.validate(outcome.identity);
  if (!isPending(user)) return remember(authenticator, request, entry, user);
  const pending = Promise.resolve(user).then(
    (resolved) => {
      if (entry.validation === pending) entry.rememberUser(resolved);
      return resolved;
    },
    (error: unknown) => {
      if (entry.validation === pending) entry.rememberUser(undefined);
      throw error;
    },
  );
  entry.validating(pending);
  return pending.then((resolved) => remember(authenticator, request, entry, resolved));
}

/** A request that waited for another request's `validate()` of the same entry. */
function settled(authenticator: Authenticator, request: HttpRequest, entry: AuthEntry): Admission {
  const { outcome, user } = entry;
  if (!outcome.ok)
    return authenticator.reject(request, outcome.code, outcome.identity, outcome.detail);
  if (user === undefined) return forbid(authenticator, request, entry);
  return pass(authenticator, request, entry, user);
}

/** Records what `validate()` made of an accepted entry and lets the request through, or not. */
function remember(
  authenticator: Authenticator,
  request: HttpRequest,
  entry: AuthEntry,
  user: unknown,
): Admission {
  const { outcome } = entry;
  // The entry may have turned into a refusal meanwhile (expired, revoked by a reload).
  if (!outcome.ok)
    return authenticator.reject(request, outcome.code, outcome.identity, outcome.detail);
  if (!user) return forbid(authenticator, request, entry);
  entry.rememberUser(user);
  return pass(authenticator, request, entry, user);
}

function forbid(authenticator: Authenticator, request: HttpRequest, entry: AuthEntry): Refusal {
  const { outcome } = entry;
  return authenticator.reject(
    request,
    MtlsReasonCode.ServiceForbidden,
    outcome.ok ? outcome.identity : undefined,
  );
}

/** Counts the accepted request and hands its entry to the allowlist guard. */
function pass(
  authenticator: Authenticator,
  request: HttpRequest,
  entry: AuthEntry,
  user: unknown,
): unknown {
  authenticator.accepted(entry.source ?? 'tls');
  authenticator.memory.passOn(rawRequest(request), entry);
  return user;
}
