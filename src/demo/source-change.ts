/**
 * A stand-in saw its content change (an edit, a deletion, a removed version),
 * typically leakwatch redacting a leak. Handed to a listener at once and not
 * kept: `before` can hold the raw secret, so whoever prints it must scrub it.
 */
export interface SourceChange {
  platform: 'slack' | 'confluence' | 'jira' | 'teams';
  /** Where, in the platform's own terms (`C0DEPLOYS/1700000000.000100`, `page 1001 v1`, `OPS-7 comment 10001`). */
  place: string;
  kind: 'edited' | 'deleted' | 'version_deleted';
  before: string;
  after: string;
  /** Who made the change (the account leakwatch uses, usually). */
  by: string;
}
