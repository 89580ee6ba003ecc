#!/usr/bin/env bash
# Encrypted backup of the Safe Zones database and media folder.
#
# Run nightly (deploy/systemd/safezones-backup.timer, or cron) as the user
# that runs Safe Zones, with the same environment file. Each run writes
#
#   $BACKUP_DIR/safezones-db-<UTC time>.dump.gpg     pg_dump -Fc (or SQLite image)
#   $BACKUP_DIR/safezones-media-<UTC time>.tar.gpg   the media folder
#
# encrypted to a public key whose private half is kept offline, and then
# deletes backups older than BACKUP_KEEP_DAYS, so that data deleted in the
# application is gone from the backups too after that many days.
#
# Environment:
#   DATABASE_URL                postgres://... or sqlite:////path (as the app reads it;
#                               unset means the app's default SQLite file)
#   SAFEZONES_DATA_DIR          data folder holding media/ (default /var/lib/safezones)
#   BACKUP_DIR                  where backups go (default /var/backups/safezones)
#   BACKUP_KEEP_DAYS            days to keep (default 14)
#   BACKUP_GPG_RECIPIENT_FILE   file holding the recipient's public key, or
#   BACKUP_GPG_RECIPIENT        key id, fingerprint or address in gpg's keyring
#
# Restore: see "Backups and restore" in docs/deploy.md.

set -euo pipefail
umask 077

data_dir="${SAFEZONES_DATA_DIR:-/var/lib/safezones}"
backup_dir="${BACKUP_DIR:-/var/backups/safezones}"
keep_days="${BACKUP_KEEP_DAYS:-14}"
database_url="${DATABASE_URL:-sqlite:///${data_dir}/safezones.sqlite3}"

fail() {
    echo "backup: $*" >&2
    exit 1
}

[[ "$keep_days" =~ ^[1-9][0-9]*$ ]] || fail "BACKUP_KEEP_DAYS must be a whole number of days, at least 1 (got '$keep_days')."

if [[ -n "${BACKUP_GPG_RECIPIENT_FILE:-}" ]]; then
    [[ -r "$BACKUP_GPG_RECIPIENT_FILE" ]] || fail "BACKUP_GPG_RECIPIENT_FILE names no readable file: $BACKUP_GPG_RECIPIENT_FILE"
    recipient=(--recipient-file "$BACKUP_GPG_RECIPIENT_FILE")
elif [[ -n "${BACKUP_GPG_RECIPIENT:-}" ]]; then
    recipient=(--recipient "$BACKUP_GPG_RECIPIENT")
else
    fail "set BACKUP_GPG_RECIPIENT_FILE (a public key file) or BACKUP_GPG_RECIPIENT (a key in gpg's keyring)."
fi

mkdir -p "$backup_dir"
# gpg needs its home folder to exist, even when it only encrypts to a file.
if [[ -n "${GNUPGHOME:-}" ]]; then
    mkdir -p "$GNUPGHOME"
    chmod 0700 "$GNUPGHOME"
fi
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
partial=""
trap '[[ -n "$partial" ]] && rm -f -- "$partial"' EXIT

# Each backup is written as TARGET.partial and renamed only after the whole
# pipeline (dump | gpg) has succeeded; a failed dump leaves no backup file
# that looks complete.
start() {
    partial="$1.partial"
}

encrypt() {
    gpg --batch --yes --quiet --no-tty --trust-model always "${recipient[@]}" \
        --encrypt --output "$partial"
}

finish() {
    mv -- "$partial" "$1"
    partial=""
    sync -- "$1"
    echo "backup: wrote $1 ($(stat -c %s -- "$1") bytes)"
}

# --- database -------------------------------------------------------------

case "$database_url" in
    postgres://* | postgresql://* | pgsql://*)
        # Hand the connection to pg_dump through libpq's environment
        # variables, so the password never appears in a process listing.
        pg_environment="$(
            python3 - "$database_url" <<'PYTHON'
import shlex
import sys
from urllib.parse import parse_qs, unquote, urlsplit

url = urlsplit(sys.argv[1])
values = {
    "PGHOST": unquote(url.hostname or ""),
    "PGPORT": str(url.port or ""),
    "PGUSER": unquote(url.username or ""),
    "PGPASSWORD": unquote(url.password or ""),
    "PGDATABASE": unquote(url.path.lstrip("/")),
    "PGSSLMODE": parse_qs(url.query).get("sslmode", [""])[0],
}
for name, value in values.items():
    if value:
        print(f"export {name}={shlex.quote(value)}")
PYTHON
        )"
        eval "$pg_environment"
        target="$backup_dir/safezones-db-$stamp.dump.gpg"
        start "$target"
        pg_dump --format=custom --no-password | encrypt
        finish "$target"
        ;;
    sqlite://*)
        database_file="${database_url#sqlite://}"
        database_file="${database_file#/}"
        [[ -f "$database_file" ]] || fail "no SQLite database at $database_file"
        # A consistent copy taken inside one read transaction (WAL mode lets
        # the application keep writing meanwhile); written straight to gpg.
        target="$backup_dir/safezones-db-$stamp.sqlite3.gpg"
        start "$target"
        python3 - "$database_file" <<'PYTHON' | encrypt
import sqlite3
import sys

connection = sqlite3.connect(sys.argv[1])
sys.stdout.buffer.write(connection.serialize())
connection.close()
PYTHON
        finish "$target"
        ;;
    *)
        fail "DATABASE_URL must start with postgres://, postgresql://, pgsql:// or sqlite://."
        ;;
esac

# --- media ------------------------------------------------------------------

if [[ -d "$data_dir/media" ]]; then
    target="$backup_dir/safezones-media-$stamp.tar.gpg"
    start "$target"
    tar -C "$data_dir" -cf - media | encrypt
    finish "$target"
else
    echo "backup: no media folder at $data_dir/media; skipped"
fi

# --- retention: only after this run's backups are complete ------------------

find "$backup_dir" -maxdepth 1 -type f -name 'safezones-*.gpg' -mmin "+$((keep_days * 1440))" -print -delete |
    sed 's/^/backup: deleted /'
find "$backup_dir" -maxdepth 1 -type f -name 'safezones-*.partial' -mmin +1440 -delete
