import { notFound } from "~/auth/guards.server";

/** Any address no route matches: a 404 inside the normal page, so the header still shows who is signed in. */
export function loader() {
  throw notFound();
}

export function action() {
  throw notFound();
}

export default function NotFound() {
  return null;
}
