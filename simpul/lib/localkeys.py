"""Keys for development, demo and tests, generated once and kept in the data directory.

Production never reaches this module: settings require the keys from the environment there.
"""

import base64
import fcntl
import json
import os
import secrets
from pathlib import Path


def _new_keys() -> dict[str, str]:
    return {
        "secret_key": secrets.token_urlsafe(50),
        "vault_keys": "k1:" + base64.b64encode(secrets.token_bytes(32)).decode(),
        "blind_index_key": base64.b64encode(secrets.token_bytes(32)).decode(),
        "audit_keys": "a1:" + base64.b64encode(secrets.token_bytes(32)).decode(),
        "backup_keys": "b1:" + base64.b64encode(secrets.token_bytes(32)).decode(),
    }


def _complete(path: Path, keys: dict[str, str]) -> dict[str, str]:
    """Add the keys a newer version introduced to an existing file; never replace one."""
    if set(_new_keys()) <= set(keys):
        return keys
    with open(path.with_suffix(".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # processes starting together add the same keys
        keys = dict(json.loads(path.read_text(encoding="utf-8")))
        missing = {k: v for k, v in _new_keys().items() if k not in keys}
        if missing:
            keys.update(missing)
            tmp = path.with_suffix(f".{os.getpid()}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(keys, fh)
            os.replace(tmp, path)
    return keys


def load_or_create_local_keys(data_dir: Path) -> dict[str, str]:
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / "local-keys.json"
    if path.exists():
        return _complete(path, dict(json.loads(path.read_text(encoding="utf-8"))))
    keys = _new_keys()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process created it first: use theirs
        return _complete(path, dict(json.loads(path.read_text(encoding="utf-8"))))
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(keys, fh)
    return keys
