"""Time one receipt PDF against a minimal one-paragraph WeasyPrint page, and watch memory over many renders.

    .venv/bin/python bench/receipt_pdf.py [--samples 50] [--renders 1000]

Runs on a scratch SQLite database in a temporary directory (migrated, one paid payment of three bills). The
documents render in the same process, interleaved, after a warm-up; it prints the medians, the ratio
`receipt / minimal` (minimal page with WeasyPrint's defaults, and with the reused font configuration receipts
use), and the resident set size every 100 renders of the memory run.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.pop("DATABASE_URL", None)
os.environ.setdefault("DEBUG", "1")
os.environ["VAR_DIR"] = tempfile.mkdtemp(prefix="tirta-bench-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()

from django.core.management import call_command  # noqa: E402

MINIMAL = "<!doctype html><html><body><p>Tirta: one paragraph, the smallest useful page.</p></body></html>"


def rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def make_receipt():
    import datetime

    from accounts.models import Area, Customer, CustomerClass, ServiceConnection
    from billing.models import Bill, Tariff
    from billing.payments import receipts, services
    from billing.payments.models import Payment, PaymentBill

    klass = CustomerClass.objects.create(code="R2", name="Rumah Tangga 2")
    area = Area.objects.create(name="Kebun Jeruk", level="kelurahan", code="KJ")
    customer = Customer.objects.create(name="Budi Santoso", email="budi@example.test")
    connection = ServiceConnection.objects.create(
        account_number="1001000042",
        customer=customer,
        customer_class=klass,
        area=area,
        address="Jl. Merdeka No. 12, RT 01/RW 02",
        meter_number="MTR-1",
    )
    tariff = Tariff.objects.create(customer_class=klass, effective_from=datetime.date(2020, 1, 1))
    bills = [
        Bill.objects.create(
            connection=connection,
            period=datetime.date(2026, month, 1),
            tariff=tariff,
            usage=15 + month,
            total=41500 + 1000 * month,
            due_date=datetime.date(2026, month, 20),
        )
        for month in (1, 2, 3)
    ]
    payment = Payment.objects.create(
        order_id="TRT-20260315-9F2C41A07B",
        connection=connection,
        provider="sandbox",
        amount=sum(b.total for b in bills),
    )
    PaymentBill.objects.bulk_create(PaymentBill(payment=payment, bill=b, amount=b.total) for b in bills)
    services.settle(payment.pk, payment_type="qris")
    return receipts.receipts_with_details().get(payment=payment)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=50)
    parser.add_argument("--renders", type=int, default=1000)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    from weasyprint import HTML

    from billing.payments.receipts import render_receipt_pdf

    receipt = make_receipt()

    from billing.payments.receipts import font_config

    def minimal() -> bytes:
        return HTML(string=MINIMAL).write_pdf()

    def minimal_shared() -> bytes:
        return HTML(string=MINIMAL).write_pdf(font_config=font_config())

    def full() -> bytes:
        return render_receipt_pdf(receipt)

    for _ in range(5):  # warm-up: imports, font discovery, template loading
        minimal()
        full()
    times: dict[str, list[float]] = {"minimal": [], "minimal_shared": [], "receipt": []}
    for _ in range(args.samples):
        for name, render in (("minimal", minimal), ("minimal_shared", minimal_shared), ("receipt", full)):
            start = time.perf_counter()
            render()
            times[name].append(time.perf_counter() - start)
    m_min = statistics.median(times["minimal"]) * 1000
    m_shared = statistics.median(times["minimal_shared"]) * 1000
    m_rec = statistics.median(times["receipt"]) * 1000
    print(f"minimal page  median {m_min:6.1f} ms  ({args.samples} samples, WeasyPrint defaults)")
    print(f"minimal page  median {m_shared:6.1f} ms  (reusing the font configuration, as receipts do)")
    print(f"receipt       median {m_rec:6.1f} ms  ({len(full()) / 1024:.0f} KiB PDF)")
    print(f"ratio receipt / minimal: {m_rec / m_min:.2f}")
    print(f"ratio receipt / minimal with the same font configuration: {m_rec / m_shared:.2f}")

    print(f"memory over {args.renders} receipt renders (RSS):")
    start_rss = rss_mib()
    print(f"  before: {start_rss:7.1f} MiB")
    for i in range(1, args.renders + 1):
        full()
        if i % 100 == 0:
            print(f"  {i:5d}: {rss_mib():7.1f} MiB")
    print(f"  growth: {rss_mib() - start_rss:+.1f} MiB")


if __name__ == "__main__":
    main()
