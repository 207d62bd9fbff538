"""Where a package goes: a WebDAV share or a folder on this machine. Both write under a temporary
name first and then move the file into place in one step, so a DMS watching the share never picks
up half a file; the final name is the package's (the same on every attempt), so a repeat replaces
the file instead of adding a second one."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from pathlib import Path
from urllib.parse import quote, urljoin

import requests

from portalwerk.platform.handover.backends import DeliveryError, Problem

#: a name the DMS ignores (it takes only *_<message type>.zip) and no two attempts share
TEMPORARY_PREFIX = ".portalwerk-"


def _temporary_name(final_name: str) -> str:
    return f"{TEMPORARY_PREFIX}{secrets.token_hex(8)}-{final_name}.part"


class WebDAV:
    def __init__(self, url: str, *, username: str = "", password: str = "", timeout: float = 30):
        self.folder = url if url.endswith("/") else url + "/"
        self.session = requests.Session()
        if username:
            self.session.auth = (username, password)
        self.timeout = timeout

    def _url(self, name: str) -> str:
        return urljoin(self.folder, quote(name))

    def _request(self, method: str, url: str, **kwargs) -> requests.Response:
        try:
            return self.session.request(method, url, timeout=self.timeout, **kwargs)
        except requests.Timeout as error:
            raise DeliveryError(Problem.TIMEOUT, f"WebDAV {method}: no answer in time") from error
        except requests.ConnectionError as error:
            raise DeliveryError(
                Problem.UNREACHABLE, f"WebDAV {method}: {type(error).__name__}"
            ) from error
        except requests.RequestException as error:
            raise DeliveryError(
                Problem.CONFIGURATION, f"WebDAV {method}: {type(error).__name__}", retry=False
            ) from error

    def _check(self, response: requests.Response, method: str) -> None:
        status = response.status_code
        if status < 300:
            return
        detail = f"WebDAV {method} answered HTTP {status}"
        if status in (401, 403):
            raise DeliveryError(Problem.UNAUTHORISED, detail)
        if status == 413:
            raise DeliveryError(Problem.TOO_LARGE, detail)
        if status == 507:  # the share is full: it can be emptied, so trying later may help
            raise DeliveryError(Problem.TOO_LARGE, detail, retry=True)
        if status in (404, 409):  # the folder above the share's folder is missing
            raise DeliveryError(Problem.CONFIGURATION, detail, retry=False)
        if status >= 500:
            raise DeliveryError(Problem.RECEIVER_ERROR, detail)
        raise DeliveryError(Problem.REFUSED, detail)

    def _ensure_folder(self) -> None:
        response = self._request("PROPFIND", self.folder, headers={"Depth": "0"})
        if response.status_code == 404:
            created = self._request("MKCOL", self.folder)
            if created.status_code != 405:  # 405: someone else made it meanwhile
                self._check(created, "MKCOL")
            return
        self._check(response, "PROPFIND")

    def write(self, name: str, content: bytes) -> str:
        with self.session:
            return self._write(name, content)

    def _write(self, name: str, content: bytes) -> str:
        self._ensure_folder()
        temporary = self._url(_temporary_name(name))
        self._check(self._request("PUT", temporary, data=content), "PUT")
        final = self._url(name)
        moved = self._request("MOVE", temporary, headers={"Destination": final, "Overwrite": "T"})
        if moved.status_code >= 300:
            self._request("DELETE", temporary)  # best effort: leave no litter behind
        self._check(moved, "MOVE")
        return final

    def check(self) -> None:
        """Raise DeliveryError unless we may write into the folder: create and remove a probe."""
        with self.session:
            self._check_writable()

    def _check_writable(self) -> None:
        self._ensure_folder()
        probe = self._url(_temporary_name("check"))
        self._check(self._request("PUT", probe, data=b"portalwerk write check"), "PUT")
        self._check(self._request("DELETE", probe), "DELETE")


class Folder:
    def __init__(self, path: Path):
        self.path = path

    def _fail(self, error: OSError, doing: str) -> DeliveryError:
        detail = f"folder {doing}: {errno.errorcode.get(error.errno or 0, type(error).__name__)}"
        if error.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
            return DeliveryError(Problem.TOO_LARGE, detail, retry=True)
        if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOTDIR, errno.EEXIST):
            return DeliveryError(Problem.CONFIGURATION, detail, retry=False)
        return DeliveryError(Problem.RECEIVER_ERROR, detail)

    def write(self, name: str, content: bytes) -> str:
        final = self.path / name
        temporary = self.path / _temporary_name(name)
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            with open(temporary, "wb") as file:
                file.write(content)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, final)
        except OSError as error:
            with contextlib.suppress(OSError):
                temporary.unlink(missing_ok=True)
            raise self._fail(error, "write") from error
        return str(final)

    def check(self) -> None:
        probe = self.path / _temporary_name("check")
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            probe.write_bytes(b"portalwerk write check")
            probe.unlink()
        except OSError as error:
            raise self._fail(error, "check") from error
