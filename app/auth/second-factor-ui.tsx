/** Parts of the pages that set up a second factor: the secret to scan or type, and recovery codes shown once. */
import { WarningText } from "~/ui/warning-text";

export function SecretToScan({ email, secret, qrSvg }: { email: string; secret: string; qrSvg: string }) {
  return (
    <>
      <h2 className="govuk-heading-m">1. Add Deep Dive to your app</h2>
      <p className="govuk-body">Scan this QR code with the app.</p>
      {/* The SVG comes from the qrcode library on the server, drawn from our own otpauth address: no user input. */}
      <div className="app-qr-code" role="img" aria-label={`QR code to add Deep Dive (${email}) to an authenticator app`} dangerouslySetInnerHTML={{ __html: qrSvg }} />
      <p className="govuk-body">If you cannot scan it, choose to enter a key in the app, and type this key (time-based, 6 digits):</p>
      <p className="govuk-body">
        <code className="app-secret" id="secret">
          {secret}
        </code>
      </p>
      <h2 className="govuk-heading-m">2. Enter the code it shows</h2>
    </>
  );
}

export function RecoveryCodes({ codes }: { codes: string[] }) {
  return (
    <>
      <h2 className="govuk-heading-m">Your recovery codes</h2>
      <WarningText>Save these codes somewhere safe now: they are shown only once.</WarningText>
      <p className="govuk-body">If you lose your phone, each code signs you in once instead of a code from the app.</p>
      <ul className="govuk-list app-recovery-codes" id="recovery-codes">
        {codes.map((code) => (
          <li key={code}>
            <code>{code}</code>
          </li>
        ))}
      </ul>
    </>
  );
}
