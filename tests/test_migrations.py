from django.core.management import call_command


def test_the_models_and_migrations_agree(db):
    """A model change without its migration, or a migration that differs from
    run to run, fails here."""
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
