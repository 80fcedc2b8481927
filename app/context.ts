/** What the HTTP server hands every loader and action (see server.js). */
declare module "@remix-run/node" {
  interface AppLoadContext {
    cspNonce: string;
    clientAddress: string;
  }
}

export {};
