/** A stand-in gave up delivering an event or webhook to leakwatch (after its retries), as the real platform would. */
export interface DeliveryFailure {
  platform: 'slack' | 'confluence' | 'jira' | 'teams';
  /** What was not delivered (`event Ev0123`, `webhook page_updated`, `notification for subscription …`). */
  what: string;
  /** leakwatch's last answer, or `unreachable`. */
  status: number | 'unreachable';
}
