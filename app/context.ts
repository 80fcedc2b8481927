/** What the HTTP server hands every loader and action (see server.js). */
declare module "@remix-run/node" {
  interface AppLoadContext {
    cspNonce: string;
    clientAddress: string;
  }
  // Single fetch is on (remix.config.js): loaders' types are inferred from what they return.
  interface Future {
    v3_singleFetch: true;
  }
}

export {};
