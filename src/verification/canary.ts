import type { Detector } from '../core/detector.ts';
import type { Match } from '../core/match.ts';
import { awsAccountIdFromKeyId } from '../../detectors/aws.ts';

/**
 * AWS accounts that issue canary (honey) access keys: Thinkst's canarytokens.org
 * accounts and known look-alike services (public lists, as used by trufflehog's
 * AWS detector). Any API call with such a key alerts whoever planted it, so it is
 * never verified: the account is decoded from the key id offline.
 */
const AWS_CANARY_ACCOUNTS = new Set([
  // canarytokens.org
  '052310077262',
  '171436882533',
  '534261010715',
  '595918472158',
  '717712589309',
  '819147034852',
  '992382622183',
  '730335385048',
  '266735846894',
  '893192397702',
  // look-alike canary services
  '044858866125',
  '251535659677',
  '344043088457',
  '351906852752',
  '390477818340',
  '426127672474',
  '427150556519',
  '439872796651',
  '445142720921',
  '465867158099',
  '637958123769',
  '693412236332',
  '732624840810',
  '735421457923',
  '959235150393',
  '982842642351',
]);

/** Why this match is a known canary (never to be contacted), or undefined. Offline only. */
export function canaryReason(detector: Detector, match: Match): string | undefined {
  if (detector.issuer !== 'aws') return undefined;
  const account = awsAccountIdFromKeyId(match.secret.reveal());
  if (account !== undefined && AWS_CANARY_ACCOUNTS.has(account)) return `AWS canary account ${account}`;
  return undefined;
}
