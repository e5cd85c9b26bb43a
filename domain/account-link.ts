/** Account links (CONTRACT §4): pure, so workflows import it too. */
/** Account-link statuses (CONTRACT §4). */
export const LinkStatus = {
  Pending: 'PENDING',
  Active: 'ACTIVE',
  Failed: 'FAILED',
  Expired: 'EXPIRED',
  Disabled: 'DISABLED',
} as const;

export type LinkStatus = (typeof LinkStatus)[keyof typeof LinkStatus];

/** A link that `linkEnable` returns instead of making a new one. */
export function isLiveLink(status: LinkStatus): boolean {
  return status === LinkStatus.Pending || status === LinkStatus.Active;
}

/**
 * One long-lived workflow per iMid + phone holds every link the customer ever made with that merchant. The key
 * already depends on the iMid, so a mandateID alone (all an AstraPay callback carries) names the workflow; the
 * workflow checks the iMid of every merchant call.
 */
export function linkWorkflowId(key: string): string {
  return `account-link-${key}`;
}

/**
 * `mandateID` = "M" + link key + generation (3 or more digits): the n-th link of that customer with that merchant.
 * It names its workflow without a lookup table.
 */
export function mandateId(key: string, generation: number): string {
  return `M${key}${String(generation).padStart(3, '0')}`;
}

export function parseMandateId(mandateID: string): { readonly key: string; readonly generation: number } | undefined {
  const m = /^M([0-9A-Z]{16})(\d{3,6})$/.exec(mandateID);
  return m?.[1] && m[2] ? { key: m[1], generation: Number(m[2]) } : undefined;
}

/** `0812****1000`: enough for the customer to recognise, useless to anyone else (CONTRACT §4). */
export function maskPhone(phone: string): string {
  if (phone.length <= 8) return `${phone.slice(0, 2)}****`;
  return `${phone.slice(0, 4)}****${phone.slice(-4)}`;
}
