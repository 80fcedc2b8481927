/** A small HTTP client for tests against the real server: keeps the session cookie, sends Origin on POSTs. */
import { DEMO_PASSWORD } from "../../db/seed.server";

export class Client {
  cookie = "";
  constructor(readonly baseUrl: string) {}

  async request(pathname: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookie && !headers.has("Cookie")) headers.set("Cookie", this.cookie);
    const method = (init.method ?? "GET").toUpperCase();
    if (method !== "GET" && method !== "HEAD" && !headers.has("Origin")) headers.set("Origin", this.baseUrl);
    const response = await fetch(this.baseUrl + pathname, { ...init, headers, redirect: "manual" });
    const setCookie = response.headers.get("set-cookie");
    if (setCookie) {
      const [pair] = setCookie.split(";");
      this.cookie = pair!.endsWith("=") ? "" : pair!;
    }
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

/** Signs in as a demo user and fails loudly if that did not work. */
export async function signedIn(baseUrl: string, email: string, password = DEMO_PASSWORD): Promise<Client> {
  const client = new Client(baseUrl);
  const response = await client.signIn(email, password);
  if (response.status !== 302 || !client.cookie) throw new Error(`sign-in as ${email} failed: ${response.status}`);
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
