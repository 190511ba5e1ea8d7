"""The project's settings for the test suite: the same file, with its explicit test switch on.

The switch allows the built-in development SECRET_KEY, plain HTTP and unhashed static files;
nothing else reads it, and nothing turns it on but this module.
"""

import os

os.environ["NEWSROOM_TESTING"] = "1"

from newsroom.settings import *  # noqa: E402, F403
