/** The QR code an authenticator app scans to set up the second factor, drawn as SVG on the server (the qrcode library). */
import QRCode from "qrcode";
import { otpauthUri } from "./mfa";

export function qrCodeSvg(secretBase32: string, email: string): Promise<string> {
  return QRCode.toString(otpauthUri(secretBase32, email), { type: "svg", errorCorrectionLevel: "M", margin: 2 });
}
