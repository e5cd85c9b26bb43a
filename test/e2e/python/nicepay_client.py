"""A merchant's integration built on NICEPAY's official Python client (PyPI `python-nicepay`), pointed at the gateway.

Used by test/e2e/python-nicepay.test.ts. It configures the library the way NICEPAY's README and examples do
(ConstantsGeneral setters, the v2 enterprise builders, DataGenerator, ServiceNicepay) and changes nothing but the
base URL. `ServiceNicepay.serviceInquiry` only logs what it receives (it returns None), so the HTTP calls are
recorded by wrapping `apiClient.send` (what the library sent and the JSON it got back) and `requests.post` (the
HTTP status and content types); the library itself is not modified.

    python nicepay_client.py '<config JSON>'

config: {"action": "register-and-inquire" | "inquire" | "cancel", "baseUrl", "iMid", "merchantKey", "dbProcessUrl",
         "callbackUrl", "billingPhone", "mitraCd", "amt", and for "inquire" and "cancel": "tXid", "referenceNo"}

Prints one JSON line on stdout: {"registration", "inquiry", "cancel", "calls"}. The library logs to stderr.
"""

import json
import sys

import requests

from python_nicepay.config.apiClient import apiClient
from python_nicepay.constants.constantsGeneral import ConstantsGeneral
from python_nicepay.data.builder import builderEnvironment
from python_nicepay.data.builder.v2.enterprise import builderCancel, builderCartData, builderEwallet, builderInquiry
from python_nicepay.data.builder.v2.enterprise.dataGenerator import DataGenerator
from python_nicepay.service.v2EnterpriseService import ServiceNicepay

calls = []

_library_send = apiClient.send
_requests_post = requests.post


def _recording_post(url, *args, **kwargs):
    response = _requests_post(url, *args, **kwargs)
    if calls and calls[-1].get("url") == url and "httpStatus" not in calls[-1]:
        calls[-1]["httpStatus"] = response.status_code
        calls[-1]["sentContentType"] = response.request.headers.get("Content-Type")
        calls[-1]["receivedContentType"] = response.headers.get("Content-Type")
    return response


def _recording_send(host, header, request, endpoint):
    call = {"url": host + endpoint, "endpoint": endpoint, "headers": dict(header), "request": request}
    calls.append(call)
    call["response"] = _library_send(host, header, request, endpoint)
    return call["response"]


apiClient.send = staticmethod(_recording_send)
requests.post = _recording_post


def last_call(endpoint):
    matching = [c for c in calls if c["endpoint"] == endpoint]
    if not matching:
        raise RuntimeError(f"the library made no call to {endpoint}")
    return matching[-1]


def configure(config):
    ConstantsGeneral.setImid(config["iMid"])
    ConstantsGeneral.setMerchantKey(config["merchantKey"])
    ConstantsGeneral.setDbProcessUrl(config["dbProcessUrl"])
    ConstantsGeneral.setCallbackUrl(config["callbackUrl"])
    ConstantsGeneral.setBillingPhone(config["billingPhone"])
    # The only change from NICEPAY's own sandbox: the base URL (the library's setter for the sandbox host).
    ConstantsGeneral.setSandboxBaseUrl(config["baseUrl"])


def environment():
    return builderEnvironment.BuildEnvironment().isCloud(False).isProduction(False).build()


def register(config):
    amt = config["amt"]
    item = {
        "img_url": "https://shop.example/kopi.jpg",
        "goods_name": "Kopi Susu",
        "goods_detail": "Gula Aren, 250 ml",
        "goods_amt": amt,
        "goods_quantity": "1",
    }
    cart = builderCartData.BuildCartData().setCount("1").setItem(item).build()
    ewallet = (
        builderEwallet.BuildEwallet()
        .setPayMethod(ConstantsGeneral.getPayMethodEWallet())
        .setMitraCd(config["mitraCd"])
        .setUserIp(ConstantsGeneral.getUserIp())
        .setAmt(amt)
        .build()
    )
    body = DataGenerator.getTransactionBody(ewallet.jsonEwallet(), cart.jsonCartData())
    returned = ServiceNicepay.serviceRequest(body, environment())
    # serviceRequest returns the response as a JSON string.
    return json.loads(returned)


def inquire(tXid, referenceNo, amt):
    inquiry = builderInquiry.BuildInquiry().setTxid(tXid).setReferenceNo(referenceNo).setAmt(amt).build()
    returned = ServiceNicepay.serviceInquiry(DataGenerator.getInquiryBody(inquiry.jsonInquiry()), environment())
    if returned is not None:
        raise RuntimeError("serviceInquiry returned a value: the library changed, update this script")
    return last_call("/direct/v2/inquiry")["response"]


def cancel(tXid, referenceNo, amt):
    body = (
        builderCancel.BuildCancel()
        .setPayMethod(ConstantsGeneral.getPayMethodEWallet())
        .setTxid(tXid)
        .setReferenceNo(referenceNo)
        .setCancelUserId("Admin")
        .setCancelType("1")
        .setCancelMsg("Customer changed their mind")
        .setAmt(amt)
        .build()
    )
    ServiceNicepay.serviceCancel(DataGenerator.getCancelBody(body.jsonCancel()), environment())
    return last_call("/direct/v2/cancel")["response"]


def main():
    config = json.loads(sys.argv[1])
    configure(config)
    out = {"registration": None, "inquiry": None}
    if config["action"] == "register-and-inquire":
        out["registration"] = register(config)
        reg = out["registration"]
        if reg.get("resultCd") == "0000":
            out["inquiry"] = inquire(reg["tXid"], reg["referenceNo"], reg["amt"])
    elif config["action"] == "inquire":
        out["inquiry"] = inquire(config["tXid"], config["referenceNo"], config["amt"])
    elif config["action"] == "cancel":
        out["cancel"] = cancel(config["tXid"], config["referenceNo"], config["amt"])
    else:
        raise SystemExit(f"unknown action {config['action']!r}")
    out["calls"] = calls
    sys.stdout.write(json.dumps(out) + "\n")


if __name__ == "__main__":
    main()
