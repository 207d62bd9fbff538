"""The tenants' directories (the AD or LDAP their clerks sign in with), played by a real OpenLDAP
server: Debian's slapd, run by the tests as an ordinary process on a free loopback port from a
slapd.conf written to a temporary folder (no system configuration is used or touched), and
filled with ldapadd / changed with ldapmodify, as a directory administrator would.

One server holds one directory per test tenant, each its own database and suffix
(`dc=<slug>,dc=example`) with `ou=people` (inetOrgPerson entries, `uid` as user name),
`ou=groups` (groupOfNames: `portal-sachbearbeitung`, `portal-lesend`, `portal-admin`) and a
read-only bind account for Keycloak (`cn=keycloak,ou=services,…`).

`Directory` is started once per run by the `ldap_directory` session fixture (tests/conftest.py);
without slapd the tests that need it skip loudly (and fail under PORTALWERK_REQUIRE_ALL=1)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from components import free_port, unavailable, wait_for_port
from keycloak_realm import REALM

SLAPD = "/usr/sbin/slapd"
SCHEMAS = ("core", "cosine", "inetorgperson", "nis")
#: the directory groups every test directory has, as a data centre's AD might name them
GROUPS = ("portal-sachbearbeitung", "portal-lesend", "portal-admin")
READER_PASSWORD = "Leser-Kennwort-2026!"
ADMIN_PASSWORD = "Verzeichnis-Admin-2026!"
PASSWORD = "Verzeichnis-Passwort-2026!"


def suffix(slug: str) -> str:
    return f"dc={slug},dc=example"


def _config(folder: Path, slugs: list[str]) -> str:
    lines = [f"include /etc/ldap/schema/{name}.schema" for name in SCHEMAS]
    lines += [
        "modulepath /usr/lib/ldap",
        "moduleload back_mdb",
        f"pidfile {folder}/slapd.pid",
        f"argsfile {folder}/slapd.args",
        # people bind with their own password; only bound accounts (Keycloak's reader) read
        "access to attrs=userPassword by anonymous auth by * none",
        "access to * by users read by * none",
    ]
    for slug in slugs:
        (folder / slug).mkdir()
        lines += [
            "database mdb",
            f'suffix "{suffix(slug)}"',
            f'rootdn "cn=admin,{suffix(slug)}"',
            f"rootpw {ADMIN_PASSWORD}",
            f"directory {folder / slug}",
            "maxsize 16777216",
        ]
    return "\n".join(lines) + "\n"


def _entries(slug: str) -> str:
    base = suffix(slug)
    reader = f"cn=keycloak,ou=services,{base}"
    blocks = [
        f"dn: {base}\nobjectClass: dcObject\nobjectClass: organization\ndc: {slug}\no: {slug}",
        *(
            f"dn: ou={ou},{base}\nobjectClass: organizationalUnit\nou: {ou}"
            for ou in ("people", "groups", "services")
        ),
        f"dn: {reader}\nobjectClass: person\ncn: keycloak\nsn: Keycloak\n"
        f"userPassword: {READER_PASSWORD}",
        # groupOfNames needs a member; the reader stands in, so a group may lose every person
        *(
            f"dn: cn={group},ou=groups,{base}\nobjectClass: groupOfNames\ncn: {group}\n"
            f"member: {reader}"
            for group in GROUPS
        ),
    ]
    return "\n\n".join(blocks) + "\n"


@dataclass
class Directory:
    """A running slapd with one directory per tenant slug."""

    url: str
    folder: Path
    process: subprocess.Popen
    slugs: list[str]

    @classmethod
    def start(cls, slugs: list[str]) -> Directory:
        missing = [tool for tool in (SLAPD, "ldapadd", "ldapmodify") if not shutil.which(tool)]
        if missing:
            unavailable(
                "OpenLDAP",
                f"{', '.join(missing)} not found (Debian's slapd and ldap-utils; "
                "`make test` installs them when it runs as root)",
            )
        folder = Path(tempfile.mkdtemp(prefix="portalwerk-slapd-"))
        (folder / "slapd.conf").write_text(_config(folder, slugs))
        port = free_port()
        url = f"ldap://127.0.0.1:{port}"
        # -d 0: stay in the foreground (no fork), so this process is the server itself
        process = subprocess.Popen(
            [SLAPD, "-f", str(folder / "slapd.conf"), "-h", f"{url}/", "-d", "0"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        directory = cls(url=url, folder=folder, process=process, slugs=slugs)
        if not wait_for_port(port, timeout=20):
            output = b""
            if process.poll() is not None:
                output = process.stderr.read() if process.stderr else b""
            directory.stop()
            unavailable("OpenLDAP", f"slapd did not listen on {url}: {output.decode()[-500:]}")
        for slug in slugs:
            directory.ldap("ldapadd", slug, _entries(slug))
        return directory

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        shutil.rmtree(self.folder, ignore_errors=True)

    def ldap(self, tool: str, slug: str, ldif: str) -> None:
        """Run ldapadd / ldapmodify / ldapdelete as the directory's administrator."""
        command = [tool, "-x", "-H", self.url, "-D", f"cn=admin,{suffix(slug)}"]
        command += ["-w", ADMIN_PASSWORD]
        for _attempt in range(20):  # the first bind can come before the database is open
            result = subprocess.run(command, input=ldif.encode(), capture_output=True, timeout=30)
            if result.returncode == 0:
                return
            if b"Can't contact LDAP server" not in result.stderr:
                break
            time.sleep(0.25)
        raise AssertionError(f"{tool} failed: {result.stderr.decode()} for\n{ldif}")

    # what a directory administrator does

    def people_dn(self, slug: str) -> str:
        return f"ou=people,{suffix(slug)}"

    def groups_dn(self, slug: str) -> str:
        return f"ou=groups,{suffix(slug)}"

    def reader_dn(self, slug: str) -> str:
        return f"cn=keycloak,ou=services,{suffix(slug)}"

    def person_dn(self, slug: str, uid: str) -> str:
        return f"uid={uid},{self.people_dn(slug)}"

    def add_person(
        self,
        slug: str,
        uid: str,
        *,
        groups: tuple[str, ...] = (),
        first_name: str = "Dana",
        last_name: str = "Direktor",
        password: str = PASSWORD,
    ) -> str:
        """A person in the tenant's directory, member of these directory groups; their mail."""
        mail = f"{uid}@{slug}.example"
        self.ldap(
            "ldapadd",
            slug,
            f"dn: {self.person_dn(slug, uid)}\nobjectClass: inetOrgPerson\nuid: {uid}\n"
            f"cn: {first_name} {last_name}\ngivenName: {first_name}\nsn: {last_name}\n"
            f"mail: {mail}\nuserPassword: {password}\n",
        )
        for group in groups:
            self.add_to_group(slug, uid, group)
        return mail

    def _member_change(self, slug: str, uid: str, group: str, change: str) -> None:
        self.ldap(
            "ldapmodify",
            slug,
            f"dn: cn={group},{self.groups_dn(slug)}\nchangetype: modify\n"
            f"{change}: member\nmember: {self.person_dn(slug, uid)}\n",
        )

    def add_to_group(self, slug: str, uid: str, group: str) -> None:
        self._member_change(slug, uid, group, "add")

    def remove_from_group(self, slug: str, uid: str, group: str) -> None:
        self._member_change(slug, uid, group, "delete")

    def delete_person(self, slug: str, uid: str, *, groups: tuple[str, ...] = ()) -> None:
        for group in groups:
            self.remove_from_group(slug, uid, group)
        self.ldap("ldapdelete", slug, self.person_dn(slug, uid) + "\n")


# --- Keycloak federates the directories ---------------------------------------------------------

#: which directory group gives which of the tenant's roles (client role `<slug>:<role>`)
ROLE_OF_GROUP = {
    "portal-sachbearbeitung": "processor",
    "portal-lesend": "reader",
    "portal-admin": "tenant_admin",
}
USER_STORAGE = "org.keycloak.storage.UserStorageProvider"
LDAP_MAPPER = "org.keycloak.storage.ldap.mappers.LDAPStorageMapper"


def _values(values: dict) -> dict:
    return {key: [str(value)] for key, value in values.items()}


def federate(realm, directory: Directory, slug: str) -> str:
    """An LDAP user-storage provider in the installation realm for the tenant's directory (named
    after the tenant's slug, which is how the portal knows whose directory it is), read-only
    with import, and a group mapper that reads the person's directory groups at every sign-in;
    each mapped Keycloak group `/<slug>/<directory group>` holds the tenant's client role.
    Answers the provider's component id. (Terraform's job once the provisioning issue lands.)"""
    admin = realm.admin
    admin.create_group({"name": slug}, skip_exists=True)
    parent = admin.get_group_by_path(f"/{slug}")
    for group, role in ROLE_OF_GROUP.items():
        group_id = admin.create_group({"name": group}, parent=parent["id"], skip_exists=True)
        group_id = group_id or admin.get_group_by_path(f"/{slug}/{group}")["id"]
        wanted = admin.get_client_role(realm.client_uuid, f"{slug}:{role}")
        admin.assign_group_client_roles(group_id, realm.client_uuid, [wanted])
    component_id = admin.create_component(
        {
            "name": slug,
            "providerId": "ldap",
            "providerType": USER_STORAGE,
            "parentId": admin.get_realm(REALM)["id"],
            "config": _values(
                {
                    "enabled": "true",
                    "priority": "0",
                    "vendor": "other",
                    "connectionUrl": directory.url,
                    "authType": "simple",
                    "bindDn": directory.reader_dn(slug),
                    "bindCredential": READER_PASSWORD,
                    "usersDn": directory.people_dn(slug),
                    "searchScope": "1",
                    "usernameLDAPAttribute": "uid",
                    "rdnLDAPAttribute": "uid",
                    "uuidLDAPAttribute": "entryUUID",
                    "userObjectClasses": "inetOrgPerson, organizationalPerson",
                    "editMode": "READ_ONLY",
                    "importEnabled": "true",
                    "syncRegistrations": "false",
                    "trustEmail": "true",
                    "pagination": "true",
                    # every sign-in reads the person and their groups from the directory anew
                    "cachePolicy": "NO_CACHE",
                    "fullSyncPeriod": "-1",
                    "changedSyncPeriod": "-1",
                }
            ),
        }
    )
    admin.create_component(
        {
            "name": "directory groups",
            "providerId": "group-ldap-mapper",
            "providerType": LDAP_MAPPER,
            "parentId": component_id,
            "config": _values(
                {
                    "groups.dn": directory.groups_dn(slug),
                    "group.name.ldap.attribute": "cn",
                    "group.object.classes": "groupOfNames",
                    "preserve.group.inheritance": "false",
                    "ignore.missing.groups": "true",
                    "membership.ldap.attribute": "member",
                    "membership.attribute.type": "DN",
                    "membership.user.ldap.attribute": "uid",
                    "groups.ldap.filter": "",
                    "mode": "READ_ONLY",
                    "user.roles.retrieve.strategy": "LOAD_GROUPS_BY_MEMBER_ATTRIBUTE",
                    "memberof.ldap.attribute": "memberOf",
                    "mapped.group.attributes": "",
                    "drop.non.existing.groups.during.sync": "false",
                    "groups.path": f"/{slug}",
                }
            ),
        }
    )
    # the default "first name" mapper of a non-AD directory reads cn (the whole name)
    for mapper in admin.get_components({"parent": component_id, "type": LDAP_MAPPER}):
        if mapper["name"] == "first name":
            mapper["config"]["ldap.attribute"] = ["givenName"]
            admin.update_component(mapper["id"], mapper)
    return component_id
