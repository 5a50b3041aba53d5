import type { Detector } from '../src/core/detector.ts';
import { placeholderReason } from '../src/detection/placeholders.ts';

/**
 * Legacy PATs are 52 chars of lowercase base32: prefix-less, so an Azure
 * DevOps word must come first, or the token must sit in a `…@dev.azure.com`
 * clone URL.
 */
export const azureDevopsPatLegacy: Detector = {
  id: 'azure-devops-pat-legacy',
  name: 'Azure DevOps personal access token (legacy)',
  issuer: 'azure-devops',
  // `://` for the clone URL form: with it every match starts at a keyword, so the pattern is tried only at keyword
  // hits (instead of searching 128 characters before each `azure`, `pat`…).
  keywords: ['azure', 'devops', 'vsts', 'visualstudio.com', 'ado', 'pat', '://'],
  // A label (`AZURE_DEVOPS_EXT_PAT`, `DevOps token`…) and 1–4 separator chars, or `://<user>:<token>@dev.azure.com`.
  pattern:
    /(?:(?:azure|devops|vsts|ado|pat)(?:[_ .-]?(?:token|pat))?[\s"'`:=]{1,4}|:\/\/[\w.%-]{1,40}:(?=[a-z2-7]{52}@(?:dev\.azure\.com|[\w-]{1,64}\.visualstudio\.com)))(?<secret>[a-z2-7]{52})(?![a-z0-9])/i,
  // The `i` flag is for the context words; the token itself is lower case and,
  // being random base32, holds at least one digit.
  validate: (secret) => /^[a-z2-7]{52}$/.test(secret) && /[2-7]/.test(secret),
  entropy: 3.5,
  severity: 'critical',
  // No liveness check: the API call needs the organization (`dev.azure.com/{org}`),
  // which is not captured as a part (tokens.md #15).
  examples: {
    match: [
      'AZURE_DEVOPS_EXT_PAT=dqzzmemre4xtmu4ke6udtky4f5kgg7ss5hprpvlfey67uxuramb6',
      'git clone https://build:ymsoghmyfagkxxc3ik3ctgd3p6mtrbof5qapypwz6x6gccmoo2mt@dev.azure.com/acme/Platform/_git/infra',
    ],
    ignore: [
      // the same shape with no Azure DevOps context
      'backup codes: dqzzmemre4xtmu4ke6udtky4f5kgg7ss5hprpvlfey67uxuramb6',
      'AZURE_DEVOPS_EXT_PAT=dqzzmemre4xtmu4ke6udtky4f5kgg7ss5hprpvlf',
      // upper case is not a legacy PAT
      'azure devops PAT: ymsoghmyfagkxxc3ik3ctgd3p6mtrbof5qapypwz6x6gccmoo2mt'.toUpperCase(),
    ],
  },
};

/**
 * Current PATs are Microsoft "common annotated security keys": 52 random
 * base62 chars, the `JQQJ9` signature, a key kind (`9`, `D`, `H`), a 2-char
 * creation date, 16 reserved chars, the provider signature `AZDO` at offset 76
 * and a 4-char checksum. Source: microsoft/security-utilities
 * (LegacyCommonAnnotatedSecurityKey).
 */
export const azureDevopsPat: Detector = {
  id: 'azure-devops-pat',
  name: 'Azure DevOps personal access token',
  issuer: 'azure-devops',
  keywords: ['JQQJ9'],
  pattern:
    /(?<![A-Za-z0-9+/])(?<secret>[A-Za-z0-9]{52}JQQJ9[9DH][A-Za-z0-9][A-L][A-Za-z0-9]{16}AZDO[A-Za-z0-9]{4})(?![A-Za-z0-9+/])/,
  // The reserved fields are mostly zero bytes (`AAAAAA…`), which the shared
  // repeated-character filter would take for a placeholder: only the random
  // part goes through it.
  skipPlaceholderFilter: true,
  validate: (secret) => placeholderReason(secret.slice(0, 52)) === undefined,
  entropy: 3.5,
  severity: 'critical',
  // No liveness check: the API call needs the organization (`dev.azure.com/{org}`),
  // which is not captured as a part (tokens.md #15).
  examples: {
    match: [
      'AZURE_DEVOPS_EXT_PAT=7dsdc1zj6B67zhaMFmj7UH6dfJ3qu6N4BSRWRYD46CLWdCF27kEKJQQJ99BFh9XATMyGaOvsAAAAAZDODTPe',
      'curl -u :EO5EiVdMN5A9hbgEVRDJ7c4wQKzPPvnrVTwc4JgoFfWvbMLq1AfuJQQJ99CB4RCREtJ6wek6AAAAAZDO030r https://dev.azure.com/acme/_apis/projects?api-version=7.1',
      // zero-filled reserved fields, as issued
      'pat = "irtiCnCNXy4i8tldPvsZJwhDmRW6Y6sqpdUL136cktDbvYdbGS8HJQQJ99BCACAAAAAAAAAAAAASAZDON0mG"',
    ],
    ignore: [
      // another Azure service's key (provider signature ACOG, not AZDO)
      'AZURE_OPENAI_KEY=7dsdc1zj6B67zhaMFmj7UH6dfJ3qu6N4BSRWRYD46CLWdCF27kEKJQQJ99BFh9XATMyGaOvsAAAAACOG7dsd',
      'AZURE_DEVOPS_EXT_PAT=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxJQQJ99BCACAAAAAAAAAAAAASAZDO1Vba',
      'AZURE_DEVOPS_EXT_PAT=7dsdc1zj6B67zhaMFmj7UH6dfJ3qu6N4BSRWRYD46CLWdCF27kEKJQQJ99BF',
    ],
  },
};

export const azureDevopsDetectors: readonly Detector[] = [azureDevopsPatLegacy, azureDevopsPat];
