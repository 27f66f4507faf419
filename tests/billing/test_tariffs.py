"""Worked examples under the test tariff: blocks 0–10 m³ Rp 2.000, 10–20 m³ Rp 3.000, above 20 m³ Rp 5.000;
biaya beban 1/2" Rp 10.000; administration Rp 5.000; minimum usage 10 m³."""

import pytest
from django.core.exceptions import ValidationError

from billing.admin import validate_blocks
from billing.models import BillLine
from billing.tariffs import Block, TariffTerms, compute_lines, total_of

Kind = BillLine.Kind
TERMS = TariffTerms(
    tariff_id=1,
    blocks=(Block(0, 10, 2000), Block(10, 20, 3000), Block(20, None, 5000)),
    fixed_charges=(("1/2", 10000), ("3/4", 15000)),
    admin_fee=5000,
    minimum_usage=10,
)
FIXED_AND_ADMIN = [(Kind.FIXED, 1, 10000), (Kind.ADMIN, 1, 5000)]


def lines(usage, terms=TERMS, size="1/2"):
    return [(line.kind, line.quantity, line.unit_price) for line in compute_lines(usage, terms, size)]


def test_zero_usage_is_charged_the_minimum_in_the_first_block():
    assert lines(0) == [(Kind.MINIMUM, 10, 2000), *FIXED_AND_ADMIN]
    assert total_of(compute_lines(0, TERMS, "1/2")) == 20000 + 10000 + 5000


def test_usage_below_the_minimum_shows_what_was_used_and_what_was_topped_up():
    assert lines(4) == [(Kind.USAGE, 4, 2000), (Kind.MINIMUM, 6, 2000), *FIXED_AND_ADMIN]
    assert total_of(compute_lines(4, TERMS, "1/2")) == 35000


def test_usage_at_the_minimum_needs_no_top_up():
    assert lines(10) == [(Kind.USAGE, 10, 2000), *FIXED_AND_ADMIN]
    assert total_of(compute_lines(10, TERMS, "1/2")) == 35000


def test_usage_on_the_second_block_boundary_fills_two_blocks():
    assert lines(20) == [(Kind.USAGE, 10, 2000), (Kind.USAGE, 10, 3000), *FIXED_AND_ADMIN]
    assert total_of(compute_lines(20, TERMS, "1/2")) == 20000 + 30000 + 15000


def test_one_m3_past_a_boundary_is_priced_in_the_next_block():
    assert lines(21) == [(Kind.USAGE, 10, 2000), (Kind.USAGE, 10, 3000), (Kind.USAGE, 1, 5000), *FIXED_AND_ADMIN]
    assert total_of(compute_lines(21, TERMS, "1/2")) == 70000


def test_usage_far_above_the_blocks_is_priced_in_the_open_last_block():
    # 10 × 2.000 + 10 × 3.000 + 980 × 5.000 + 10.000 + 5.000
    assert total_of(compute_lines(1000, TERMS, "1/2")) == 4_965_000


def test_the_fixed_charge_depends_on_the_meter_size():
    assert (Kind.FIXED, 1, 15000) in lines(15, size="3/4")


def test_a_meter_size_without_fixed_charge_gets_no_fixed_line():
    assert all(kind != Kind.FIXED for kind, _, _ in lines(15, size="2"))


def test_a_minimum_above_the_first_block_tops_up_across_blocks():
    terms = TariffTerms(1, TERMS.blocks, (), 0, 15)
    assert lines(5, terms) == [(Kind.USAGE, 5, 2000), (Kind.MINIMUM, 5, 2000), (Kind.MINIMUM, 5, 3000)]


def test_negative_usage_is_refused():
    with pytest.raises(ValueError, match="negative"):
        compute_lines(-1, TERMS, "1/2")


@pytest.mark.parametrize(
    ("blocks", "message"),
    [
        ([], "minimal satu blok"),
        ([(5, 10), (10, None)], "dimulai pada 0"),
        ([(0, 10), (12, None)], "dimulai pada 10"),
        ([(0, None), (10, None)], "Hanya blok terakhir"),
        ([(0, 10), (10, 20)], "harus tanpa batas atas"),
        ([(0, 0), (0, None)], "lebih besar dari batas bawahnya"),
    ],
)
def test_tariff_blocks_must_be_contiguous_from_zero_and_open_ended(blocks, message):
    with pytest.raises(ValidationError, match=message):
        validate_blocks(blocks)


def test_valid_blocks_pass_validation():
    validate_blocks([(10, 20), (0, 10), (20, None)])
