"""The provider's state file: its client, its users and their claims, and a spoiled token.

Shape: {"client": {"id", "secret", "redirect_uris", "post_logout_redirect_uris"},
"users": {username: {"password", "email", "email_verified", "groups", "name"}},
"spoil": null | "expired" | "audience" | "forged"}. Standard library only: the test
side writes it without importing Django's provider project.
"""

import json
import os
from pathlib import Path


def path(directory=None):
    return Path(directory or os.environ["PROVIDER_STATE_DIR"]) / "state.json"


def read(directory=None):
    return json.loads(path(directory).read_text())


def write(state, directory=None):
    target = path(directory)
    temporary = target.with_suffix(".tmp")
    temporary.write_text(json.dumps(state, indent=2))
    temporary.replace(target)  # the provider never reads half a file
