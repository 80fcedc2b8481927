import { createContext, useContext } from "react";

/** The per-request CSP nonce, given to Remix's scripts. Empty in the browser, where it is not needed. */
export const NonceContext = createContext<string>("");
export const useNonce = () => useContext(NonceContext);
