import pytest


@pytest.fixture(autouse=True)
def backup_dir(settings, tmp_path):
    """Backups made by a test go to its own directory, never to var/backups."""
    settings.BACKUP_DIR = tmp_path / "backups"
    return settings.BACKUP_DIR
