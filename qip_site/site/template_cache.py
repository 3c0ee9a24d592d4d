"""Templates compiled once, not at every build.

MkDocs makes a new Jinja environment for every build, and each `qip-site build` is a new process:
compiling Material's templates and ours took half the build of a small site, and a preview
rebuilds at every save. Compiled templates are kept in memory for the process, and on disk in
Jinja's own per-user folder of the system's temporary directory (created by Jinja with mode 0700
and refused if another user owns it). Jinja compares each template's source checksum, so an
edited template is compiled again. The cache is only a shortcut: when the disk cannot be read or
written, templates are simply compiled.
"""

from __future__ import annotations

from jinja2.bccache import Bucket, BytecodeCache, FileSystemBytecodeCache


class CompiledTemplates(BytecodeCache):
    def __init__(self) -> None:
        self.memory: dict[str, bytes] = {}
        self.disk: FileSystemBytecodeCache | None | bool = None  # False: no usable folder

    def _disk(self) -> FileSystemBytecodeCache | None:
        if self.disk is None:
            try:
                self.disk = FileSystemBytecodeCache()
            except (OSError, RuntimeError):
                self.disk = False
        return self.disk or None

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.memory:
            bucket.bytecode_from_string(self.memory[bucket.key])
            if bucket.code is not None:
                return
        disk = self._disk()
        if disk is not None:
            try:
                disk.load_bytecode(bucket)
            except (OSError, EOFError, ValueError, TypeError):
                bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.memory[bucket.key] = bucket.bytecode_to_string()
        disk = self._disk()
        if disk is not None:
            try:
                disk.dump_bytecode(bucket)
            except OSError:
                pass  # a full or read-only temporary folder: compiled again next time


COMPILED = CompiledTemplates()
