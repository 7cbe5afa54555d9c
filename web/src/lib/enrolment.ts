// Authenticator set-up on the sign-in page: the QR code careline draws, and the secret
// written out for those who type it instead.

/** An SVG document as an image URL (the CSP allows data: images, never inline script). */
export function svgDataUri(svg: string): string {
  const bytes = new TextEncoder().encode(svg);
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return `data:image/svg+xml;base64,${btoa(binary)}`;
}

/** "JBSW Y3DP EHPK 3PXP": groups of four, as authenticator apps accept them. */
export function groupSecret(secret: string): string {
  return (secret.replace(/\s+/g, "").toUpperCase().match(/.{1,4}/g) ?? []).join(" ");
}
