// Sample tokens, one per algorithm family, signed with demo keys made for this project and
// published: they protect nothing. Never use them for a real token.

import { $, loadToken, post, urls } from "./app.js";

const RS256_PRIVATE = `-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCki203lgLSiFqd
b/8pPys6JdmbIted/l5eGGCaigKWWBMTDSn6TIdmvYkd63425bqIb+nxHIsjEgFS
7IxsjikwEbjhZbKPvnRzrioeuP6aNB1dZfcTwO6beS3ft99dtzV2sDSZJdfuhGlq
/tIJ9Sv+K7GJA0wW+DrxnEU6EY4QIy9vimseUDIQb7AyFXERl+zdnup01uNEFFAD
Tk3IUNwJmY1lTh/9l+FVDYO1bChP1x/SA4xeVD/IZMoGM/U1xNg2MuYVtCR6yLhD
Yh4JxwJQme4DwZBZgtIvphkVdNzlcqqBr/PfStsZt01VZBcLHBoORfxy9KNKrllb
biMO1hIfAgMBAAECggEABvRlr13FzMQ6oEDllga3ewOyiN4WIvVnY67AFogSx+v9
EmcSCSRG7M7CBuO3N/bJxY6FYs2EC/1s1OZuoP/5ObDmEZDM1UqFfYY0/YtwJ3Bg
dVwj70/ORf//Ml+BL2LY/aVA8+Anmks6cW1Hz2fvbhTGsjXTd30ScLfcLTIkwQXK
R3Re+O6tTPTFNX6yeBLYQJ4w7TKhjkSr8Rv40HXD5sDSU4u4TyRLMIiPtWUNI8hn
dBswYngn8JQuigAH8W3xMuqoFSp3EcdQ1zzOIATST4wGmiIYOFeeQ7F6KNIuDd45
nCzW7Na1OsonpmW25dHpc3JV2F2Ziy+YSYyYfuXtkQKBgQDftleVzok4k4XTlnoH
KeA5DVTNDVFmVKllRJL0xsgn2fhDSzLeYBIKB9g+FjmzXfff5NCo8AT3MidPnLgl
Xzpa/zXDalXkdF/vxlTmGX4QKE6m/VWvtZasPuO/oehWhnrfsabEd9Jiy5kP6Yv0
KqUWpk8zkEUilvdJ89uad3FUMwKBgQC8Svmt0h7AOOMB66aB3OAm1Q3mYRfPSibg
mWcRnmhS6eEkuxh/RXwDlg6eWRLM2bNUNiZ1e/AN7Orv87B+7ddSzsD4iviRVL6s
5YR/ZQPJRjTl+H6DcRtpGaHU5TFRsBX4D5QU0TtISze09cq1T6mKlOY2+9/wRXJZ
azAC0Na+ZQKBgQCRu9Jgt9Qyc//ZL4y8/+2enO2iSsu9MufLHZnyNVCMjXUqOWGg
9cqqmCOphob+Lvfb9c5sTzec5SIwvbJEPj3gq6KVc78SfTFGHNiPsQmrcuaR6DSa
q1vFR47L9qhJPX/sG2m9USVP0LwcXpMac3FqSNsNhy1SdDASD/b+MFM2ewKBgEdd
R0ppE/yY0vkcXmxj0ZUGNRF3BTYsjZWcrqLP3gxm1k08mClMpZcaXYoIioaXkE8/
gs4OXkp43AZ73w4MiQq6kArjaRhz/Ry8lL5QA+JaOJxc1V5uFQx9iYeOImYqjfkJ
tn85WfWphICSk/SqL8D1dFesmRCQ0akwZe77Rhi9AoGAR1WAyU64gvUbldr+Ztyg
6A7WzgHvXEZC0I/Cc0FO8yKWUMXlWAhPk/l7PkjwEWkJyazOteu/KFAtPiPsBnQj
8agP8zIUhULGSeLxkhcw3Wt+ep1aJwe7rVSbzjKjRAI6GpWc4QXSdEdeg2Z9mEuk
fQdzxsPiEGkBYvhDh0qDGzc=
-----END PRIVATE KEY-----
`;
const RS256_PUBLIC = `-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEApIttN5YC0ohanW//KT8r
OiXZmyLXnf5eXhhgmooCllgTEw0p+kyHZr2JHet+NuW6iG/p8RyLIxIBUuyMbI4p
MBG44WWyj750c64qHrj+mjQdXWX3E8Dum3kt37ffXbc1drA0mSXX7oRpav7SCfUr
/iuxiQNMFvg68ZxFOhGOECMvb4prHlAyEG+wMhVxEZfs3Z7qdNbjRBRQA05NyFDc
CZmNZU4f/ZfhVQ2DtWwoT9cf0gOMXlQ/yGTKBjP1NcTYNjLmFbQkesi4Q2IeCccC
UJnuA8GQWYLSL6YZFXTc5XKqga/z30rbGbdNVWQXCxwaDkX8cvSjSq5ZW24jDtYS
HwIDAQAB
-----END PUBLIC KEY-----
`;

const ES256_PRIVATE = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgfNXSk9K4qyMUlnLn
Vx7tlW60Bcv2s+93fHMqOdAtLFChRANCAATvsbQyOaObfhLVXhAjoJcsrgKqbuaI
JFxsTzR6dMNdaB1SkguFR9Onbn+tlGQ5M4RJ1S9y1vmFcntVco10QNNT
-----END PRIVATE KEY-----
`;
const ES256_PUBLIC = `-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE77G0Mjmjm34S1V4QI6CXLK4Cqm7m
iCRcbE80enTDXWgdUpILhUfTp25/rZRkOTOESdUvctb5hXJ7VXKNdEDTUw==
-----END PUBLIC KEY-----
`;

const EdDSA_PRIVATE = `-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIHX8tOePxppYx2D0X/ZZdDRvCgnS0i2iOniaKi51qio2
-----END PRIVATE KEY-----
`;
const EdDSA_PUBLIC = `-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAxhpvp8c/j5eTbE7nD2MNFyCwu+h+xbNSo4HqcDPdHF0=
-----END PUBLIC KEY-----
`;

/** The demo HMAC secret: the server's, the one the demo API accepts. */
export const DEMO_SECRET = urls.demoSecret;

/** One sample per algorithm family: the key that signs it and how the page describes it. */
export const SAMPLES = {
  HS256: { key: DEMO_SECRET, what: "the demo secret" },
  RS256: { key: RS256_PRIVATE, publicKey: RS256_PUBLIC, kid: "demo-rs256", what: "the demo RSA key" },
  ES256: { key: ES256_PRIVATE, publicKey: ES256_PUBLIC, kid: "demo-es256", what: "the demo P-256 key" },
  EdDSA: { key: EdDSA_PRIVATE, publicKey: EdDSA_PUBLIC, kid: "demo-ed25519", what: "the demo Ed25519 key" },
};

const picker = $("example-alg");
const note = $("example-note");

/** Sign a fresh sample token (issued now, valid for an hour) and load it with its demo key. */
export async function loadSample(alg) {
  const sample = SAMPLES[alg] || SAMPLES.HS256;
  const now = Math.floor(Date.now() / 1000);
  const header = { alg, typ: "JWT", ...(sample.kid ? { kid: sample.kid } : {}) };
  const payload = { sub: "1234567890", name: "Ada Lovelace", admin: true, iat: now, exp: now + 3600 };
  const result = await post(urls.encodeUrl, {
    header_json: JSON.stringify(header),
    payload_json: JSON.stringify(payload),
    key: sample.key,
  });
  if (!result.ok) {
    note.textContent = `✗ The example could not be signed: ${result.data.error.message}`;
    return;
  }
  $("secret-encoding").value = "utf-8";
  loadToken(result.data.token, sample.key);
  const where = sample.publicKey
    ? "Its private key is in the key box, so your edits are re-signed."
    : "The secret is in the key box.";
  note.textContent = `Example ${alg} token signed with ${sample.what}. ${where} Demo keys are published with the debugger: never use them for real tokens.`;
}

$("example").addEventListener("click", () => loadSample(picker.value));

// The note describes the example only while its demo key is still in the key box.
document.addEventListener("debugger:result", (event) => {
  const { data, key } = event.detail;
  const demoKey = Object.values(SAMPLES).some((sample) => sample.key === key);
  if (!data || !demoKey) note.textContent = "";
});
