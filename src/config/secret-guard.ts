/**
 * aws-credentials.json must hold profile names and account ids only. Anything that looks like a secret is
 * refused before the file is used, and the value is never echoed.
 */
const SECRET_KEY_NAME = /(secret|password|passwd|session[_-]?token|private[_-]?key|access[_-]?key[_-]?id|credential_process|token)/i;
const ACCESS_KEY_ID = /\b(AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b/;
/** 40-character base64-ish run, the shape of a secret access key. */
const SECRET_VALUE = /(^|[^A-Za-z0-9/+=])[A-Za-z0-9/+=]{40}($|[^A-Za-z0-9/+=])/;
const PEM = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

export interface SecretHit {
  keyPath: string;
  reason: string;
}

export function findSecrets(value: unknown, path: string[] = []): SecretHit[] {
  const hits: SecretHit[] = [];
  const keyPath = path.join('.') || '(root)';
  if (typeof value === 'string') {
    if (ACCESS_KEY_ID.test(value)) hits.push({ keyPath, reason: 'holds an AWS access key id' });
    else if (PEM.test(value)) hits.push({ keyPath, reason: 'holds a private key' });
    else if (SECRET_VALUE.test(value) && !value.startsWith('arn:')) hits.push({ keyPath, reason: 'holds a 40-character value shaped like a secret access key' });
    return hits;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => hits.push(...findSecrets(v, [...path, String(i)])));
    return hits;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (SECRET_KEY_NAME.test(k)) hits.push({ keyPath: [...path, k].join('.'), reason: `key "${k}" names a secret` });
      else hits.push(...findSecrets(v, [...path, k]));
    }
  }
  return hits;
}
