import type { IncomingMessage } from 'node:http';
import type { ClientIdentity } from '../x509/client-identity.js';
import type { ClientCertAuthenticator } from './client-cert.authenticator.js';
import type { HttpRequest } from '../http/http-request.js';

/** Where a request's identity is read (an accessor this module defines per application). */
const IDENTITY = Symbol.for('nest-mtls-auth.identity');
/** Where a request's application authenticator is found (for the process-wide Passport strategy). */
const AUTHENTICATOR = Symbol.for('nest-mtls-auth.authenticator');

type ExpressLike = { request: object; handle: unknown };
type FastifyLike = {
  decorateRequest(name: string | symbol, value: unknown): void;
  hasRequestDecorator(name: string | symbol): boolean;
};

/**
 * The authenticated caller of a request (Express's request, or Fastify's), or `undefined` on a
 * route nobody authenticated. What `@ClientIdentity()` injects, for code outside a handler's
 * parameters (an interceptor, a logger).
 */
export function identityOfRequest(request: HttpRequest): ClientIdentity | undefined {
  return (request as { [IDENTITY]?: ClientIdentity })[IDENTITY];
}

/**
 * The authenticator of the application that received `request`. Passport keeps one strategy per
 * name for the whole process, so when several Nest applications share a process (tests, a gateway
 * and its peer), the strategy asks the request which application it belongs to.
 */
export function authenticatorOfRequest(request: HttpRequest): ClientCertAuthenticator | undefined {
  return (request as { [AUTHENTICATOR]?: ClientCertAuthenticator })[AUTHENTICATOR];
}

/**
 * Gives the application's request objects `user` (what `validate()` returned) and the identity
 * read by {@link identityOfRequest}, as accessors over the authenticator's memory, and the
 * authenticator itself: nothing is written to a request.
 *
 * - Express: on the application's own request prototype (`app.request`, from which Express
 *   derives each request), never on Node's `IncomingMessage.prototype`. Assigning `request.user`
 *   still works as always: the setter makes an own property, which then wins.
 * - Fastify: as declared request decorators (Fastify asks that every request property be declared
 *   up front, to keep request objects of one shape); `user` is a plain field the guard sets.
 *
 * @returns a function that removes the accessors (the module calls it when it closes).
 */
export function installRequestAccessors(
  instance: unknown,
  authenticator: ClientCertAuthenticator,
): () => void {
  const { memory } = authenticator;
  if (isExpress(instance)) {
    const proto = instance.request;
    Object.defineProperty(proto, 'user', {
      configurable: true,
      get(this: IncomingMessage) {
        return memory.userOf(this);
      },
      set(this: IncomingMessage, value: unknown) {
        Object.defineProperty(this, 'user', {
          value,
          writable: true,
          enumerable: true,
          configurable: true,
        });
      },
    });
    Object.defineProperty(proto, IDENTITY, {
      configurable: true,
      get(this: IncomingMessage) {
        return memory.identityOf(this);
      },
    });
    Object.defineProperty(proto, AUTHENTICATOR, { configurable: true, value: authenticator });
    return () => {
      for (const key of ['user', IDENTITY, AUTHENTICATOR]) {
        delete (proto as Record<string | symbol, unknown>)[key];
      }
    };
  }
  if (isFastify(instance)) {
    if (!instance.hasRequestDecorator('user')) instance.decorateRequest('user', null);
    if (!instance.hasRequestDecorator(IDENTITY)) {
      instance.decorateRequest(IDENTITY, {
        getter(this: { raw: IncomingMessage }) {
          return memory.identityOf(this.raw);
        },
      });
    }
    if (!instance.hasRequestDecorator(AUTHENTICATOR)) {
      instance.decorateRequest(AUTHENTICATOR, { getter: () => authenticator });
    }
  }
  return () => undefined;
}

function isExpress(instance: unknown): instance is ExpressLike {
  const app = instance as Partial<ExpressLike> | undefined;
  return (
    typeof app?.handle === 'function' && typeof app.request === 'object' && app.request !== null
  );
}

function isFastify(instance: unknown): instance is FastifyLike {
  const app = instance as Partial<FastifyLike> | undefined;
  return (
    typeof app?.decorateRequest === 'function' && typeof app.hasRequestDecorator === 'function'
  );
}
