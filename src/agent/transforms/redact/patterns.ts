// The built-in secret patterns. Each has a cheap `trigger` (a test that must pass before the regular
// expression runs) so messages without anything secret-looking cost one or two scans.
// Card numbers are only replaced when they start like one and pass the Luhn check, so order ids and timestamps stay.

export interface SecretPattern {
  name: string;
  re: RegExp;
  /**
   * A cheap test that must pass for the pattern to match at all (built-ins have one; undefined for
   * custom patterns). Case is spelt out in character classes: the `i` flag makes V8's scan slower.
   */
  trigger?: RegExp;
  /** Turns a match into its replacement (undefined: the match is kept as is). */
  replace: (match: string, groups: string[], replacement: string) => string | undefined;
}

export const BUILTIN_PATTERN_NAMES = ["credit_card", "aws_key", "bearer_token", "url_password", "email"] as const;
export type BuiltinPatternName = (typeof BUILTIN_PATTERN_NAMES)[number];
/** On unless switched off: everything but e-mail addresses. */
export const DEFAULT_PATTERNS: readonly BuiltinPatternName[] = ["credit_card", "aws_key", "bearer_token", "url_password"];

/** The Luhn checksum of a digit string (ISO/IEC 7812). */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  let dbl = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (dbl) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    dbl = !dbl;
  }
  return sum % 10 === 0;
}

// Issuer prefixes of the card networks (Visa 4, Mastercard 51-55 and 2221-2720, Amex 34/37,
// Diners 36/38/300-305, JCB 35, Discover 6011/644-649/65, UnionPay 62): a 16-digit microsecond
// timestamp (17...) that happens to pass the Luhn check is not a card.
const CARD_PREFIX = /^(?:4|5[1-5]|2[2-7]|3[0478]|35|6(?:011|4[4-9]|5|2))/;

const whole = (_m: string, _g: string[], r: string) => r;

export const BUILTIN_PATTERNS: Record<BuiltinPatternName, SecretPattern> = {
  // 13 to 19 digits, optionally grouped by single spaces or dashes, not inside a longer number.
  credit_card: {
    name: "credit_card",
    re: /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g,
    trigger: /\d[ -]?\d[ -]?\d[ -]?\d[ -]?\d[ -]?\d[ -]?\d[ -]?\d[ -]?\d[ -]?\d[ -]?\d[ -]?\d[ -]?\d/,
    replace: (m, _g, r) => {
      const digits = m.replace(/[ -]/g, "");
      return digits.length >= 13 && digits.length <= 19 && CARD_PREFIX.test(digits) && luhnValid(digits) ? r : undefined;
    },
  },
  // Access key ids (AKIA... long-term, ASIA... temporary, and the other IAM prefixes) and secret
  // access keys given as aws_secret_access_key=... / "SecretAccessKey": "...".
  aws_key: {
    name: "aws_key",
    re: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|A3T[A-Z0-9])[A-Z0-9]{16}\b|((?:aws_?secret_?access_?key|SecretAccessKey)["']?\s*[:=]\s*["']?)[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])/gi,
    trigger: /A(?:KIA|SIA|GPA|IDA|ROA|IPA|NPA|NVA|3T)|[Ss]ecret_?[Aa]ccess_?[Kk]ey|SECRET_?ACCESS_?KEY/,
    replace: (m, g, r) => (g[0] !== undefined ? g[0] + r : /^[A-Z0-9]+$/.test(m) ? r : undefined),
  },
  // Authorization: Bearer <token> (RFC 6750 b64token), wherever it appears.
  bearer_token: {
    name: "bearer_token",
    re: /\b(bearer\s+)[A-Za-z0-9\-._~+/]{8,}=*/gi,
    trigger: /[Bb][Ee][Aa][Rr][Ee][Rr]/,
    replace: (_m, g, r) => g[0] + r,
  },
  // scheme://user:password@host — the password only.
  url_password: {
    name: "url_password",
    re: /(\b[a-z][a-z0-9+.-]*:\/\/[^\s:@/?#]+:)([^\s@/?#]+)(@)/gi,
    trigger: /:\/\//,
    replace: (_m, g, r) => g[0] + r + g[2],
  },
  email: {
    name: "email",
    re: /\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b/g,
    trigger: /@/,
    replace: whole,
  },
};

/** A user's regular expression: every match replaced whole. */
export function customPattern(name: string, source: string): SecretPattern {
  return { name, re: new RegExp(source, "gu"), replace: whole };
}

