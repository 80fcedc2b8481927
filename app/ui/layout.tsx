/** The GOV.UK page template: skip link, header, service navigation by role, main, footer. */
import { Form, NavLink } from "@remix-run/react";
import type { ReactNode } from "react";
import { OfflineBanner, SIGN_OUT_ASKED } from "~/offline/offline-banner";

export interface HeaderUser {
  name: string;
  email: string;
  roleLabel: string;
  navigation: { href: string; text: string }[];
}

export function Page({ user, children }: { user: HeaderUser | null; children: ReactNode }) {
  return (
    <>
      <a href="#main-content" className="govuk-skip-link">
        Skip to main content
      </a>
      <header className="govuk-header" data-module="govuk-header">
        <div className="govuk-header__container govuk-width-container">
          <div className="govuk-header__logo">
            <a href="/" className="govuk-header__link govuk-header__link--homepage">
              <span className="govuk-header__logotype-text">CQC</span>
            </a>
          </div>
          <div className="govuk-header__content">
            <a href="/" className="govuk-header__link govuk-header__service-name">
              Deep Dive
            </a>
          </div>
        </div>
      </header>
      {user ? (
        <section aria-label="Menu" className="govuk-service-navigation" data-module="govuk-service-navigation">
          <div className="govuk-width-container">
            <div className="govuk-service-navigation__container">
              <nav aria-label="Menu" className="govuk-service-navigation__wrapper">
                <ul className="govuk-service-navigation__list" id="navigation">
                  {user.navigation.map((item) => (
                    <li key={item.href} className="govuk-service-navigation__item">
                      <NavLink className="govuk-service-navigation__link" to={item.href}>
                        {item.text}
                      </NavLink>
                    </li>
                  ))}
                  <li className="govuk-service-navigation__item">
                    <NavLink className="govuk-service-navigation__link" to="/account">
                      Your account
                    </NavLink>
                  </li>
                  <li className="govuk-service-navigation__item">
                    <Form
                      method="post"
                      action="/sign-out"
                      className="app-sign-out-form"
                      // With changes kept offline still waiting, the banner warns first (app/offline/offline-banner.tsx).
                      onSubmit={(event) => {
                        if (!window.dispatchEvent(new Event(SIGN_OUT_ASKED, { cancelable: true }))) event.preventDefault();
                      }}
                    >
                      <button type="submit" className="govuk-service-navigation__link app-nav-button">
                        Sign out
                      </button>
                    </Form>
                  </li>
                </ul>
              </nav>
              <p className="govuk-body-s app-signed-in-as">
                Signed in as {user.name} ({user.roleLabel})
              </p>
            </div>
          </div>
        </section>
      ) : null}
      <div className="govuk-width-container">
        <main className="govuk-main-wrapper" id="main-content" role="main">
          {/* Only in a browser that has prepared an inspection for offline use (app/offline/offline-banner.tsx). */}
          {user ? <OfflineBanner /> : null}
          {children}
        </main>
      </div>
      <footer className="govuk-footer">
        <div className="govuk-width-container">
          <div className="govuk-footer__meta">
            <div className="govuk-footer__meta-item govuk-footer__meta-item--grow">
              <span className="govuk-footer__licence-description">
                Deep Dive: cyber-security deep-dive inspections of NHS trusts. Care Quality Commission.
              </span>
            </div>
          </div>
        </div>
      </footer>
    </>
  );
}
