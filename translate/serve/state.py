"""What every part of the server shares: the configuration, the project's files, the invitations."""

from __future__ import annotations

from dataclasses import dataclass

from translate.config import Config
from translate.serve.access import AccessStore, access_path
from translate.serve.project import ProjectFiles


@dataclass
class ServerState:
    config: Config
    files: ProjectFiles
    access: AccessStore

    @classmethod
    def for_config(cls, config: Config) -> ServerState:
        return cls(config, ProjectFiles(config), AccessStore(access_path(config)))
