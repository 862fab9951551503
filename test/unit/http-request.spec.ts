import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { isWrappedRequest, rawRequest } from '../../src/mtls-auth/http-request.js';

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
