"""Virtual-account services with Tirta as the biller: inquiry, payment and payment status.

A virtual account number is the partner's company code (8 characters, left-padded with spaces) followed by the
connection's account number. The amount is always every open bill, oldest first, late fees included: the same
rule as the public lookup, which also masks the holder's name the same way (anyone can type a number at a bank).
"""

from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import ServiceConnection
from accounts.partners.models import Partner
from billing.models import Bill
from billing.partners.snap import codes
from billing.partners.snap.codes import Service, SnapRefusal
from billing.partners.snap.models import SnapPayment
from billing.payments.collected import AmountDiffers, NothingToPay, take_collected
from billing.payments.methods import virtual_account_code
from billing.services import mask_name, open_bills_of_account

PROVIDER = "snap"


def business_date(partner: Partner, moment: datetime) -> date:
    """The partner's settlement day of a moment: at or after the cut-off it counts for the next day."""
    local = timezone.localtime(moment)
    cutoff = partner.settlement_cutoff
    if cutoff.hour or cutoff.minute or cutoff.second:
        return local.date() + timedelta(days=1) if local.time() >= cutoff else local.date()
    return local.date()


def _money(rupiah: int) -> dict:
    return {"value": f"{rupiah}.00", "currency": "IDR"}


def _text(english: str, indonesian: str) -> dict:
    return {"english": english, "indonesia": indonesian}


def _required(data: dict, *names: str) -> dict:
    for name in names:
        if not isinstance(data.get(name), str) or not data[name].strip():
            raise SnapRefusal(codes.MISSING_FIELD, name)
    return data


def _account_number(partner: Partner, data: dict) -> str:
    """The account number a virtual account number names; refused when the company code is not this partner's."""
    service_id, customer_no = data["partnerServiceId"], data["customerNo"].strip()
    if not partner.company_code or service_id.strip() != partner.company_code or len(service_id) != 8:
        raise SnapRefusal(codes.INVALID_FIELD, "partnerServiceId")
    if data["virtualAccountNo"] != service_id + customer_no:
        raise SnapRefusal(codes.INVALID_FIELD, "virtualAccountNo")
    return customer_no


def _payable(connection: ServiceConnection | None) -> ServiceConnection:
    if connection is None:
        raise SnapRefusal(codes.UNKNOWN_BILL, "Not Found")
    _refuse_closed(connection.status)
    return connection


def _refuse_closed(status: str) -> None:
    if status == ServiceConnection.Status.CLOSED:
        raise SnapRefusal(codes.INACTIVE_ACCOUNT)


def _connection(partner: Partner, data: dict) -> ServiceConnection:
    """The connection a virtual account number names; refusals for a foreign company code, unknown or closed."""
    customer_no = _account_number(partner, data)
    return _payable(ServiceConnection.objects.select_related("customer").filter(account_number=customer_no).first())


def _account_fields(data: dict, holder_name: str) -> dict:
    return {
        "partnerServiceId": data["partnerServiceId"],
        "customerNo": data["customerNo"],
        "virtualAccountNo": data["virtualAccountNo"],
        "virtualAccountName": mask_name(holder_name),
    }


def _bill_details(bills: list[Bill]) -> list[dict]:
    return [
        {
            "billNo": f"{bill.period:%Y%m}",
            "billDescription": _text(f"Water bill {bill.period:%m/%Y}", f"Tagihan air {bill.period:%m/%Y}"),
            "billAmount": _money(bill.total),
        }
        for bill in bills
    ]


def inquiry(partner: Partner, data: dict) -> codes.Answer:
    """What the connection owes now: every open bill, oldest first, with late fees, and the masked holder."""
    _required(data, "partnerServiceId", "customerNo", "virtualAccountNo", "inquiryRequestId")
    # One query when there is something to pay (the usual case): the bills bring the connection's status and the
    # holder's name.
    bills = open_bills_of_account(_account_number(partner, data))
    if not bills:
        _connection(partner, data)  # unknown or closed are refused as such; a known open one owes nothing
        raise SnapRefusal(codes.PAID_BILL)
    _refuse_closed(bills[0].connection_status)
    account = {
        **_account_fields(data, bills[0].holder_name),
        "inquiryStatus": "00",
        "inquiryReason": _text("Success", "Sukses"),
        "inquiryRequestId": data["inquiryRequestId"],
        "totalAmount": _money(sum(bill.total for bill in bills)),
        "billDetails": _bill_details(bills),
        "virtualAccountTrxType": "C",
    }
    return codes.answer(Service.INQUIRY, codes.SUCCESS, virtualAccountData=account)


def _paid_amount(data: dict) -> int:
    """Whole Rupiah from `{"value": "123000.00", "currency": "IDR"}`; sen other than .00 can never match a bill."""
    paid = data.get("paidAmount")
    if not isinstance(paid, dict) or not isinstance(paid.get("value"), str):
        raise SnapRefusal(codes.MISSING_FIELD, "paidAmount")
    if paid.get("currency") != "IDR":
        raise SnapRefusal(codes.INVALID_FIELD, "paidAmount.currency")
    try:
        value = Decimal(paid["value"])
    except InvalidOperation:
        raise SnapRefusal(codes.INVALID_FIELD, "paidAmount.value") from None
    if not value.is_finite() or value <= 0 or value != value.to_integral_value():
        raise SnapRefusal(codes.INVALID_AMOUNT)
    return int(value)


def payment(partner: Partner, data: dict) -> codes.Answer:
    """Settle every open bill for exactly the amount inquired; a retry of the same paymentRequestId gets the
    first answer, whatever else changed (a new X-EXTERNAL-ID, `flagAdvise` "Y")."""
    _required(data, "partnerServiceId", "customerNo", "virtualAccountNo", "paymentRequestId")
    amount = _paid_amount(data)
    request_id = data["paymentRequestId"]
    # A retry of a settled request reads its answer without a transaction: a stored record is committed with
    # its answer (a refusal rolls the record back), so what is found here is final, whatever changed since.
    settled = SnapPayment.objects.filter(partner=partner, payment_request_id=request_id).values_list("answer")[:1]
    if settled:
        return codes.Answer(200, settled[0][0])
    connection = _connection(partner, data)
    with transaction.atomic():
        try:
            # Concurrent retries wait here on the unique index until the first commits (then read its answer)
            # or rolls back a refusal (then one of them tries again).
            with transaction.atomic():
                record = SnapPayment.objects.create(
                    partner=partner,
                    payment_request_id=request_id,
                    customer_no=connection.account_number,
                    amount=amount,
                    business_date=business_date(partner, timezone.now()),
                )
        except IntegrityError:
            first = SnapPayment.objects.get(partner=partner, payment_request_id=request_id)
            return codes.Answer(200, first.answer)
        try:
            paid = take_collected(
                connection,
                amount=amount,
                provider=PROVIDER,
                payment_type=virtual_account_code(partner.bank_name or partner.name)[:32],
                transaction_id=f"{partner.partner_id}:{request_id}"[:100],
            )
        except NothingToPay:
            raise SnapRefusal(codes.PAID_BILL) from None
        except AmountDiffers:
            raise SnapRefusal(codes.INVALID_AMOUNT) from None
        account = {
            **_account_fields(data, connection.customer.name),
            "paymentRequestId": request_id,
            "paidAmount": _money(amount),
            "paymentFlagStatus": "00",
            "paymentFlagReason": _text("Success", "Sukses"),
            "trxDateTime": timezone.localtime(paid.paid_at).isoformat(timespec="seconds"),
            "referenceNo": data.get("referenceNo", ""),
        }
        result = codes.answer(
            Service.PAYMENT,
            codes.SUCCESS,
            virtualAccountData=account,
            additionalInfo={"receiptNumber": paid.receipt.number},
        )
        record.payment = paid
        record.answer = result.body
        record.save(update_fields=["payment", "answer"])
    return result


def status(partner: Partner, data: dict) -> codes.Answer:
    """The outcome of a past payment request: paid (with its receipt number) or, if reversed since, not paid."""
    _required(data, "partnerServiceId", "customerNo", "virtualAccountNo", "paymentRequestId")
    record = (
        SnapPayment.objects.select_related("payment__receipt")
        .filter(partner=partner, payment_request_id=data["paymentRequestId"], payment__isnull=False)
        .first()
    )
    if record is None or record.customer_no != data["customerNo"].strip():
        raise SnapRefusal(codes.TRANSACTION_NOT_FOUND)
    paid = record.payment
    standing = paid.status == paid.Status.PAID
    account = {
        "partnerServiceId": data["partnerServiceId"],
        "customerNo": data["customerNo"],
        "virtualAccountNo": data["virtualAccountNo"],
        "inquiryRequestId": data.get("inquiryRequestId", ""),
        "paymentRequestId": record.payment_request_id,
        "paidAmount": _money(record.amount),
        "paymentFlagStatus": "00" if standing else "01",
        "paymentFlagReason": _text("Success", "Sukses") if standing else _text("Reversed", "Dibatalkan"),
        "trxDateTime": timezone.localtime(paid.paid_at).isoformat(timespec="seconds"),
    }
    return codes.answer(
        Service.STATUS, codes.SUCCESS, virtualAccountData=account, additionalInfo={"receiptNumber": paid.receipt.number}
    )
