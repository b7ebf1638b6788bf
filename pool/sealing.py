"""Field-by-field sealing of personal data with a key per data subject (crypto-shredding)."""

from __future__ import annotations

import base64
import hashlib
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
        # Recorded beside each wrapped key, so a rotation knows which rows are done; a hash, not the key.
        self.key_id = hashlib.sha256(b"familjepool master key id\0" + key).hexdigest()[:16]

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
    """Seals and unseals text values; each subject's values open only with that subject's key.

    New subject keys are wrapped by `master_key`; `previous` master keys still open the keys they
    wrapped until `familjepool keys rotate` has re-wrapped them (pool/rotation.py).
    """

    def __init__(self, keystore: KeyStore, master_key: MasterKey, previous: Iterable[MasterKey] = ()):
        self.keystore = keystore
        self.master_key = master_key
        self.ring = {k.key_id: k for k in [*previous, master_key]}
        # No key cache, and no cache of opened values: another process may erase a subject, and a
        # cached key or text would outlive it.

    def seal(self, subject_id: UUID, value: str) -> str:
        return self._close(self._key(subject_id, create=True), subject_id, value)

    @staticmethod
    def _close(key: bytes, subject_id: UUID, value: str) -> str:
        """AES-GCM under the subject's key, with its id as associated data (the opposite of `_open`)."""
        nonce = os.urandom(12)
        sealed = nonce + AESGCM(key).encrypt(nonce, value.encode(), subject_id.bytes)
        return PREFIX + base64.urlsafe_b64encode(sealed).decode()

    def seal_new(self, subject_id: UUID, *values: str) -> list[str]:
        """Seal the first values of a subject this command creates: its key is made, stored and used here,
        with no read of the key table and no unwrap (issue 14, write path). If a key exists after all,
        the stored one is used, as `seal` would."""
        key = AESGCM.generate_key(bit_length=256)
        wrapped = self.master_key.wrap(subject_id, key)
        stored = self.keystore.add(subject_id, wrapped, self.master_key.key_id)
        if stored != wrapped:  # not ours: erased (None) or another writer's key
            return [self.seal(subject_id, v) for v in values]
        return [self._close(key, subject_id, v) for v in values]

    def unseal(self, subject_id: UUID, value: str) -> str:
        """Open a sealed value; raise ErasedError if the subject's key was destroyed."""
        if not is_sealed(value):
            raise ValueError("not a sealed value")
        return self._open(self._key(subject_id, create=False), subject_id, value)

    @staticmethod
    def _open(key: bytes, subject_id: UUID, value: str) -> str:
        if not is_sealed(value):
            raise ValueError("not a sealed value")
        raw = base64.urlsafe_b64decode(value[len(PREFIX):])
        try:
            return AESGCM(key).decrypt(raw[:12], raw[12:], subject_id.bytes).decode()
        except InvalidTag:
            raise ErasedError("personal_data.erased") from None

    def unseal_all(self, subject_id: UUID, values: Iterable[str]) -> list[str]:
        return [self.unseal(subject_id, v) for v in values]

    def unseal_each(self, values: dict[UUID, list[str]]) -> dict[UUID, list[str] | None]:
        """Open the sealed values of many subjects with ONE key-table read; None for an erased subject.

        A page of the register or the catalogue: one statement instead of one per sealed value (issue 14).
        Nothing opened is kept: an erasure in another process takes effect at the next read.
        """
        entries = self.keystore.entries(values)
        opened: dict[UUID, list[str] | None] = {}
        for subject_id, sealed in values.items():
            try:
                if subject_id not in entries:
                    raise ErasedError("personal_data.erased")
                key = self.unwrap(subject_id, *entries[subject_id])[0]
                opened[subject_id] = [self._open(key, subject_id, v) for v in sealed]
            except ErasedError:
                opened[subject_id] = None
        return opened

    def can_unseal(self, subject_id: UUID) -> bool:
        return self.keystore.get(subject_id) is not None

    def destroy(self, subject_id: UUID) -> None:
        """Crypto-shred: after this, nothing sealed for the subject can be opened again."""
        self.keystore.destroy(subject_id)

    def key_for(self, subject_id: UUID) -> bytes:
        """The subject's key, created on first use (also the deployment's token signing key)."""
        return self._key(subject_id, create=True)

    def unwrap(self, subject_id: UUID, wrapped: bytes, key_id: str | None) -> tuple[bytes, MasterKey]:
        """Open a wrapped key with the master key that wrapped it (unknown id: try each of the ring)."""
        candidates = [self.ring[key_id]] if key_id in self.ring else list(self.ring.values())
        for master in candidates:
            try:
                return master.unwrap(subject_id, wrapped), master
            except InvalidTag:
                continue
        raise MasterKeyMissingError(
            f"no configured master key opens this subject key (wrapped by master key id {key_id or 'unrecorded'}); "
            "set FAMILJEPOOL_PREVIOUS_MASTER_KEYS until `familjepool keys rotate` has finished")

    def _key(self, subject_id: UUID, *, create: bool) -> bytes:
        entry = self.keystore.entry(subject_id)
        if entry is None:
            if not create:
                raise ErasedError("personal_data.erased")
            wrapped = self.master_key.wrap(subject_id, AESGCM.generate_key(bit_length=256))
            stored = self.keystore.add(subject_id, wrapped, self.master_key.key_id)
            if stored is None:
                raise ErasedError("personal_data.erased")
            # Ours was stored (no second read), or another writer's was first: read which master key wrapped it.
            entry = (stored, self.master_key.key_id) if stored == wrapped else self.keystore.entry(subject_id)
            if entry is None:
                raise ErasedError("personal_data.erased")
        return self.unwrap(subject_id, *entry)[0]


class MasterKeyMissingError(RuntimeError):
    """A subject key is wrapped by a master key this process was not given (a rotation in progress)."""
