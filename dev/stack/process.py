"""Child processes of the supervisor: they die with it (PR_SET_PDEATHSIG) and stop on SIGTERM."""
import asyncio
import ctypes
import logging
import signal
import subprocess

log = logging.getLogger(__name__)

PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


class Child:
    """One supervised process, its log file, and how to stop it."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], log_path, cwd=None):
        self.name = name
        self.argv = argv
        self.env = env
        self.log_path = log_path
        self.cwd = cwd
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        logfile = open(self.log_path, "ab")
        try:
            self.proc = await asyncio.create_subprocess_exec(
                *self.argv, env=self.env, cwd=self.cwd, stdin=subprocess.DEVNULL,
                stdout=logfile, stderr=subprocess.STDOUT, preexec_fn=_die_with_parent,
            )
        finally:
            logfile.close()

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc is not None else None

    @property
    def returncode(self) -> int | None:
        return self.proc.returncode if self.proc is not None else None

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.returncode is None

    async def stop(self, timeout: float = 15.0) -> None:
        if not self.running:
            return
        assert self.proc is not None  # running
        self.proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(self.proc.wait(), timeout)
        except TimeoutError:
            log.warning("%s did not stop in %.0fs, killing", self.name, timeout)
            self.proc.kill()
            await self.proc.wait()

    def log_tail(self, lines: int = 25) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""
