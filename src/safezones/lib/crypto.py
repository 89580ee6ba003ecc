"""Every cryptographic primitive Safe Zones uses, and nothing else.

The rest of the code never imports a crypto library: it calls these few
functions. What they protect (design.md §4): what families write is
encrypted under a random key per case; that key is sealed to the public keys
of the offices allowed to read the case; an office's private key is sealed to
each member's public key; a member's private key is encrypted under a key
derived from their password. A copy of the database, files and settings
without a reader's password reveals no content.

Primitives (libsodium, through PyNaCl):
- XChaCha20-Poly1305 for data, with a `context` bound in as associated data,
  so a ciphertext moved to another case or field fails to decrypt;
- X25519 sealed boxes to give a key to a public key;
- Argon2id to turn a password into a key;
- keyed BLAKE2b for digests and keys derived from high-entropy secrets
  (receipts hold at least 80 random bits, so a slow hash adds nothing there).
"""

import base64
import hmac
from dataclasses import dataclass

from nacl import bindings, pwhash
from nacl.encoding import RawEncoder
from nacl.exceptions import CryptoError
from nacl.hash import blake2b
from nacl.public import PrivateKey, PublicKey, SealedBox
from nacl.utils import random

KEY_BYTES = bindings.crypto_aead_xchacha20poly1305_ietf_KEYBYTES  # 32
NONCE_BYTES = bindings.crypto_aead_xchacha20poly1305_ietf_NPUBBYTES  # 24
SALT_BYTES = pwhash.argon2id.SALTBYTES  # 16
VERSION = b"\x01"  # leads every ciphertext, so the format can change later

# Password keys: at least 64 MiB of memory per guess makes a stolen database
# expensive to attack; derived once at sign-in (about 0.2 s), never per request.
PASSWORD_OPS = 3
PASSWORD_MEMORY = 64 * 1024 * 1024


class DecryptionError(Exception):
    """Wrong key, wrong context, or the data was changed."""


@dataclass(frozen=True)
class KeyPair:
    public: bytes
    private: bytes


def new_key() -> bytes:
    """A random key for one case's content (or any other secret data)."""
    return random(KEY_BYTES)


def new_salt() -> bytes:
    return random(SALT_BYTES)


def encrypt(key: bytes, plaintext: bytes, context: str) -> bytes:
    """Encrypt and authenticate; `context` (e.g. "case:42:message") must be
    given again, unchanged, to decrypt."""
    nonce = random(NONCE_BYTES)
    sealed = bindings.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, _aad(context), nonce, key)
    return VERSION + nonce + sealed


def decrypt(key: bytes, ciphertext: bytes, context: str) -> bytes:
    if len(ciphertext) < 1 + NONCE_BYTES or ciphertext[:1] != VERSION:
        raise DecryptionError("not a ciphertext of this format")
    nonce, sealed = ciphertext[1 : 1 + NONCE_BYTES], ciphertext[1 + NONCE_BYTES :]
    try:
        return bytes(bindings.crypto_aead_xchacha20poly1305_ietf_decrypt(sealed, _aad(context), nonce, key))
    except CryptoError:
        raise DecryptionError("wrong key or context, or the data was changed") from None


def new_key_pair() -> KeyPair:
    private = PrivateKey.generate()
    return KeyPair(public=bytes(private.public_key), private=bytes(private))


def seal(public_key: bytes, secret: bytes) -> bytes:
    """Give a secret to whoever holds the private key; the sender keeps nothing."""
    return bytes(SealedBox(PublicKey(public_key)).encrypt(secret))


def unseal(private_key: bytes, sealed: bytes) -> bytes:
    try:
        return bytes(SealedBox(PrivateKey(private_key)).decrypt(sealed))
    except CryptoError:
        raise DecryptionError("this key cannot open the sealed secret") from None


def key_from_password(password: str, salt: bytes, ops: int = PASSWORD_OPS, memory: int = PASSWORD_MEMORY) -> bytes:
    """Argon2id: the key that protects a staff member's private key."""
    return bytes(pwhash.argon2id.kdf(KEY_BYTES, password.encode("utf-8"), salt, opslimit=ops, memlimit=memory))


def digest(secret: str, key: bytes, purpose: str) -> bytes:
    """A keyed digest for looking a high-entropy secret up without storing it."""
    return _keyed_blake2b(secret, key, b"d:" + _purpose(purpose))


def derive_key(secret: str, salt: bytes, purpose: str) -> bytes:
    """A key from a high-entropy secret (a receipt), different for every salt and purpose."""
    return _keyed_blake2b(secret, salt, b"k:" + _purpose(purpose))


def token_digest(token: str) -> str:
    """How a random link token (at least 128 bits) is stored: its BLAKE2b digest, hex."""
    return blake2b(token.encode("utf-8"), digest_size=32, person=b"safezones:token".ljust(16, b"\0")).decode("ascii")


def new_token() -> str:
    """A random token for a link, 192 bits, URL-safe."""
    return base64.urlsafe_b64encode(random(24)).decode("ascii")


def sign_webhook(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 of "timestamp.body", hex: what a receiver recomputes to trust a webhook."""
    return hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, "sha256").hexdigest()


def same(a: bytes, b: bytes) -> bool:
    """Compare secrets in constant time."""
    return hmac.compare_digest(a, b)


def _aad(context: str) -> bytes:
    return b"safezones:" + context.encode("utf-8")


def _purpose(purpose: str) -> bytes:
    encoded = purpose.encode("ascii")
    if len(encoded) > 14:
        raise ValueError("a purpose is at most 14 ASCII characters")
    return encoded


def _keyed_blake2b(secret: str, key: bytes, person: bytes) -> bytes:
    # The personalization keeps digests and derived keys of one secret apart.
    digest_ = blake2b(
        secret.encode("utf-8"), digest_size=32, key=key, person=person.ljust(16, b"\0"), encoder=RawEncoder
    )
    return bytes(digest_)
