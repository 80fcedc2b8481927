import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import {
  type ShouldRevalidateFunction,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  isRouteErrorResponse,
  useLoaderData,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import type { ReactNode } from "react";
// Compiled from govuk.scss by `npm run build:css` (part of `npm run build`).
import govukStyles from "./ui/govuk.generated.css";
import appStyles from "./ui/app.css";
import { getSessionUser } from "./auth/session.server";
import { ROLE_LABELS, navigationFor } from "./auth/roles";
import { Page } from "./ui/layout";
import { useNonce } from "./ui/nonce";
import { isPresenceBeat } from "./inspections/presence";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: govukStyles },
  { rel: "stylesheet", href: appStyles },
  { rel: "icon", href: "/assets/images/favicon.ico", sizes: "48x48" },
];

export const meta: MetaFunction = () => [{ title: "Deep Dive" }];

/** Who is signed in, for the header only: the name, the role's label and the role's navigation. */
export function loader({ request }: LoaderFunctionArgs) {
  const user = getSessionUser(request);
  return {
    user: user
      ? { name: user.name, email: user.email, roleLabel: ROLE_LABELS[user.role], navigation: navigationFor(user.role) }
      : null,
  };
}

/** The presence heartbeat changes nothing the layout shows: no reload of the user and navigation after one. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formAction, defaultShouldRevalidate }) =>
  isPresenceBeat(formAction) ? false : defaultShouldRevalidate;

export type RootData = ReturnType<typeof loader>;

function Document({ children }: { children: ReactNode }) {
  const nonce = useNonce();
  return (
    <html lang="en-GB" className="govuk-template">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
        <meta name="theme-color" content="#0b0c0c" />
        <Meta />
        <Links />
      </head>
      <body className="govuk-template__body">
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const { user } = useLoaderData<typeof loader>();
  return (
    <Document>
      <Page user={user}>
        <Outlet />
      </Page>
    </Document>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const data = useRouteLoaderData<typeof loader>("root");
  const status = isRouteErrorResponse(error) ? error.status : 500;
  const [title, body] =
    status === 404 || status === 405
      ? ["Page not found", "If you typed the web address, check it is correct. If you pasted the web address, check you copied the entire address."]
      : status === 403
        ? ["You cannot do that", "The request was refused."]
        : status === 400
          ? ["There is a problem with the request", "Go back and try again."]
          : ["Sorry, there is a problem with the service", "Try again later."];
  return (
    <Document>
      <Page user={data?.user ?? null}>
        <h1 className="govuk-heading-l">{title}</h1>
        <p className="govuk-body">{body}</p>
      </Page>
    </Document>
  );
}
