/** Why a call to another service failed, as a stable code. */
export type OutboundErrorCode =
  /** The TLS handshake failed: the downstream refused our certificate, or we refused its certificate. */
  | 'DOWNSTREAM_TLS_FAILED'
  /**
   * The downstream closed the connection without answering. With TLS 1.3 this is how a refused
   * client certificate shows on the client side: the handshake completes for the client, then
   * the server reads the certificate, sends an alert and closes.
   */
  | 'DOWNSTREAM_CLOSED'
  /** The downstream answered with an HTTP error (see `status` and `downstreamCode`). */
  | 'DOWNSTREAM_HTTP_ERROR'
  /** No answer in time. */
  | 'DOWNSTREAM_TIMEOUT'
  /** Nobody listens there, or the connection broke. */
  | 'DOWNSTREAM_UNREACHABLE'
  /** The outbound client has no certificate configured. */
  | 'OUTBOUND_NOT_CONFIGURED';

/** A failed call to another service, with a code and what the downstream said, if anything. */
export class OutboundRequestError extends Error {
  override readonly name = 'OutboundRequestError';

  constructor(
    readonly code: OutboundErrorCode,
    message: string,
    readonly url: string,
    readonly details: { readonly status?: number; readonly downstreamCode?: string } = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const TLS_ERROR =
  /SSL|TLS|CERT|certificate|alert|UNABLE_TO_|DEPTH_ZERO|SELF_SIGNED|ERR_TLS|self.signed|handshake/i;

/**
 * Classifies a transport error from undici: TLS failures (either side refusing a certificate)
 * apart from timeouts and unreachable hosts, because each asks for a different fix.
 */
export function classifyTransportError(error: unknown, url: string): OutboundRequestError {
  const e = error as {
    code?: string;
    message?: string;
    cause?: { code?: string; message?: string };
  };
  const codes = [e.code, e.cause?.code].filter(Boolean).join(' ');
  const text = `${codes} ${e.message ?? ''} ${e.cause?.message ?? ''}`;
  if (/UND_ERR_(CONNECT|HEADERS|BODY)_TIMEOUT|ETIMEDOUT|AbortError|TimeoutError/.test(text)) {
    return new OutboundRequestError(
      'DOWNSTREAM_TIMEOUT',
      `no answer from ${url} in time`,
      url,
      {},
      { cause: error },
    );
  }
  if (TLS_ERROR.test(text)) {
    return new OutboundRequestError(
      'DOWNSTREAM_TLS_FAILED',
      `TLS handshake with ${url} failed (${(e.cause?.message ?? e.message ?? codes).trim()}): check that the downstream trusts the CA of this client's certificate and that this client's ca option trusts the downstream's server certificate`,
      url,
      {},
      { cause: error },
    );
  }
  if (/UND_ERR_SOCKET|other side closed|ECONNRESET|socket hang up/.test(text)) {
    return new OutboundRequestError(
      'DOWNSTREAM_CLOSED',
      `${url} closed the connection without answering: it most likely refused this service's client certificate (check that it trusts the CA of this client's certificate, and its logs)`,
      url,
      {},
      { cause: error },
    );
  }
  return new OutboundRequestError(
    'DOWNSTREAM_UNREACHABLE',
    `cannot reach ${url} (${(e.cause?.message ?? e.message ?? codes).trim()})`,
    url,
    {},
    { cause: error },
  );
}
