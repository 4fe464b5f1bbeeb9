"""Encryption of uploaded workbooks while they wait to be processed (they hold BSNs).

Fernet (AES-128-CBC + HMAC-SHA256) with a key derived by HKDF from VANGNET_FIELD_KEY under a label
of its own, so it is unrelated to the BSN column key and the blind-index key.
"""

from __future__ import annotations

import base64
from functools import lru_cache

from cryptography.fernet import Fernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


@lru_cache(maxsize=4)
def _fernet(field_key: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"vangnet-import-file").derive(
        field_key.encode()
    )
    return Fernet(base64.urlsafe_b64encode(key))


def seal(data: bytes) -> bytes:
    return _fernet(settings.FIELD_KEY).encrypt(data)


def unseal(token: bytes) -> bytes:
    return _fernet(settings.FIELD_KEY).decrypt(bytes(token))
