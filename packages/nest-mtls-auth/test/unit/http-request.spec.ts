import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  hasHeader,
  isWrappedRequest,
  presentHeaders,
  rawRequest,
} from '../../src/http/http-request.js';

describe('rawRequest', () => {
  const node = new IncomingMessage(new Socket());

  it("is the request itself for Express, whose requests are Node requests re-parented under Express's prototype", () => {
    const appRequest = Object.create(IncomingMessage.prototype) as object;
    const express = Object.setPrototypeOf(
      new IncomingMessage(new Socket()),
      appRequest,
    ) as IncomingMessage;
    expect(rawRequest(express)).toBe(express);
    expect(isWrappedRequest(express)).toBe(false);
    expect(rawRequest(node)).toBe(node);
  });

  it("is `raw` for Fastify's request, which wraps the Node request", () => {
    const fastify = { raw: node, headers: node.headers };
    expect(rawRequest(fastify)).toBe(node);
    expect(isWrappedRequest(fastify)).toBe(true);
  });
});

describe('hasHeader', () => {
  const request = (rawHeaders: string[]) => {
    const message = new IncomingMessage(new Socket());
    message.rawHeaders = rawHeaders;
    return message;
  };

  it('finds a header by its lower-case name, whatever case the client sent', () => {
    const sent = request(['Host', 'a', 'X-Forwarded-Client-Cert', 'By=x', 'Accept', '*/*']);
    expect(hasHeader(sent, 'x-forwarded-client-cert')).toBe(true);
    expect(hasHeader(request(['x-forwarded-client-cert', '']), 'x-forwarded-client-cert')).toBe(
      true,
    );
  });

  it('looks at names only, never at values, and not at names that merely start alike', () => {
    expect(
      hasHeader(request(['Referer', 'x-forwarded-client-cert']), 'x-forwarded-client-cert'),
    ).toBe(false);
    expect(hasHeader(request(['X-Forwarded-Client-Certs', 'a']), 'x-forwarded-client-cert')).toBe(
      false,
    );
    expect(hasHeader(request([]), 'x-forwarded-client-cert')).toBe(false);
  });
});

describe('presentHeaders', () => {
  const request = (rawHeaders: string[]) => {
    const message = new IncomingMessage(new Socket());
    message.rawHeaders = rawHeaders;
    return message;
  };
  const watched = ['x-ssl-client-cert', 'x-ssl-client-verify', 'x-forwarded-client-cert'];

  it('names each watched header the request carries once, in one pass, by name only', () => {
    const sent = request([
      'X-SSL-Client-Verify',
      'SUCCESS',
      'Referer',
      'x-ssl-client-cert',
      'x-ssl-client-verify',
      'again',
      'X-Forwarded-Client-Cert',
      'By=x',
    ]);
    expect(presentHeaders(sent, watched)).toEqual([
      'x-ssl-client-verify',
      'x-forwarded-client-cert',
    ]);
    expect(presentHeaders(request(['Host', 'a', 'Accept', '*/*']), watched)).toBeUndefined();
    expect(presentHeaders(request([]), watched)).toBeUndefined();
  });
});
