"""The minified body both sides hash: whitespace between tokens goes, everything inside strings stays."""

import json

import pytest

from billing.partners.snap.signing import minify


def test_minifying_removes_whitespace_between_tokens_only():
    body = b'{\n  "virtualAccountName" : "BUD* SAN****",\n  "paidAmount": { "value": "1.50" }\n}'

    assert minify(body) == '{"virtualAccountName":"BUD* SAN****","paidAmount":{"value":"1.50"}}'


def test_minifying_keeps_escapes_and_quotes_inside_strings_as_sent():
    body = b'{ "name": "Jos\\u00e9 \\"Ucok\\" \\\\ ", "n": 1.50 }'

    assert minify(body) == '{"name":"Jos\\u00e9 \\"Ucok\\" \\\\ ","n":1.50}'


def test_a_body_that_is_not_json_cannot_be_minified():
    with pytest.raises(json.JSONDecodeError):
        minify(b"{not json")
