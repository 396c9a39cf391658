"""What every part of the server shares: the configuration, the project's files, the invitations."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from translate.config import Config
from translate.serve.access import AccessStore, access_path
from translate.serve.project import ProjectFiles


@dataclass
class ServerState:
    config: Config
    files: ProjectFiles
    access: AccessStore
    closers: list[Callable[[], None]] = field(default_factory=list)  # what the parts release at shutdown

    @classmethod
    def for_config(cls, config: Config) -> ServerState:
        return cls(config, ProjectFiles(config), AccessStore(access_path(config)))
