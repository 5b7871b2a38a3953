import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** What GetFunction and ListFunctions say of a function's code. */
export interface CodeInfo {
  /** Base64 SHA-256 of the package (locally: of the bundle folder's files, in path order). */
  readonly codeSha256: string;
  /** Bytes of the package (locally: the bundle folder's files). */
  readonly codeSize: number;
  /** When the code last changed, in Lambda's format `2024-01-01T00:00:00.000+0000`. */
  readonly lastModified: string;
}

/**
 * Describes a bundle folder as Lambda describes a deployment package. AWS hashes the .zip it was
 * given; locally there is no zip, so the hash covers each file's relative path and bytes in sorted
 * order: the same folder always gives the same hash, and any change to the code changes it.
 * @see https://docs.aws.amazon.com/lambda/latest/api/API_FunctionConfiguration.html
 */
export function describeCode(codeDir: string): CodeInfo {
  const hash = createHash('sha256');
  let size = 0;
  let newest = 0;
  for (const file of listFiles(codeDir)) {
    const full = path.join(codeDir, file);
    const bytes = fs.readFileSync(full);
    hash.update(file).update('\0').update(bytes).update('\0');
    size += bytes.length;
    newest = Math.max(newest, fs.statSync(full).mtimeMs);
  }
  return { codeSha256: hash.digest('base64'), codeSize: size, lastModified: lambdaTimestamp(newest) };
}

/** Lambda's `LastModified` format: ISO 8601 with milliseconds and a `+0000` offset. */
export function lambdaTimestamp(ms: number): string {
  return new Date(Math.floor(ms)).toISOString().replace('Z', '+0000');
}

/** A UUID-shaped id that changes whenever `parts` change (Lambda's `RevisionId`). */
export function revisionId(...parts: string[]): string {
  const hex = createHash('sha256').update(parts.join('\0')).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}

function listFiles(dir: string, prefix = ''): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(path.join(dir, prefix), { withFileTypes: true });
  } catch {
    return [];
  }
  const files: string[] = [];
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...listFiles(dir, rel));
    else if (entry.isFile()) files.push(rel);
  }
  return files;
}
