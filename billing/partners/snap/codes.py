"""The one table of SNAP BI response codes Tirta answers: `responseCode` = HTTP status + service code + case code.

Service codes from Bank Indonesia's SNAP list: 73 access token B2B, 24 virtual-account inquiry, 25 payment,
26 inquiry status. Case codes and messages are the standard's, so a bank's integration maps them without asking.
"""

from dataclasses import dataclass
from enum import IntEnum


class Service(IntEnum):
    TOKEN = 73
    INQUIRY = 24
    PAYMENT = 25
    STATUS = 26


@dataclass(frozen=True)
class Case:
    http_status: int
    case: str
    message: str


SUCCESS = Case(200, "00", "Successful")
BAD_REQUEST = Case(400, "00", "Bad Request")
INVALID_FIELD = Case(400, "01", "Invalid Field Format {}")
MISSING_FIELD = Case(400, "02", "Invalid Mandatory Field {}")
UNAUTHORIZED = Case(401, "00", "Unauthorized. {}")
INVALID_TOKEN = Case(401, "01", "Invalid Token (B2B)")
FEATURE_NOT_ALLOWED = Case(403, "01", "Feature Not Allowed {}")
INACTIVE_ACCOUNT = Case(403, "18", "Inactive Card/Account/Customer")
TRANSACTION_NOT_FOUND = Case(404, "01", "Transaction Not Found")
UNKNOWN_BILL = Case(404, "12", "Invalid Bill/Virtual Account {}")
INVALID_AMOUNT = Case(404, "13", "Invalid Amount")
PAID_BILL = Case(404, "14", "Paid Bill")
CONFLICT = Case(409, "00", "Conflict")


def response_code(service: Service, case: Case) -> str:
    return f"{case.http_status}{service.value:02d}{case.case}"


@dataclass(frozen=True)
class Answer:
    """What a SNAP call answers: an HTTP status and the JSON body."""

    http_status: int
    body: dict

    @property
    def response_code(self) -> str:
        return str(self.body.get("responseCode", ""))


def answer(service: Service, case: Case, detail: str = "", **fields) -> Answer:
    """The standard's envelope for a case; `detail` fills the `{}` of messages such as "Invalid Field Format {}"."""
    message = case.message.format(f"[{detail}]" if detail else "").strip()
    body = {"responseCode": response_code(service, case), "responseMessage": message, **fields}
    return Answer(case.http_status, body)


class SnapRefusal(Exception):
    """A request the standard refuses; carries the case to answer. Nothing was changed."""

    def __init__(self, case: Case, detail: str = "") -> None:
        super().__init__(f"{case.message} {detail}")
        self.case = case
        self.detail = detail
