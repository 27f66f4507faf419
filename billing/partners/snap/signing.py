"""SNAP BI signatures: SHA256withRSA on the access-token call, HMAC-SHA512 on every transactional call.

Pure functions on bytes and strings, shared by the server and by any client (the test suite's bank simulator,
the README's example), so both sides compute exactly the same string to sign.
"""

import base64
import hashlib
import hmac
import json

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

_WHITESPACE = frozenset(" \t\n\r")


def minify(body: bytes) -> str:
    """The body without whitespace between JSON tokens, everything else as sent (escapes, number forms, key
    order): re-serialising would rewrite an escaped "é" or `1.50` and break a bank's signature.

    Raises ValueError if the body is not JSON.
    """
    if not body:
        return ""
    text = body.decode()
    json.loads(text)
    kept = []
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in _WHITESPACE:
            continue
        kept.append(char)
    return "".join(kept)


def body_digest(body: bytes) -> str:
    return hashlib.sha256(minify(body).encode()).hexdigest().lower()


def transaction_string(method: str, path: str, access_token: str, body: bytes, timestamp: str) -> str:
    """`METHOD:PATH:token:lowercase(hex(sha256(minified body))):timestamp`, the string both sides sign."""
    return f"{method.upper()}:{path}:{access_token}:{body_digest(body)}:{timestamp}"


def hmac_signature(client_secret: str, string_to_sign: str) -> str:
    digest = hmac.new(client_secret.encode(), string_to_sign.encode(), hashlib.sha512).digest()
    return base64.b64encode(digest).decode()


def hmac_matches(client_secret: str, string_to_sign: str, signature: str) -> bool:
    return hmac.compare_digest(hmac_signature(client_secret, string_to_sign).encode(), signature.encode())


def token_string(client_key: str, timestamp: str) -> str:
    return f"{client_key}|{timestamp}"


def rsa_signature(private_key: rsa.RSAPrivateKey, client_key: str, timestamp: str) -> str:
    signed = private_key.sign(token_string(client_key, timestamp).encode(), padding.PKCS1v15(), hashes.SHA256())
    return base64.b64encode(signed).decode()


def rsa_matches(public_key_pem: str, client_key: str, timestamp: str, signature: str) -> bool:
    """Whether `signature` (base64) is the partner's SHA256withRSA of `clientKey|timestamp`."""
    try:
        public_key = serialization.load_pem_public_key(public_key_pem.encode())
        raw = base64.b64decode(signature, validate=True)
    except ValueError:
        return False
    if not isinstance(public_key, rsa.RSAPublicKey):
        return False
    try:
        public_key.verify(raw, token_string(client_key, timestamp).encode(), padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        return False
    return True
