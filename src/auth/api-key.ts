import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * API keys: `pss_<id>_<secret>`. The id (16 hex digits) names the key in the store, in logs and in
 * `npm run keys -- list`, and is never a secret; the secret is 32 random bytes (base64url). Only
 * the SHA-256 of the secret is stored. A slow hash (bcrypt, scrypt) protects low-entropy
 * passwords against guessing from a stolen hash; a 256-bit random secret cannot be guessed
 * whatever the hash costs, so a fast one loses nothing and keeps authentication cheap.
 */

export const SCOPES = ['ingest', 'read', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

export interface ApiKeyRecord {
  readonly id: string;
  readonly name: string;
  readonly scopes: readonly Scope[];
  /** SHA-256 of the secret, hex. */
  readonly secretHash: string;
  readonly createdAt: Date;
  readonly revokedAt: Date | undefined;
}

export interface IssuedKey {
  /** The whole key, shown once. */
  readonly key: string;
  readonly record: ApiKeyRecord;
}

const KEY_FORMAT = /^pss_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** A new key with its record; the caller stores the record and shows the key once. */
export function issueKey(name: string, scopes: readonly Scope[], now: Date): IssuedKey {
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return {
    key: `pss_${id}_${secret}`,
    record: {
      id,
      name,
      scopes: [...new Set(scopes)],
      secretHash: hashSecret(secret),
      createdAt: now,
      revokedAt: undefined,
    },
  };
}

/** The id and secret of a well-formed key, or undefined. */
export function parseKey(key: string): { id: string; secret: string } | undefined {
  const [, id, secret] = KEY_FORMAT.exec(key) ?? [];
  return id !== undefined && secret !== undefined ? { id, secret } : undefined;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Whether the secret is the record's, compared in constant time; revoked keys never match. */
export function secretMatches(record: ApiKeyRecord, secret: string): boolean {
  if (record.revokedAt !== undefined) return false;
  const given = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(record.secretHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** The key of `Authorization: Bearer <key>`, or undefined when the header is absent or another scheme. */
export function bearerOf(header: string | undefined): string | undefined {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
  return match?.[1];
}
