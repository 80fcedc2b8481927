/** The four kinds of user, how they are named on screen, and where each lands after signing in. */
import type { Role } from "../../db/schema";

export type { Role };

export const STAFF_ROLES = ["admin", "programme_lead", "inspector"] as const satisfies readonly Role[];

export const ROLE_LABELS: Record<Role, string> = {
  admin: "Admin",
  programme_lead: "Programme lead",
  inspector: "Inspector",
  trust_user: "Trust user",
};

/** What each role is for, as the admin pages explain it. */
export const ROLE_HINTS: Record<Role, string> = {
  admin: "Manages accounts, the trust register and the audit trail",
  programme_lead: "Plans and oversees the programme of inspections",
  inspector: "Carries out inspections",
  trust_user: "Someone at a trust, who sees only their own trust",
};

/** The roles as radio options, in the order the admin pages list them. */
export const ROLE_OPTIONS = (Object.keys(ROLE_LABELS) as Role[]).map((role) => ({
  value: role,
  text: ROLE_LABELS[role],
  hint: ROLE_HINTS[role],
}));

export const ROLE_HOMES: Record<Role, string> = {
  admin: "/admin/users",
  programme_lead: "/trusts",
  inspector: "/my-visits",
  trust_user: "/portal",
};

/** Navigation by role: only links the role may open. */
export function navigationFor(role: Role): { href: string; text: string }[] {
  switch (role) {
    case "admin":
      return [
        { href: "/trusts", text: "Trusts" },
        { href: "/risk", text: "Risk" },
        { href: "/admin/users", text: "Users" },
        { href: "/admin/trusts/import", text: "Register import" },
        { href: "/admin/indicators", text: "Indicators" },
        { href: "/admin/bank-holidays", text: "Bank holidays" },
        { href: "/admin/frameworks", text: "Frameworks" },
        { href: "/indicators/import", text: "Import indicators" },
        { href: "/admin/audit", text: "Audit trail" },
      ];
    case "programme_lead":
      return [
        { href: "/trusts", text: "Trusts" },
        { href: "/risk", text: "Risk" },
        { href: "/selection", text: "Selection rounds" },
        { href: "/inspections", text: "Inspections" },
        { href: "/national", text: "National picture" },
        { href: "/inspectors", text: "Inspectors" },
        { href: "/frameworks", text: "Frameworks" },
        { href: "/indicators/import", text: "Import indicators" },
      ];
    case "inspector":
      return [
        { href: "/my-visits", text: "My visits" },
        { href: "/inspections", text: "Inspections" },
        { href: "/trusts", text: "Trusts" },
        { href: "/risk", text: "Risk" },
        { href: "/frameworks", text: "Frameworks" },
      ];
    case "trust_user":
      return [{ href: "/portal", text: "Your trust" }];
  }
}

/** Only same-site paths are followed after sign-in, never another host. */
export function safeRedirectPath(target: unknown, fallback: string): string {
  if (typeof target !== "string" || !target.startsWith("/") || target.startsWith("//") || target.includes("\\")) {
    return fallback;
  }
  return target;
}

/** Where a person lands once signed in: the page they asked for (a path on this site), except trust users, who only ever go to their portal. */
export function landingPage(user: { role: Role }, wanted: string | null): string {
  const home = ROLE_HOMES[user.role];
  return user.role === "trust_user" || !wanted || wanted === "/" ? home : wanted;
}
