import pytest
from django.core.exceptions import ImproperlyConfigured

from safezones.lib.env import env_bool, env_int, env_list, env_secret, env_str, env_url
from safezones.lib.languages import catalogue_languages
from safezones.lib.mail import smtp_mailer


def test_booleans_accept_plain_words_and_refuse_anything_else(monkeypatch):
    monkeypatch.setenv("FLAG", "Yes")
    assert env_bool("FLAG", False) is True
    monkeypatch.setenv("FLAG", "off")
    assert env_bool("FLAG", True) is False
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG must be true or false, not 'maybe'"):
        env_bool("FLAG", False)


def test_numbers_are_checked(monkeypatch):
    monkeypatch.setenv("COUNT", "ten")
    with pytest.raises(ImproperlyConfigured, match="COUNT must be a whole number"):
        env_int("COUNT", 1)
    monkeypatch.setenv("COUNT", "-1")
    with pytest.raises(ImproperlyConfigured, match="COUNT must be at least 0"):
        env_int("COUNT", 1)
    monkeypatch.delenv("COUNT")
    assert env_int("COUNT", 7) == 7


def test_a_required_value_must_be_present(monkeypatch):
    monkeypatch.delenv("NEEDED", raising=False)
    with pytest.raises(ImproperlyConfigured, match="NEEDED must be set"):
        env_str("NEEDED")


def test_lists_are_split_on_commas(monkeypatch):
    monkeypatch.setenv("HOSTS", " a.example , b.example,,")
    assert env_list("HOSTS", []) == ["a.example", "b.example"]


def test_urls_must_have_an_expected_scheme(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "mysql://db/x")
    with pytest.raises(ImproperlyConfigured, match="DATABASE_URL must be a URL starting with one of"):
        env_url("DATABASE_URL", {"postgres", "sqlite"})


def test_secrets_come_from_the_variable_or_a_file(monkeypatch, tmp_path):
    monkeypatch.delenv("TOKEN", raising=False)
    monkeypatch.delenv("TOKEN_FILE", raising=False)
    with pytest.raises(ImproperlyConfigured, match="TOKEN must be set"):
        env_secret("TOKEN", default_file=tmp_path / "missing")
    secret = tmp_path / "token"
    secret.write_text("from-a-file\n")
    monkeypatch.setenv("TOKEN_FILE", str(secret))
    assert env_secret("TOKEN") == "from-a-file"
    secret.write_text("")
    with pytest.raises(ImproperlyConfigured, match="is empty"):
        env_secret("TOKEN")
    monkeypatch.setenv("TOKEN", "direct")
    assert env_secret("TOKEN") == "direct"


def test_smtp_urls_become_mailers():
    mailer = smtp_mailer("smtp+starttls://user%40district:p%3Ass@mail.district.example")
    assert mailer["OPTIONS"] == {
        "host": "mail.district.example",
        "port": 587,
        "username": "user@district",
        "password": "p:ss",
        "use_tls": True,
        "use_ssl": False,
        "timeout": 20,
    }
    assert smtp_mailer("smtps://mail.example")["OPTIONS"]["use_ssl"] is True
    with pytest.raises(ImproperlyConfigured, match="port"):
        smtp_mailer("smtp://mail.example:abc")


def test_the_languages_offered_are_the_catalogues_present(tmp_path):
    for code in ("es", "ko", "zh_Hans"):
        (tmp_path / code / "LC_MESSAGES").mkdir(parents=True)
        (tmp_path / code / "LC_MESSAGES" / "django.po").write_text("")
    codes = [code for code, _ in catalogue_languages(tmp_path, default="en")]
    assert codes == ["en", "es", "ko", "zh-hans"]


def test_a_url_can_come_from_a_file(monkeypatch, tmp_path):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    holder = tmp_path / "database_url"
    holder.write_text("postgres://app:s3cret@db.internal/safezones\n")
    monkeypatch.setenv("DATABASE_URL_FILE", str(holder))
    assert env_url("DATABASE_URL", {"postgres"}) == "postgres://app:s3cret@db.internal/safezones"
    monkeypatch.setenv("DATABASE_URL_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match=r"DATABASE_URL_FILE names .* cannot be read"):
        env_url("DATABASE_URL", {"postgres"})
