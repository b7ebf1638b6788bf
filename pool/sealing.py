"""Field-by-field sealing of personal data with a key per data subject (crypto-shredding)."""

from __future__ import annotations

import base64
import os
from collections.abc import Iterable
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from pool.errors import ErasedError
from pool.keystore import KeyStore

PREFIX = "sealed:v1:"


def is_sealed(value: object) -> bool:
    return isinstance(value, str) and value.startswith(PREFIX)


class MasterKey:
    """Wraps subject keys, so the key table alone (a dump, a stolen file) opens nothing."""

    def __init__(self, key: bytes):
        if len(key) != 32:
            raise ValueError("the master key must be 32 bytes (base64 of 32 random bytes)")
        self._aead = AESGCM(key)

    @classmethod
    def from_base64(cls, text: str) -> MasterKey:
        return cls(base64.b64decode(text.strip()))

    @staticmethod
    def generate_base64() -> str:
        return base64.b64encode(AESGCM.generate_key(bit_length=256)).decode()

    def wrap(self, subject_id: UUID, key: bytes) -> bytes:
        nonce = os.urandom(12)
        return nonce + self._aead.encrypt(nonce, key, subject_id.bytes)

    def unwrap(self, subject_id: UUID, wrapped: bytes) -> bytes:
        return self._aead.decrypt(wrapped[:12], wrapped[12:], subject_id.bytes)


class Sealer:
    """Seals and unseals text values; each subject's values open only with that subject's key."""

    def __init__(self, keystore: KeyStore, master_key: MasterKey):
        self.keystore = keystore
        self.master_key = master_key
        # No key cache: another process may erase a subject, and a cached key would outlive it.

    def seal(self, subject_id: UUID, value: str) -> str:
        key = self._key(subject_id, create=True)
        nonce = os.urandom(12)
        sealed = nonce + AESGCM(key).encrypt(nonce, value.encode(), subject_id.bytes)
        return PREFIX + base64.urlsafe_b64encode(sealed).decode()

    def unseal(self, subject_id: UUID, value: str) -> str:
        """Open a sealed value; raise ErasedError if the subject's key was destroyed."""
        if not is_sealed(value):
            raise ValueError("not a sealed value")
        key = self._key(subject_id, create=False)
        raw = base64.urlsafe_b64decode(value[len(PREFIX):])
        try:
            return AESGCM(key).decrypt(raw[:12], raw[12:], subject_id.bytes).decode()
        except InvalidTag:
            raise ErasedError("personal_data.erased") from None

    def unseal_all(self, subject_id: UUID, values: Iterable[str]) -> list[str]:
        return [self.unseal(subject_id, v) for v in values]

    def can_unseal(self, subject_id: UUID) -> bool:
        return self.keystore.get(subject_id) is not None

    def destroy(self, subject_id: UUID) -> None:
        """Crypto-shred: after this, nothing sealed for the subject can be opened again."""
        self.keystore.destroy(subject_id)

    def _key(self, subject_id: UUID, *, create: bool) -> bytes:
        wrapped = self.keystore.get(subject_id)
        if wrapped is None:
            if not create:
                raise ErasedError("personal_data.erased")
            wrapped = self.keystore.add(subject_id, self.master_key.wrap(subject_id, AESGCM.generate_key(bit_length=256)))
            if wrapped is None:
                raise ErasedError("personal_data.erased")
        return self.master_key.unwrap(subject_id, wrapped)
