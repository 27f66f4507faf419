"""Who may call: the RSA-signed token request, the HMAC signature, the clock window and the partner's state."""

import json

from cryptography.hazmat.primitives.asymmetric import rsa

from accounts.partners.models import Partner
from billing.partners.snap.models import SnapExchange, SnapToken
from billing.payments.models import Payment
from tests.factories.accounts import ServiceConnectionFactory
from tests.factories.payments import open_bills_of
from tests.factories.snap import Bank, client_transport, later, payment_body, stamp


def _paying(bank: Bank, **options) -> tuple[int, dict]:
    connection = ServiceConnectionFactory()
    open_bills_of(connection, 40000)
    return bank.call("payment", payment_body(connection.account_number, "40000.00"), **options)


def test_a_token_is_issued_for_a_request_signed_with_the_partners_key(client, bank_partner):
    partner, secret = bank_partner
    bank = Bank(client_transport(client), partner.partner_id, secret)

    status, body = bank.token()

    assert (status, body["responseCode"], body["tokenType"]) == (200, "2007300", "Bearer")
    assert SnapToken.objects.get().partner == partner


def test_the_token_is_stored_only_as_its_digest(bank):
    assert not SnapToken.objects.filter(digest=bank.access_token).exists()
    assert bank.access_token not in SnapExchange.objects.get().response_body


def test_a_token_request_signed_with_another_key_is_refused(client, bank_partner):
    partner, secret = bank_partner
    stranger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    bank = Bank(client_transport(client), partner.partner_id, secret, key=stranger)

    status, body = bank.token()

    assert (status, body["responseCode"]) == (401, "4017300")
    assert not SnapToken.objects.exists()


def test_a_token_request_from_an_unknown_client_key_is_refused(client, bank_partner):
    _, secret = bank_partner
    status, body = Bank(client_transport(client), "NOBODY", secret).token()

    assert (status, body["responseCode"]) == (401, "4017300")
    assert not SnapToken.objects.exists()


def test_a_deactivated_partner_gets_no_token(client, bank_partner):
    partner, secret = bank_partner
    Partner.objects.filter(pk=partner.pk).update(active=False)

    status, _ = Bank(client_transport(client), partner.partner_id, secret).token()

    assert status == 401
    assert not SnapToken.objects.exists()


def test_a_token_request_stamped_more_than_five_minutes_ago_is_refused(client, bank_partner):
    partner, secret = bank_partner
    status, body = Bank(client_transport(client), partner.partner_id, secret).token(timestamp=stamp(later(-6)))

    assert (status, body["responseCode"]) == (400, "4007301")
    assert not SnapToken.objects.exists()


def test_a_call_signed_with_a_wrong_secret_is_refused_and_changes_nothing(bank):
    status, body = _paying(bank, secret="not-the-secret")

    assert (status, body["responseCode"]) == (401, "4012500")
    assert not Payment.objects.exists()


def test_a_call_with_an_expired_token_is_refused(bank):
    SnapToken.objects.update(expires_at=later(-1))

    status, body = _paying(bank)

    assert (status, body["responseCode"]) == (401, "4012501")
    assert not Payment.objects.exists()


def test_a_token_of_another_partner_is_not_accepted(client, bank):
    from tests.factories.snap import snap_partner

    other, other_secret = snap_partner(name="Bank Lain", partner_id="BANKLAIN01", company_code="54321")
    bank.partner_id, bank.client_secret = other.partner_id, other_secret

    status, body = _paying(bank)

    assert (status, body["responseCode"]) == (401, "4012501")
    assert not Payment.objects.exists()


def test_a_call_stamped_outside_the_five_minute_window_is_refused(bank):
    status, body = _paying(bank, timestamp=stamp(later(6)))

    assert (status, body["responseCode"]) == (400, "4002501")
    assert not Payment.objects.exists()


def test_a_call_from_an_unknown_partner_id_is_refused(bank):
    status, body = _paying(bank, headers={"X-PARTNER-ID": "NOBODY"})

    assert (status, body["responseCode"]) == (401, "4012500")
    assert not Payment.objects.exists()


def test_a_call_on_a_channel_not_registered_for_the_partner_is_refused(bank):
    status, body = _paying(bank, headers={"CHANNEL-ID": "9999"})

    assert (status, body["responseCode"]) == (401, "4012500")
    assert not Payment.objects.exists()


def test_a_body_that_is_not_json_is_a_bad_request(bank):
    status, body = bank.call("payment", b"{not json")

    assert (status, body["responseCode"]) == (400, "4002500")
    assert not Payment.objects.exists()


def test_the_signature_covers_the_minified_body_whatever_its_spacing(bank):
    connection = ServiceConnectionFactory()
    open_bills_of(connection, 40000)
    compact = json.dumps(payment_body(connection.account_number, "40000.00"), separators=(",", ":")).encode()

    status, body = bank.call("payment", compact)

    assert (status, body["responseCode"]) == (200, "2002500")


def test_exchanges_are_kept_without_tokens_or_signatures(bank):
    _paying(bank)

    exchange = SnapExchange.objects.filter(service="payment").get()
    assert exchange.response_code == "2002500"
    assert set(exchange.request_headers) >= {"X-TIMESTAMP", "X-PARTNER-ID", "X-EXTERNAL-ID"}
    assert not {"Authorization", "X-SIGNATURE"} & set(exchange.request_headers)
    assert bank.access_token not in json.dumps(exchange.request_headers) + exchange.request_body
