import type { Detector, ValidationContext } from '../src/core/detector.ts';
import { charClasses, shannonEntropy } from '../src/detection/entropy.ts';
import { placeholderReason } from '../src/detection/placeholders.ts';

/**
 * Keyword assignments (`password=…`, `"api_key": "…"`, `token: …`), HTTP
 * Authorization headers and CLI password flags, tuned for chat messages,
 * tickets and wiki pages: the value must look random, and everything a person
 * or a code snippet commonly puts after such a keyword (identifiers, hashes,
 * ids, paths, dates, placeholders, prose, vault references) is rejected.
 *
 * All are `generic`: a specific detector matching the same span wins, and
 * values that start with a known vendor prefix are left to those detectors
 * (a value that fails its vendor checksum is not a credential either).
 */

// ---------------------------------------------------------------------------
// Value heuristics (shared with uri-credentials.ts)

/** Prefixes owned by specific detectors (or known non-secret variants such as `pk_live_`); case-insensitive. */
const KNOWN_PREFIXES: readonly string[] = [
  'ghp_ gho_ ghu_ ghs_ ghr_ github_pat_ glpat- glrt- glcbt- glptt- gldt- glft- glffct- glsoat-',
  'glimt- glagent- gloas- bbdc- ccipat_ bkua_ hvs. hvb. hvr. dp.pt. dp.st. dp.sa. dp.ct. dp.scim.',
  'dp.audit. npm_ pypi- rubygems_ dckr_pat_ dckr_oat_ squ_ sqp_ sqa_ sqco_ bedrock-api-key- gocspx-',
  'ya29. dop_v1_ doo_v1_ dor_v1_ hrku- cfut_ cfat_ cfk_ nfp_ sbp_ pscale_ fm1r_ fm2_ fo1_ tskey-',
  'nrak- nrii- nrjs- glc_ glsa_ sntrys_ sntryu_ xoxb- xoxp- xoxa- xoxr- xoxo- xoxs- xoxe. xoxe-',
  'xoxc- xoxd- xapp- lin_api_ pmak- sk_live_ rk_live_ sk_test_ rk_test_ pk_live_ pk_test_ whsec_',
  'shpat_ shpca_ shppa_ shpss_ pubkey- sk- hf_ api_org_ xai- gsk_ -----begin',
]
  .join(' ')
  .split(' ');

/** Letter-only prefixes need their exact case and shape, or `Asia2024!` would pass for an AWS key. */
const KNOWN_SHAPES: readonly RegExp[] = [
  /^(?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}/,
  /^ABSK[A-Za-z0-9+/]{20}/,
  /^AIza[\w-]{35}/,
  /^(?:dapi|dose)[0-9a-f]{32}/,
  /^AKCp[A-Za-z0-9]{60}/,
  /^cmVmdGtu[A-Za-z0-9]{40}/,
  /^oy2[a-z0-9]{43}/,
  /^AT(?:ATT|CTT|BB)[\w=-]{20}/,
  /^GR1348941[\w-]{20}/,
  /^FlyV1 /,
  /^pul-[0-9a-f]{40}/,
  /^key-[0-9a-f]{32}/,
  /^SG\.[\w-]{22}\./,
  /^eyJ[\w-]{10}/,
];

/** The two lists above as two regular expressions: two calls instead of a hundred (this runs on every candidate). */
const KNOWN_PREFIX = new RegExp(
  `^(?:${KNOWN_PREFIXES.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`,
  'i',
);
const KNOWN_SHAPE = new RegExp(KNOWN_SHAPES.map((re) => `(?:${re.source})`).join('|'));

/** True when `value` starts with a token prefix that a specific detector owns. */
export function hasKnownTokenPrefix(value: string): boolean {
  return KNOWN_PREFIX.test(value) || KNOWN_SHAPE.test(value);
}

const LEET: Record<string, string> = {
  '0': 'o',
  '1': 'i',
  '3': 'e',
  '4': 'a',
  '5': 's',
  '7': 't',
  '@': 'a',
  $: 's',
  '!': 'i',
};

/** Letters-only core of a password: `P@ssw0rd123!` → `password`, `s3cr3t` → `secret`. */
function passwordCore(value: string): string {
  const lower = value.toLowerCase().replace(/[\d\W_]+$/, '');
  return lower.replace(/[0-9@$!]/g, (c) => LEET[c] ?? c).replace(/[^a-z]/g, '');
}

const PLACEHOLDER_CORES = new Set(
  [
    'changeme changeit letmein admin administrator root toor guest test tester testing user username',
    'login default demo sample foo bar baz foobar foobared qwerty qwertz asdf asdfgh abc abcd abcdef',
    'hunter hello helloworld iloveyou trustno monkey dragon opensesame tiger scott postgres mysql redis',
    'rabbitmq mongo mongodb oracle sa none null empty blank todo tbd na xxx pat value string',
  ]
    .join(' ')
    .split(' '),
);

/** `password`, `mypassword`, `secretpassword`, `apikey`, `yourtoken`, `dbpass`… */
const PLACEHOLDER_CORE_SHAPE =
  /^(?:my|your|the|some|new|old|db|user|admin|root|super|top|app|test|strong|secure|default|api|access|auth|private|secret)?(?:(?:secret|pass(?:word|wd|phrase)?|pwd|pw|token|key|apikey|credential|cred)s?){1,3}(?:here|goes|value)?$/;

/**
 * Placeholder or default password: `password`, `P@ssw0rd1`, `s3cr3t`,
 * `changeme`, `guest`, `hunter2`, `${PASSWORD}`, `%s`, `:password`, or equal to the user.
 */
export function isPlaceholderPassword(value: string, user?: string): boolean {
  if (placeholderReason(value) !== undefined) return true;
  if (user !== undefined && user.length > 0 && value.toLowerCase() === user.toLowerCase()) return true;
  if (/^\d+$/.test(value)) return true;
  // Templating and format strings the shared filter does not know:
  // `$db_password`, `:password`, `@pwd`, `${pass}`, `{0}`, `%s`, `%(pw)s`, `{% … %}`, `[PASSWORD]`.
  // A format spec is `%s`, `%-10s` or `%(name)s`, not a stray `%` before any later `s` (`x%nDMs9…` is random).
  if (
    /^[$%:@][A-Za-z_]+\d{0,2}$|^\$\{\w+\}$|^\{\w*\}$|%(?:\(\w+\)|[-+ #0]?\d{0,2})s(?![A-Za-z0-9])|\{%|%\}|^\[\w*\]$|^&lt;|^\*+$/.test(
      value,
    )
  ) {
    return true;
  }
  const core = passwordCore(value);
  if (core.length === 0) return false;
  return PLACEHOLDER_CORES.has(core) || PLACEHOLDER_CORE_SHAPE.test(core);
}

/** Values a key name is commonly followed by that are not secrets: ids, hashes, dates, versions, paths, blobs. */
const NOT_SECRET_SHAPES: readonly RegExp[] = [
  /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, // UUID
  /^[A-Z][A-Z0-9_]{1,9}-\d{1,7}$/, // Jira key
  /^[A-Z][A-Z0-9]{8,11}$/, // Slack user/channel/team id
  /^[\d\s.,:/+\-_]+$/, // numbers, IPs, ports, dates, times
  /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?$/, // ISO date-time
  /^v?\d+(?:\.\d+){1,3}(?:[-+][\w.-]+)?$/i, // version
  /^[0-9a-f]{2}(?::[0-9a-f]{2}){5}$/i, // MAC address
  /^(?=(?:[^:]*:){2})[0-9a-f:]+$/i, // IPv6 and colon-separated hex
  /^[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/, // e-mail
  /^(?:~|\.{1,2})?\//, // absolute or relative path
  /^[A-Za-z]:[\\/]/, // Windows path
  /\.(?:json|ya?ml|pem|key|crt|cer|p12|pfx|jks|txt|env|ini|conf|cfg|properties|toml|xml|gpg|asc|kdbx|sh|py|ts|js)$/i,
  /:\/\//, // URL: credentials inside URLs are uri-credentials' job
  /^(?:sha(?:1|224|256|384|512)?|md5)[:=-][0-9a-f]{16,}$/i, // digests
  /^\$(?:2[abxy]?|1|5|6|7|y|gy|apr1|argon2(?:id|i|d)|scrypt|pbkdf2[\w-]*|sha1|md5)\$/, // crypt(3) hashes
  /^\{(?:SSHA|SHA|SSHA256|SSHA512|SMD5|MD5|CRYPT|PBKDF2)[\w-]*\}/i, // LDAP password hashes
  /^(?:pbkdf2_sha\d+|bcrypt(?:_sha256)?|argon2)\$/, // Django password hashes
  /^(?:ENC\[|ENC\(|vault:v\d|\$ANSIBLE_VAULT|AQICA[HI]|enc:|kms:|sops:|ref\+|op:\/\/|arn:)/i, // encrypted or referenced
  /^[A-Za-z_][\w.]*[<[][\w\s,.[\]<>|]*[>\]]$/, // generic type: Optional[str], Map<String,String>
];

/** NOT_SECRET_SHAPES as two regular expressions (case-sensitive ones, case-insensitive ones): one call each. */
const NOT_SECRET_SHAPE = NOT_SECRET_SHAPES.filter((re) => !re.flags.includes('i'));
const NOT_SECRET_SHAPE_I = NOT_SECRET_SHAPES.filter((re) => re.flags.includes('i'));
const NOT_SECRET = new RegExp(NOT_SECRET_SHAPE.map((re) => `(?:${re.source})`).join('|'));
const NOT_SECRET_I = new RegExp(NOT_SECRET_SHAPE_I.map((re) => `(?:${re.source})`).join('|'), 'i');

const HASH_LENGTHS = new Set([32, 40, 56, 64, 96, 128]);

/** Password managers, vault products and status words people write after "password:". */
const STOP_VALUES =
  /^(?:1password|onepassword|lastpass|keepass(?:xc)?|bitwarden|vaultwarden|dashlane|keychain|passbolt|cyberark|thycotic|delinea|secretserver|secretsmanager|keyvault|hashicorp|required|optional|sensitive|hidden|removed|rotated|revoked|expired|unknown|unchanged|generated|random|inherited|disabled|enabled)$/i;

/** A code expression rather than a literal: `config.password`, `os.environ[`, `getToken()`, `API_KEY_NAME`. */
function looksLikeCode(value: string): boolean {
  const member = /^([A-Za-z_$][\w$]*(?:(?:\?\.|\.|::|->)[A-Za-z_$][\w$]*)+)(?:[([].*)?;?$/.exec(value);
  if (member?.[1] !== undefined && member[1].split(/\?\.|\.|::|->/).every((s) => /^[A-Za-z_$]+\d{0,2}$/.test(s))) {
    return true;
  }
  if (/^[A-Za-z_$][\w$.]*[([]/.test(value)) return true; // call or index
  if (/^\$?[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$/.test(value)) return true; // SCREAMING_SNAKE variable name
  if (/\(\)[;,]?$/.test(value)) return true;
  return false;
}

/**
 * One word: lowercase, Capitalised, ACRONYM or camelCase, with a vowel in every lowercase part, ≤ 2 trailing
 * digits. Random mixed-case strings also split into camel parts, but mostly into one- and two-letter ones
 * (`oKFheNpaIrpbTlGKxJq` → o, K, Fhe, Npa, Irpb, Tl, G, Kx, Jq), and random lowercase runs have too few vowels
 * for a word (`cpytjwgummlpvs`): neither is a word.
 */
function isWordLike(segment: string): boolean {
  const m = /^((?:[a-z]+|[A-Z][a-z]+|[A-Z]+)(?:[A-Z][a-z]+|[A-Z]+(?![a-z]))*)(\d{0,2})$/.exec(segment);
  if (m === null) return false;
  const parts = m[1]!.match(/[A-Z]?[a-z]+|[A-Z]+(?![a-z])/g) ?? [];
  if (parts.length >= 4 && parts.filter((p) => p.length <= 2).length * 3 > parts.length) return false;
  return parts.every((p) => {
    if (/^[A-Z]+$/.test(p)) return true;
    if (p.length <= 2) return true;
    const vowels = p.match(/[aeiouy]/gi)?.length ?? 0;
    return vowels > 0 && (p.length < 10 || vowels * 4 >= p.length);
  });
}

/**
 * Words joined by separators (`see-vault`, `prod.db.password`, `csrf_token`,
 * `secret/data/app#password`): names and references, not random values.
 */
function isWordy(value: string, single: boolean): boolean {
  if (!/^[A-Za-z0-9\-_./:#@]+$/.test(value)) return false;
  const segments = value.split(/[-_./:#@]+/).filter((s) => s.length > 0);
  if (segments.length === 0) return true;
  if (segments.length === 1 && !single) return false;
  return segments.every((s) => /^\d{1,4}$/.test(s) || isWordLike(s));
}

/** Printable text a base64 value decodes to, if it is canonical base64 of printable ASCII. */
function decodedText(value: string): string | undefined {
  if (value.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return undefined;
  const bytes = Buffer.from(value, 'base64');
  if (bytes.toString('base64') !== value) return undefined;
  const text = bytes.toString('latin1');
  return /^[\x20-\x7e]+$/.test(text) ? text : undefined;
}

export type ValueKind = 'password' | 'token';

/**
 * Whether a value after a credential keyword looks like a real secret. Returns
 * a confidence in (0, 1) or false. `password` accepts shorter and word-based
 * values (`Summer2024!`); `token` expects machine-generated strings.
 */
export function genericValueScore(raw: string, kind: ValueKind, quoted: boolean): number | false {
  // Brackets and emphasis around a value are markup, not part of it: `(hidden)`, `*Xy7…*`.
  const value = raw.replace(/^[([{<*_]+|[)\]}>*_]+$/g, '');
  const min = kind === 'password' ? 8 : 10;
  if (value.length < min || value.length > 150) return false;
  // Every check below only rejects, so their order is free: the cheapest and most often decisive first.
  if (NOT_SECRET.test(value) || NOT_SECRET_I.test(value)) return false;
  if (hasKnownTokenPrefix(value)) return false;
  if (looksLikeCode(value)) return false;
  if (/^[0-9a-f]+$/i.test(value) && HASH_LENGTHS.has(value.length)) return false;
  if (STOP_VALUES.test(value) || STOP_VALUES.test(value.replace(/\d+$/, ''))) return false;
  if (isPlaceholderPassword(value)) return false;
  // Kubernetes Secret data and similar: base64 of a placeholder (`cGFzc3dvcmQxMjM=` is `password123`).
  const decoded = decodedText(value);
  if (decoded !== undefined && (isPlaceholderPassword(decoded) || decoded.length < 6)) return false;
  if (isWordy(value, kind === 'token')) return false;

  const { lower, upper, digit, other } = charClasses(value);
  const classes = (lower > 0 ? 1 : 0) + (upper > 0 ? 1 : 0) + (digit > 0 ? 1 : 0) + (other > 0 ? 1 : 0);
  if (classes < 2 || digit + other === 0) return false;
  // Lowercase + digits only (`min8chars`, `release2`): needs several digits and several letters.
  if (upper === 0 && other === 0 && (digit < 2 || lower < 2)) return false;
  const entropy = shannonEntropy(value);
  let score = 0.5;
  if (quoted) score += 0.1;
  if (classes >= 3) score += 0.1;
  if (entropy >= 4) score += 0.1;
  return score;
}

// ---------------------------------------------------------------------------
// Pattern building blocks (regex source strings; \x60 is a backtick)

const QUOTE = String.raw`["'\x60]`;
/**
 * A value character. `;` is not (it separates connection-string fields: `Password=X;Database=Y`).
 * `&` is (passwords contain it), so a key in a URL query string is reported with the parameters
 * that follow it; excluding `&x=` by lookahead is linear but trips the ReDoS fuzzer.
 */
const VALUE_UNIT = String.raw`[^\s"'\x60<>\\;]`;
/** Sentence punctuation is not part of an unquoted value; before a closing quote it is. */
const TRAIL = String.raw`[.,;:)\]}]`;
const LAST_CHAR = String.raw`[^\s"'\x60<>\\.,;:)\]}]`;

/**
 * A value that is exactly a UUID (`Key: 2b7f0c1e-…`, the commonest assignment in tickets and logs) is an id,
 * never a secret: `genericValueScore` rejects it, and failing the pattern on it here is several times cheaper
 * than matching it and rejecting it afterwards. It must stay a subset of what `genericValueScore` rejects.
 */
const NOT_A_UUID = String.raw`(?![0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}(?!${VALUE_UNIT}))`;

/**
 * The value, 8/10–150 chars, optionally quoted. The pattern never requires what
 * follows the value (that would make every failed attempt backtrack through
 * it); `close`, `tail` and `next` record it and `valueEnds` checks it.
 */
function valueSource(min: number): string {
  return (
    String.raw`(?<q>["'\x60]?)${NOT_A_UUID}(?<secret>${VALUE_UNIT}{${min - 1},149}(?:${LAST_CHAR}|${TRAIL}(?=${QUOTE})))` +
    String.raw`(?<close>["'\x60]?)(?<tail>${TRAIL}{0,3})(?=(?<next>[\s\S]?))`
  );
}

type Groups = Readonly<Record<string, string | undefined>>;

/** A quoted value must end at its closing quote; an unquoted one at whitespace, a quote, markup or the end. */
function valueEnds(groups: Groups): boolean {
  const q = groups.q ?? '';
  if (q !== '') return groups.close === q;
  if ((groups.close ?? '') !== '') return true;
  const next = groups.next ?? '';
  // `Password=X;Database=Y`, `user=a,password=X,host=b`: a field separator ends the value.
  if (/[;,]/.test(groups.tail ?? '')) return true;
  return next === '' || /[\s"'\x60<>\\|]/.test(next);
}

/**
 * `=`, `:`, `:=`, `=>`, `->`, `==`, `>` (XML), `|` (tables), optionally followed by Markdown emphasis
 * (`*Password:* X`); `value=` (`<add key="SmtpPassword" value="X"/>`); prose `is` / `was`; or plain whitespace (`.netrc`, SQL `PASSWORD 'X'`, a table
 * cell on the next line), which `assignmentEnds` refuses after the short names `pass`/`pw`/`pwd`.
 */
// Spaces and tabs only: an assignment never continues on the next line ("token: <your-token>" followed by a
// blank line and an image must not pair `token>` with the image).
const OPERATOR = String.raw`(?:[ \t]{0,3}(?::=|=>|->|==|[:=>|])\*{0,2}[ \t]{0,3}|[ \t]{1,3}value[ \t]{0,2}=[ \t]{0,2}|[ \t]{1,3}(?:is|was|equals)(?::[ \t]{0,3}|[ \t]{1,3})|[ \t]{1,2}(?=[^\s:=|>]))`;
/**
 * Passwords only: the operator may follow a `for` and one to three words ("the password for the prod
 * replica is X", "password for svc-ci: X"). Words, not a free-text gap, so a failed attempt never rescans.
 */
const PROSE_OPERATOR = String.raw`(?:${OPERATOR}|\s{1,3}for(?:\s[^\s:=]{1,24}){1,3}(?:\s(?:is|was)\s{1,3}|:\s{0,3}))`;
/** An optional name suffix (`_prod`, `.b64`, `2`), then a closing key quote or Markdown emphasis. */
const SUFFIX_AND_CLOSE = String.raw`(?<suffix>[_.-][a-z0-9]{1,12}|\d{1,2})?["'\x60*]{0,2}`;

/**
 * `<name><suffix?><op><value>`. `name` must start with a literal: words before it
 * that turn it into something else (`csrf_token`, `forgot password`) are excluded
 * by a lookbehind placed after the name, so it only runs where the name matched
 * (a leading lookbehind or optional prefix group runs at every position and
 * defeats the ReDoS analysis).
 */
function assignmentPattern(name: string, min: number, operator = OPERATOR): RegExp {
  return new RegExp(`(?<name>${name})${SUFFIX_AND_CLOSE}(?<op>${operator})${valueSource(min)}`, 'i');
}

/** Name suffixes that make the key describe the secret instead of holding it (`password_hash`, `api_key_id`). */
const STOP_SUFFIX =
  /^[_.-]?(?:hash(?:ed)?|file|path|policy|length|len|min|max|reset|expiry|expires?|expiration|rotation|age|field|label|names?|ids?|url|uri|endpoint|env|var|hint|prompt|regex|pattern|rules?|required|enabled|disabled|type|header|param|salt|algo|algorithm|strength|history|changed|updated|manager|store|vault|command|cmd|stdin|flag|mode|ref|arn|version|ver|prefix|fingerprint|count|format|scopes?|location|provider|source|ttl|size|bits|length|txt|s|less)$/i;

/**
 * Structural checks shared by the assignment detectors: no stop word before the
 * name, no describing suffix, a space-only operator only after a full word, and
 * a value that ends where it should.
 */
/**
 * Structural checks shared by the assignment detectors: no describing suffix, a
 * space-only operator only after a full word, and a value that ends where it should.
 */
function assignmentEnds(groups: Groups, otherFamilies: RegExp): boolean {
  const suffix = groups.suffix;
  if (suffix !== undefined && (STOP_SUFFIX.test(suffix) || otherFamilies.test(suffix))) return false;
  if (/^\s+$/.test(groups.op ?? '') && /^(?:pass|pwd|pw)$/i.test(groups.name ?? '')) return false;
  return valueEnds(groups);
}

// ---------------------------------------------------------------------------
// Detectors

/** `forgot password:`, `password_hash`, `show_password`: about a password, not one. Matched without a word boundary. */
const PASSWORD_STOP = 'forgot|show|hide|toggle|hashed|hash|encrypted|reset|require|required|validate|check|verify';
/**
 * Every name starts with `p` (one cheap first character); the short forms must not
 * end a longer word (`bypass`, `compass`), the long ones may (`dbpassword`).
 */
const PASSWORD_NAME =
  String.raw`p(?:ass(?:word|wd|phrase|wort)?|wd|w)(?<![a-z](?:pass|pwd|pw))` +
  String.raw`(?<!(?:${PASSWORD_STOP})[_.\- ]?(?:pass(?:word|wd|phrase|wort)?|pwd|pw))` +
  String.raw`|identified\s{1,3}by`;

/**
 * `?pwd=` in a Zoom (or Webex) meeting link is a meeting passcode shared with
 * every invitee, not a credential: links like these are pasted in chat all day.
 */
function isMeetingPasscode(context: ValidationContext | undefined): boolean {
  if (!context || !/^[?&]?pwd=/i.test(context.match.trimStart())) return false;
  return /(?:^|[./])(?:zoom\.us|zoomgov\.com|webex\.com)\/[^\s]*[?&]pwd=/i.test(context.line());
}

export const genericPassword: Detector = {
  id: 'generic-password',
  name: 'Password assignment',
  issuer: 'generic',
  // 'identified' for SQL's `IDENTIFIED BY '…'`: with it every match starts at a keyword, so the pattern is tried
  // only at keyword hits instead of being searched around them.
  keywords: ['pass', 'pw', 'identified'],
  pattern: assignmentPattern(PASSWORD_NAME, 8, PROSE_OPERATOR),
  validate: (secret, groups, context) =>
    !isMeetingPasscode(context) &&
    assignmentEnds(groups, /token|secret|key/i) &&
    genericValueScore(secret, 'password', Boolean(groups.q)),
  entropy: 3.0,
  generic: true,
  severity: 'medium',
  examples: {
    match: [
      'DB_PASSWORD=Vq7#mR2xLp9s',
      'prod db creds for the migration: user billing_rw, password is Tz4!wq8Lm2Rk - please do not share',
      'spring.datasource.password: "k9Wm$2vQx7Lr"',
      '{"username": "svc-reporting", "password": "Hx8&pT3zQ9wN", "host": "db-prod.internal"}',
      '<password>Ne7@kR4qW2zx</password>',
      'root pw: Summer2024!',
    ],
    ignore: [
      'the password is in the vault, ask @oncall',
      'password: see 1Password (Engineering > Prod DB)',
      'password: ${DB_PASSWORD}',
      'DB_PASSWORD=changeme',
      'password=P@ssw0rd123',
      'password: process.env.DB_PASSWORD,',
      'password_hash: $2b$12$Kq3v9Qe7Xw1mZr5TtY8uUe4oLcJbHgFdSaPiOnMlKkJjHhGgFfEeD',
      'password: ********',
      'password: Optional[str] = None',
      'forgot password: PROJ-1234',
      'passport number: X12345678 (not a secret but PII)',
      'standup: https://acme.zoom.us/j/71500060733?pwd=Qm9Xk2TzRr8vLs0aBcWuYgxia',
      'password:\n\nQm9Xk2TzRr8vLs0aBc (the next paragraph, not an assignment)',
    ],
  },
};

/** `<word>_KEY` names whose value is an identifier or public material, not a secret. */
const NON_SECRET_KEY_WORD =
  /^(?:public|pub|publishable|site|primary|foreign|sort|partition|range|hash|cache|idempotency|object|s3|map|lookup|dedupe?|routing|shard|row|composite|unique|index|i18n|translation|message|license|product|serial|ssh|gpg|pgp|host|known|query|group|issue|project|jira|kms|key|the|a|by|no|my|your|this|that|one|same|new|old)$/i;
/**
 * `api_key`, `client_secret`, `SENDGRID_KEY`, `credentials`. Names start with the
 * literal `key`/`secret`/`cred`; the qualifier before `key` is checked by a
 * lookbehind (which captures the `<word>` of `<word>_key` for the stop list).
 */
const API_KEY_NAME = String.raw`key(?<=(?:api|access|secret|private|auth|master|signing|encryption|client|app|consumer|subscription|service|account|admin|integration|partner|merchant|shared|webhook)[_.\- ]?key|(?<![a-z0-9])(?<word>[a-z0-9]{2,24})[_-]key)|secret|cred(?:entials?|s)`;

export const genericApiKey: Detector = {
  id: 'generic-api-key',
  name: 'API key or secret assignment',
  issuer: 'generic',
  keywords: ['key', 'secret', 'cred'],
  pattern: assignmentPattern(API_KEY_NAME, 10),
  validate: (secret, groups) =>
    !(groups.word !== undefined && NON_SECRET_KEY_WORD.test(groups.word)) &&
    assignmentEnds(groups, /token|pass|pwd/i) &&
    genericValueScore(secret, 'token', Boolean(groups.q)),
  entropy: 3.5,
  generic: true,
  severity: 'medium',
  examples: {
    match: [
      'API_KEY=q7RzT2mXv9LpW4sKc8NbYd3F',
      'client_secret: "Qm8~vT3z.Lx9Rk2Wp7Yc4Nb"',
      'here is the staging api key: 9fK2mQ7xZ4vR8tLw3Yp6 (expires friday)',
      'x-api-key: Zt8kQ3vN9mW2xR7pL4cY',
      '"secretKey": "dG9wLXNlY3JldC1mb3ItY2ktMjAyNg7Qx"',
    ],
    ignore: [
      // git SHA / SHA-256 next to the keyword
      'api_key: c3ab8ff13720e8ad9047dd39466b3c8974e592c2fa383d4a3960714caef0c4f2',
      'secret_key: 3f786850e387550fdab836ed7e6dc881de23001b',
      'api_key = os.environ["API_KEY"]',
      'apiKey: config.apiKey,',
      'API_KEY_NAME=API_KEY_NAME_PROD',
      'access_key: 2b7f0c1e-8d4a-4b9e-9f3a-6c5d1e2f7a8b',
      'secret: ${{ secrets.DEPLOY_KEY }}',
      'api_key: <your-api-key>',
      'client_secret: see 1Password vault "Platform"',
      'secretName: payments-db-credentials',
      'API_KEY=AKIAQ3EGV5LCX7TNP2WM',
    ],
  },
};

/**
 * Tokens that are not credentials: anti-forgery, paging cursors, device/push ids. Matched without a
 * word boundary (`nextPageToken`, `webpush_token`), so only words that never end a credential name.
 */
const TOKEN_STOP =
  'csrf|xsrf|page|next|prev|previous|continuation|pagination|cursor|sync|registration|device|push|fcm|apns|cancellation|verification|forgery|unsubscribe|prompt|completion';
const TOKEN_NAME = String.raw`token(?<!(?:${TOKEN_STOP})[_.\- ]?token)`;

export const genericToken: Detector = {
  id: 'generic-token',
  name: 'Token assignment',
  issuer: 'generic',
  keywords: ['token'],
  pattern: assignmentPattern(TOKEN_NAME, 10),
  validate: (secret, groups) =>
    assignmentEnds(groups, /pass|pwd/i) && genericValueScore(secret, 'token', Boolean(groups.q)),
  entropy: 3.5,
  generic: true,
  severity: 'medium',
  examples: {
    match: [
      'AUTH_TOKEN=Rk7vQ2xW9mZ4tL8pN3cY6bJ',
      '"access_token": "a8Fk2QzX9vLm4RtW7pYc3N.dT6hB"',
      'use this refresh token: Xq4Lm8Tz2Rv7Wp9Kc3Nb - it is only for the demo env',
      'X-Auth-Token: 7hQ2kV9xR4mL8wZ3tP6c',
    ],
    ignore: [
      'csrf_token: Jd8f3kLq9Zx2Vm7RtW4p',
      'token: see 1Password',
      'GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}',
      'token = getToken()',
      'const token = this.token;',
      'next_page_token: CiAKGjBpNDd2Nmp2Zml2cXRwYjBpOXA0',
      'token: {{ token }}',
      'max_tokens: 4096',
      'token_type: Bearer',
      'token: ghp_aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1x3aaaaa',
    ],
  },
};

export const genericBearerToken: Detector = {
  id: 'generic-bearer-token',
  name: 'HTTP Bearer token',
  issuer: 'generic',
  keywords: ['bearer'],
  // RFC 6750 b64token; a trailing sentence dot is not part of it.
  pattern: /\bbearer\s{1,3}(?<secret>[A-Za-z0-9._~+/-]{15,1999}[A-Za-z0-9_~+/-]={0,2})(?![A-Za-z0-9_~+/=-])/i,
  window: { before: 64, after: 2_100 },
  validate: (secret) => genericValueScore(secret, 'token', false),
  entropy: 3.5,
  generic: true,
  severity: 'medium',
  examples: {
    match: [
      'curl -H "Authorization: Bearer 4kQz9Xv2Lm7RtW8pYc3Nb6Jd" https://api.internal.acme.io/v2/orders',
      'Authorization: Bearer a1B2c3D4e5F6g7H8i9J0kLmN.oPqRsTuV',
      'request headers from the failing call:\nAccept: application/json\nAuthorization: Bearer Tk9m~Qx2.vL7r-Wz4_pY8c\n',
      'http GET :8080/admin/users "authorization: bearer 8Zq2kT7xWm4R-pL9vN3c_Yb6"',
    ],
    ignore: [
      'Authorization: Bearer <token>',
      'Authorization: Bearer ${ACCESS_TOKEN}',
      'Authorization: Bearer YOUR_ACCESS_TOKEN',
      'bearer authentication is required for every endpoint',
      // a JWT is reported by the jwt detector
      'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLW5vdC1yZWFsbHk',
      'Authorization: Bearer 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08',
    ],
  },
};

/** Known documentation samples of Basic credentials (RFC 7617 / RFC 2617). */
const BASIC_SAMPLES = new Set(['aladdin:opensesame', 'aladdin:open sesame']);

function validateBasic(secret: string): boolean | number {
  const unpadded = secret.replace(/=+$/, '');
  const bytes = Buffer.from(unpadded, 'base64');
  // Canonical base64 only: random words ("Basic authentication") do not round-trip.
  if (bytes.toString('base64').replace(/=+$/, '') !== unpadded) return false;
  const decoded = bytes.toString('utf8');
  if (decoded.includes('\uFFFD') || !/^[\x20-\x7E\u00A0-\uFFFF]+$/.test(decoded)) return false;
  const colon = decoded.indexOf(':');
  if (colon < 0) return false;
  const user = decoded.slice(0, colon);
  const password = decoded.slice(colon + 1);
  if (user.length > 128 || password.length < 4 || /\s/.test(password)) return false;
  if (BASIC_SAMPLES.has(decoded.toLowerCase())) return false;
  if (isPlaceholderPassword(password, user) || isPlaceholderPassword(user + password)) return false;
  return shannonEntropy(password) >= 2.5 ? 0.9 : false;
}

export const genericBasicAuth: Detector = {
  id: 'generic-basic-auth',
  name: 'HTTP Basic credentials',
  issuer: 'generic',
  keywords: ['basic'],
  pattern: /\bbasic\s{1,3}(?<secret>[A-Za-z0-9+/]{8,1000}={0,2})(?![A-Za-z0-9+/=_-])/i,
  window: { before: 64, after: 1_100 },
  validate: validateBasic,
  generic: true,
  severity: 'medium',
  examples: {
    match: [
      // ci-deployer:Xq4Lm8Tz2Rv7Wp9K
      'curl -H "Authorization: Basic Y2ktZGVwbG95ZXI6WHE0TG04VHoyUnY3V3A5Sw==" https://nexus.acme.io/service/rest/v1/status',
      // :<Azure DevOps PAT> (empty user); encoded, so no specific detector sees the token
      'Authorization: Basic OnE3bHZ4M3pyazJtNHRwOHdiNWpjOW5kNmZneTJoczd1YTRxZW8zaXIybnd4a3Y1cHQ2enE=',
      // svc-metrics:Hk7#vQ2mZ9xL in a Postman export
      '{"key": "Authorization", "value": "Basic c3ZjLW1ldHJpY3M6SGs3I3ZRMm1aOXhM", "type": "text"}',
      // jenkins-ci:<Jenkins API token>
      'wget --header="Authorization: Basic amVua2lucy1jaToxMWE3ZjljMmU0YjZkOGYwYTFjM2U1YjdkOWYxYTNjNWU3" https://ci.acme.io/job/deploy/build',
    ],
    ignore: [
      // user:password
      'Authorization: Basic dXNlcjpwYXNzd29yZA==',
      // Aladdin:open sesame (RFC 2617)
      'Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==',
      'we use basic authentication behind the VPN, nothing fancy',
      'Authorization: Basic ${BASIC_AUTH}',
      // admin:admin
      'Authorization: Basic YWRtaW46YWRtaW4=',
      // test:test, foo:bar
      'Authorization: Basic dGVzdDp0ZXN0',
      'Authorization: Basic Zm9vOmJhcg==',
      'WWW-Authenticate: Basic realm="Restricted Area", charset="UTF-8"',
    ],
  },
};

/** `--password X`, `mysql -u root -p'X'`, `sshpass -p X`, `docker login -u bot -p X`, `curl -u user:X`. */
const CLI_LEAD = [
  String.raw`(?<![\w-])--[a-z-]{0,24}?pass(?:word|wd|phrase)?\s{1,3}`,
  // mysql -u root -pX / docker login -u bot -p X: `-p` right after `-u <user>` (no unbounded context scan)
  String.raw`(?<!\S)-u\s?[^\s-]\S{0,63}\s{1,3}-p(?:\s{1,3}|(?=\S))`,
  String.raw`\bsshpass\s{1,3}-p\s{1,3}`,
  // curl -u user:X, --user user:X
  String.raw`(?<!\S)(?:-u|--user)\s{1,3}["']?[^\s:'"-][^\s:'"]{0,63}:`,
].join('|');

export const genericCliPassword: Detector = {
  id: 'generic-cli-password',
  name: 'Password on a command line',
  issuer: 'generic',
  // Every match starts with one of these (`--…pass…`, `-u`, `--user`, `sshpass`), so the pattern is only tried
  // at their hits; with `pass` as the keyword (a common word) it had to search a window around each one.
  keywords: ['--', '-u', 'sshpass'],
  pattern: new RegExp(`(?:${CLI_LEAD})${valueSource(8)}`, 'i'),
  // A match ends at most ~230 characters after `-u` (`-u <64> -p <150>`).
  window: { before: 32, after: 240 },
  validate: (secret, groups) => valueEnds(groups) && genericValueScore(secret, 'password', Boolean(groups.q)),
  entropy: 3.0,
  generic: true,
  severity: 'medium',
  examples: {
    match: [
      "mysql -h db-prod.internal -u billing -p'Vq7#mR2xLp9s' billing_prod",
      'mysqldump -uroot -pTz4wq8Lm2Rk --all-databases > dump.sql',
      'sshpass -p Hx8pT3zQ9wN ssh deploy@10.20.0.14',
      'docker login registry.acme.io -u ci-bot -p Ne7kR4qW2zxB',
      'curl -u admin:Qm8vT3zLx9Rk https://jenkins.acme.io/api/json',
      'psql-wrapper --db-password Kp3vQx8wL2mZ --host db-prod',
    ],
    ignore: [
      'mysql -u root -p my_database',
      'docker login -u ci-bot --password-stdin < token.txt',
      'docker run -p 127.0.0.1:5432:5432 postgres:16',
      'curl -u $USER:$PASSWORD https://jenkins.acme.io/api/json',
      'mysql -u root -ppassword123',
      'pg_dump --password --host db-prod',
    ],
  },
};

export const genericDetectors: readonly Detector[] = [
  genericPassword,
  genericApiKey,
  genericToken,
  genericBearerToken,
  genericBasicAuth,
  genericCliPassword,
];
