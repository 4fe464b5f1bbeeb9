"""Field encryption for BSN: Fernet (AES-128-CBC + HMAC) at rest, HMAC-SHA256 blind index for lookup.

Both keys are derived from VANGNET_FIELD_KEY with HKDF under different labels, so the lookup index
reveals nothing about the ciphertext key. Key rotation: MultiFernet accepts old keys in
VANGNET_FIELD_KEY_OLD (comma separated) for decryption.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.fernet import Fernet, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings


def _derive(secret: str, label: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=label).derive(secret.encode())


@lru_cache(maxsize=4)
def _fernet(field_key: str) -> MultiFernet:
    keys = [field_key] + [k for k in os.environ.get("VANGNET_FIELD_KEY_OLD", "").split(",") if k]
    return MultiFernet(
        [Fernet(base64.urlsafe_b64encode(_derive(k, b"vangnet-bsn-encryption"))) for k in keys]
    )


@lru_cache(maxsize=4)
def _index_key(field_key: str) -> bytes:
    return _derive(field_key, b"vangnet-bsn-blind-index")


def encrypt(value: str) -> str:
    return _fernet(settings.FIELD_KEY).encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    return _fernet(settings.FIELD_KEY).decrypt(token.encode()).decode()


def blind_index(value: str) -> str:
    return hmac.new(_index_key(settings.FIELD_KEY), value.encode(), hashlib.sha256).hexdigest()
