/** A small HTTP client for tests against the real server: keeps the session cookie, sends Origin on POSTs. */
import { DEMO_PASSWORD } from "../../db/seed.server";
import { finishSecondStep, SESSION_COOKIE } from "./second-factor";

export class Client {
  cookie = "";
  constructor(readonly baseUrl: string) {}

  async request(pathname: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookie && !headers.has("Cookie")) headers.set("Cookie", this.cookie);
    const method = (init.method ?? "GET").toUpperCase();
    if (method !== "GET" && method !== "HEAD" && !headers.has("Origin")) headers.set("Origin", this.baseUrl);
    const response = await fetch(this.baseUrl + pathname, { ...init, headers, redirect: "manual" });
    // Cookies as a browser keeps them: each by name, a cleared one (empty value) removed.
    const jar = new Map(this.cookie ? this.cookie.split("; ").map((pair) => [pair.slice(0, pair.indexOf("=")), pair] as const) : []);
    for (const setCookie of response.headers.getSetCookie()) {
      const [pair] = setCookie.split(";");
      const name = pair!.slice(0, pair!.indexOf("="));
      if (pair!.endsWith("=")) jar.delete(name);
      else jar.set(name, pair!);
    }
    this.cookie = [...jar.values()].join("; ");
    return response;
  }

  get(pathname: string, init: RequestInit = {}) {
    return this.request(pathname, init);
  }

  post(pathname: string, fields: Record<string, string>, init: RequestInit = {}) {
    return this.request(pathname, { ...init, method: "POST", body: new URLSearchParams(fields) });
  }

  async signIn(email: string, password = DEMO_PASSWORD): Promise<Response> {
    return this.post("/sign-in", { email, password });
  }
}

/**
 * Signs in (the real password step over HTTP; for accounts with a second factor, the second step as
 * tests/support/second-factor.ts explains) and fails loudly if that did not work.
 */
export async function signedIn(baseUrl: string, email: string, password = DEMO_PASSWORD): Promise<Client> {
  const client = new Client(baseUrl);
  const response = await client.signIn(email, password);
  if (response.status !== 302 || !client.cookie) throw new Error(`sign-in as ${email} failed: ${response.status}`);
  const next = response.headers.get("location") ?? "";
  if (next === "/sign-in/code" || next === "/sign-in/set-up") client.cookie = `${SESSION_COOKIE}=${finishSecondStep(baseUrl, email)}`;
  return client;
}

/** The page's HTML with React's text separators (<!-- -->) and entity escapes undone, so tests can look for text as people read it. */
export async function readPage(response: Response): Promise<string> {
  return (await response.text())
    .replaceAll("<!-- -->", "")
    .replaceAll("&#x27;", "'")
    .replaceAll("&quot;", '"')
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&amp;", "&");
}
