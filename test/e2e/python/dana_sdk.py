"""DANA's official Python SDK (PyPI `dana-python`), pointed at the sandbox DANA with only its host changed.

Used by test/e2e/python-dana.test.ts. It configures the SDK as DANA's README does (SnapConfiguration with
AuthSettings, ApiClient, PaymentGatewayApi) and then sets `configuration.host`; nothing else of the SDK is changed.

    python dana_sdk.py '<config JSON>'

config: {"host", "privateKey", "partnerId", "merchantId", "origin", "steps": [step, ...]} where a step is
  {"call": "create", "partnerReferenceNo", "phone", "value", "returnUrl", "notifyUrl", "validUpTo", "title"}
  {"call": "query" | "cancel", "partnerReferenceNo"}
  {"call": "refund", "partnerReferenceNo", "partnerRefundNo", "value"}
  {"call": "parse-webhook", "publicKey", "path", "headers", "body"}

Prints one JSON line: {"results": [...]}, one per step: {"ok": true, "response": {...}} with the SDK's parsed answer
(by its JSON aliases), or {"ok": false, "status": <HTTP status>, "body": {...}} when the SDK raised DANA's refusal,
or {"ok": false, "error": "<message>"} for anything else (a webhook that does not verify).
"""

import json
import os
import sys

from dana.api_client import ApiClient
from dana.exceptions import ApiException
from dana.payment_gateway.v1 import PaymentGatewayApi
from dana.payment_gateway.v1.models import CancelOrderRequest, CreateOrderByRedirectRequest, QueryPaymentRequest, RefundOrderRequest
from dana.utils.snap_configuration import AuthSettings, Env, SnapConfiguration
from dana.webhook import WebhookParser


def money(value):
    return {"value": value, "currency": "IDR"}


def run(api, config, step):
    merchant_id = config["merchantId"]
    call = step["call"]
    if call == "create":
        request = CreateOrderByRedirectRequest.from_dict({
            "partnerReferenceNo": step["partnerReferenceNo"],
            "merchantId": merchant_id,
            "amount": money(step["value"]),
            "validUpTo": step["validUpTo"],
            "urlParams": [
                {"url": step["returnUrl"], "type": "PAY_RETURN", "isDeeplink": "N"},
                {"url": step["notifyUrl"], "type": "NOTIFICATION", "isDeeplink": "N"},
            ],
            "additionalInfo": {
                "mcc": "5732",
                "envInfo": {"sourcePlatform": "IPG", "terminalType": "SYSTEM"},
                "order": {
                    "orderTitle": step.get("title", "Kopi susu"),
                    "scenario": "REDIRECT",
                    "buyer": {"externalUserType": "PHONE", "externalUserId": step["phone"]},
                },
            },
        })
        return api.create_order(request)
    if call == "query":
        return api.query_payment(QueryPaymentRequest.from_dict({
            "originalPartnerReferenceNo": step["partnerReferenceNo"], "serviceCode": "54", "merchantId": merchant_id}))
    if call == "cancel":
        return api.cancel_order(CancelOrderRequest.from_dict({
            "originalPartnerReferenceNo": step["partnerReferenceNo"], "merchantId": merchant_id, "reason": "cancelled by the merchant"}))
    if call == "refund":
        return api.refund_order(RefundOrderRequest.from_dict({
            "originalPartnerReferenceNo": step["partnerReferenceNo"], "merchantId": merchant_id,
            "partnerRefundNo": step["partnerRefundNo"], "refundAmount": money(step["value"]), "reason": "returned"}))
    if call == "parse-webhook":
        # The parser uses DANA's own sandbox key whenever DANA_ENV/ENV says sandbox (or nothing): a merchant
        # verifying notifies from any other DANA (this sandbox's, production's) passes that DANA's key and env.
        os.environ["DANA_ENV"] = "production"
        parser = WebhookParser(public_key=step["publicKey"])
        return parser.parse_webhook(http_method="POST", relative_path_url=step["path"], headers=step["headers"], body=step["body"])
    raise ValueError(f"unknown call {call}")


def main():
    config = json.loads(sys.argv[1])
    configuration = SnapConfiguration(api_key=AuthSettings(
        PRIVATE_KEY=config["privateKey"],
        ORIGIN=config["origin"],
        X_PARTNER_ID=config["partnerId"],
        CLIENT_SECRET="unused-by-the-payment-gateway",
        ENV=Env.SANDBOX,
        DANA_ENV=Env.SANDBOX,
    ))
    configuration.host = config["host"]
    results = []
    with ApiClient(configuration) as client:
        api = PaymentGatewayApi(client)
        for step in config["steps"]:
            try:
                answer = run(api, config, step)
                results.append({"ok": True, "response": json.loads(answer.to_json())})
            except ApiException as e:
                try:
                    body = json.loads(e.body) if e.body else None
                except ValueError:
                    body = e.body
                results.append({"ok": False, "status": e.status, "body": body})
            except Exception as e:  # noqa: BLE001 - reported to the test, which decides
                results.append({"ok": False, "error": f"{type(e).__name__}: {e}"})
    print(json.dumps({"results": results}))


if __name__ == "__main__":
    main()
