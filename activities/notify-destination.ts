import { promises as dns, type LookupAddress } from 'node:dns';
import { Agent as HttpAgent, request as httpRequest, type RequestOptions } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { GatewayMode } from '../domain/config.js';
import { addressRefusal, urlRefusal, type DestinationPolicy } from '../domain/public-address.js';

/** Resolves a host name to every address it has (tests pass a fake: no test resolves or connects anywhere real). */
export type HostResolver = (hostname: string) => Promise<readonly LookupAddress[]>;

export const systemResolver: HostResolver = (hostname) => dns.lookup(hostname, { all: true, verbatim: true });

/** The destination is not allowed (domain/public-address.ts): nothing was sent, not even a connection attempt. */
export class DestinationRefused extends Error {
  override readonly name = 'DestinationRefused';
}

export class NoAnswer extends Error {
  override readonly name = 'NoAnswer';
}

type LookupFunction = NonNullable<RequestOptions['lookup']>;

/**
 * A `lookup` for node:net that hands the socket only addresses the mode allows. The check is on the very addresses
 * the socket then connects to, so a name that resolves to a public address for a check and to a private one for the
 * connection (DNS rebinding) cannot slip through. One refused address refuses the name: a merchant's host has no
 * business resolving into our network at all.
 */
export function guardedLookup(mode: GatewayMode, resolve: HostResolver = systemResolver): LookupFunction {
  return (hostname, options, callback) => {
    resolve(hostname).then(
      (addresses) => {
        for (const a of addresses) {
          const refusal = addressRefusal(a.address, mode);
          if (refusal) return callback(new DestinationRefused(refusal), '', 0);
        }
        const family = options.family === 4 || options.family === 'IPv4' ? 4 : options.family === 6 || options.family === 'IPv6' ? 6 : 0;
        const usable = family === 0 ? [...addresses] : addresses.filter((a) => a.family === family);
        const first = usable[0];
        if (!first) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '', 0);
        if (options.all) callback(null, usable);
        else callback(null, first.address, first.family);
      },
      (err: NodeJS.ErrnoException) => callback(err, '', 0),
    );
  };
}

export interface FormPoster {
  /** POSTs a form and returns the HTTP status; redirects are answers, never followed. Throws DestinationRefused, NoAnswer, or a network error. */
  post(url: string, form: string, policy: DestinationPolicy): Promise<number>;
}

/**
 * Merchant notifications over node:http(s) rather than fetch: fetch offers no hook on the address it connects to.
 * The URL is checked first (a literal address never goes through `lookup`), every resolved address at connect time.
 */
export function createFormPoster({ mode, resolve = systemResolver, timeoutMs }: { mode: GatewayMode; resolve?: HostResolver; timeoutMs: number }): FormPoster {
  const lookup = guardedLookup(mode, resolve);
  // Idle sockets are dropped before the usual 5 s server keep-alive, so a reused one is rarely already closed.
  const agents = { http: new HttpAgent({ keepAlive: true, timeout: 4_000 }), https: new HttpsAgent({ keepAlive: true, timeout: 4_000 }) };
  return {
    post(url, form, policy) {
      const refusal = urlRefusal(url, policy);
      if (refusal) return Promise.reject(new DestinationRefused(refusal));
      const target = new URL(url);
      const https = target.protocol === 'https:';
      const body = Buffer.from(form);
      return new Promise<number>((resolveStatus, reject) => {
        const req = (https ? httpsRequest : httpRequest)(target, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(body.length) },
          agent: https ? agents.https : agents.http,
          lookup,
        });
        const timer = setTimeout(() => req.destroy(new NoAnswer(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
        req.on('error', (err) => {
          clearTimeout(timer);
          reject(err);
        });
        req.once('response', (res) => {
          clearTimeout(timer);
          resolveStatus(res.statusCode ?? 0);
          // Only the status matters: drain a short answer so the socket can be reused, cut off an endless one.
          const cutOff = setTimeout(() => res.destroy(), 5_000);
          res.once('close', () => clearTimeout(cutOff));
          res.on('error', () => undefined); // a reset while draining changes nothing: the status is in
          res.resume();
        });
        req.end(body);
      });
    },
  };
}
