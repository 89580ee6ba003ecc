import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from safezones.lib import crypto

# Small Argon2id settings keep the tests fast; the real ones are checked once.
FAST = {"ops": 1, "memory": 8 * 1024 * 1024}


@given(st.binary(max_size=4096), st.text(max_size=40))
@settings(max_examples=100, deadline=None)
def test_what_is_encrypted_decrypts_with_the_same_key_and_context(plaintext, context):
    key = crypto.new_key()
    assert crypto.decrypt(key, crypto.encrypt(key, plaintext, context), context) == plaintext


def test_the_same_plaintext_encrypts_differently_each_time():
    key = crypto.new_key()
    assert crypto.encrypt(key, b"same", "c") != crypto.encrypt(key, b"same", "c")


def test_a_ciphertext_does_not_contain_its_plaintext():
    key = crypto.new_key()
    assert b"canary-text" not in crypto.encrypt(key, b"canary-text", "case:1:message")


def test_another_key_cannot_decrypt():
    ciphertext = crypto.encrypt(crypto.new_key(), b"secret", "c")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(crypto.new_key(), ciphertext, "c")


def test_a_ciphertext_moved_to_another_context_does_not_decrypt():
    key = crypto.new_key()
    ciphertext = crypto.encrypt(key, b"secret", "case:1:message")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(key, ciphertext, "case:2:message")


@pytest.mark.parametrize("position", [0, 5, 30, -1])
def test_any_changed_byte_is_detected(position):
    key = crypto.new_key()
    ciphertext = bytearray(crypto.encrypt(key, b"a message from a family", "c"))
    ciphertext[position] ^= 0x01
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(key, bytes(ciphertext), "c")


def test_garbage_is_refused_cleanly():
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(crypto.new_key(), b"short", "c")


def test_a_sealed_secret_opens_only_with_the_matching_private_key():
    office, other = crypto.new_key_pair(), crypto.new_key_pair()
    case_key = crypto.new_key()
    sealed = crypto.seal(office.public, case_key)
    assert crypto.unseal(office.private, sealed) == case_key
    with pytest.raises(crypto.DecryptionError):
        crypto.unseal(other.private, sealed)


def test_a_password_key_depends_on_password_and_salt():
    salt = crypto.new_salt()
    key = crypto.key_from_password("correct horse battery staple", salt, **FAST)
    assert len(key) == crypto.KEY_BYTES
    assert key == crypto.key_from_password("correct horse battery staple", salt, **FAST)
    assert key != crypto.key_from_password("correct horse battery stapler", salt, **FAST)
    assert key != crypto.key_from_password("correct horse battery staple", crypto.new_salt(), **FAST)


def test_password_keys_cost_at_least_64_mib_by_default():
    assert crypto.PASSWORD_MEMORY >= 64 * 1024 * 1024
    key = crypto.key_from_password("a real password", crypto.new_salt())
    assert len(key) == crypto.KEY_BYTES


def test_digests_and_derived_keys_are_separated_by_key_and_purpose():
    salt = crypto.new_salt()
    assert crypto.digest("12345", salt, "receipt") == crypto.digest("12345", salt, "receipt")
    assert crypto.digest("12345", salt, "receipt") != crypto.digest("12345", crypto.new_salt(), "receipt")
    assert crypto.digest("12345", salt, "receipt") != crypto.digest("12345", salt, "other")
    assert crypto.derive_key("12345", salt, "case-key") != crypto.digest("12345", salt, "case-key")
    with pytest.raises(ValueError, match="14 ASCII"):
        crypto.digest("x", salt, "a purpose that is far too long")


def test_the_chain_of_keys_from_password_to_case_content():
    """A staff member's password opens their private key, which opens their
    office's key, which opens the case key, which opens what the family wrote."""
    salt = crypto.new_salt()
    member, office = crypto.new_key_pair(), crypto.new_key_pair()
    wrapped_member_key = crypto.encrypt(crypto.key_from_password("pw of the member", salt, **FAST), member.private, "u")
    office_share = crypto.seal(member.public, office.private)
    case_key = crypto.new_key()
    sealed_case_key = crypto.seal(office.public, case_key)
    content = crypto.encrypt(case_key, b"Necesito ayuda legal", "case:7:message")

    member_private = crypto.decrypt(crypto.key_from_password("pw of the member", salt, **FAST), wrapped_member_key, "u")
    office_private = crypto.unseal(member_private, office_share)
    opened_case_key = crypto.unseal(office_private, sealed_case_key)
    assert crypto.decrypt(opened_case_key, content, "case:7:message").decode() == "Necesito ayuda legal"
