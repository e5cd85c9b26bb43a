import { WithStartWorkflowOperation, WorkflowNotFoundError, type Client } from '@temporalio/client';
import { linkWorkflowId, parseMandateId } from '../domain/account-link.js';
import { ResultCode } from '../domain/result-codes.js';
import type { accountLinkWorkflow } from '../workflows/account-link.js';
import {
  authorizeLinkedPaymentUpdate,
  disableLinkUpdate,
  enableLinkUpdate,
  linkCallbackSignal,
  linkQuery,
  type AccountLinkInput,
  type LinkAuthorization,
  type LinkCallbackEvent,
  type LinkEnableReceipt,
  type LinkEnableRequest,
  type LinkView,
  type MandateRef,
  type MandateView,
} from '../workflows/link-messages.js';
import { TASK_QUEUE } from '../workflows/messages.js';
import { GatewayError } from './errors.js';
import { translate } from './payments-client.js';

/** The API's door to account-link workflows (CONTRACT §4); a mandateID names its workflow (domain/account-link.ts). */
export class LinksClient {
  constructor(private readonly client: Client, private readonly taskQueue: string = TASK_QUEUE) {}

  /** linkEnable is update-with-start on the customer's workflow: two at once reach one workflow, which serialises them. */
  async enable(input: AccountLinkInput, request: LinkEnableRequest): Promise<LinkEnableReceipt> {
    const start = new WithStartWorkflowOperation<typeof accountLinkWorkflow>('accountLinkWorkflow', {
      workflowId: linkWorkflowId(input.linkKey),
      taskQueue: this.taskQueue,
      args: [input],
      workflowIdConflictPolicy: 'USE_EXISTING',
      // The workflow never completes; a new run under the same ID would hand out mandateIDs again from 1.
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      memo: { iMid: input.iMid, mitraCd: 'ASTR' },
    });
    try {
      return await this.client.workflow.executeUpdateWithStart(enableLinkUpdate, { args: [request], startWorkflowOperation: start });
    } catch (err) {
      throw translate(err);
    }
  }

  /** The link workflow a mandateID belongs to, and that merchant's view of it; 8004 for anything else. */
  async view(ref: MandateRef): Promise<{ link: LinkView; mandate: MandateView }> {
    const notFound = new GatewayError(ResultCode.NotFound, 'mandateID not found');
    const id = workflowIdOf(ref.mandateID);
    if (!id) throw notFound;
    let link: LinkView;
    try {
      link = await this.client.workflow.getHandle(id).query(linkQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) throw notFound;
      throw translate(err);
    }
    const mandate = link.iMid === ref.iMid ? link.mandates.find((m) => m.mandateID === ref.mandateID) : undefined;
    if (!mandate) throw notFound;
    return { link, mandate };
  }

  async disable(ref: MandateRef): Promise<MandateView> {
    return this.update(ref, (id) => this.client.workflow.getHandle(id).executeUpdate(disableLinkUpdate, { args: [ref] }));
  }

  /** The link's sealed account token for one payment; 9502 unless the link is ACTIVE. */
  async authorizePayment(ref: MandateRef, tXid: string): Promise<LinkAuthorization> {
    return this.update(ref, (id) => this.client.workflow.getHandle(id).executeUpdate(authorizeLinkedPaymentUpdate, { args: [{ ...ref, tXid }] }));
  }

  /** false when no link workflow has that mandateID (the callback is refused). */
  async deliverCallback(event: LinkCallbackEvent): Promise<boolean> {
    const id = workflowIdOf(event.mandateID);
    if (!id) return false;
    try {
      await this.client.workflow.getHandle(id).signal(linkCallbackSignal, event);
      return true;
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return false;
      throw translate(err);
    }
  }

  private async update<T>(ref: MandateRef, call: (workflowId: string) => Promise<T>): Promise<T> {
    const id = workflowIdOf(ref.mandateID);
    if (!id) throw new GatewayError(ResultCode.NotFound, 'mandateID not found');
    try {
      return await call(id);
    } catch (err) {
      const translated = translate(err);
      if (translated instanceof GatewayError && translated.resultCd === ResultCode.NotFound) throw new GatewayError(ResultCode.NotFound, 'mandateID not found');
      throw translated;
    }
  }
}

function workflowIdOf(mandateID: string): string | undefined {
  const parsed = parseMandateId(mandateID);
  return parsed ? linkWorkflowId(parsed.key) : undefined;
}
