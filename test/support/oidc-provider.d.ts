/*
 * The part of `oidc-provider` (which ships no type declarations) the single sign-on test uses: a provider built from
 * a configuration object, its request listener, and its error classes.
 */
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  /** The request context handed to configuration callbacks (opaque to the test). */
  export type KoaContextWithOIDC = Record<string, unknown>;

  /** Configuration as https://github.com/panva/node-oidc-provider/blob/main/docs/README.md describes it. */
  export type Configuration = Record<string, unknown>;

  export default class Provider {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    /** A Node.js request listener serving every endpoint of the provider. */
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
  }

  export const errors: {
    InvalidTarget: new (description?: string) => Error;
  };
}
