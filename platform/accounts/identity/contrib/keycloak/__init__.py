"""Sign-in through Keycloak (OpenID Connect, authorization code with PKCE): one realm for the
installation, one Keycloak organization per tenant (alias = the tenant's slug).

- `oidc.py`: python-keycloak's clients from the KEYCLOAK_* settings, and token validation;
- `signing_in.py`: the flow's two halves, the rules of who may enter a host, just-in-time users;
- `members.py`: per-user work at run time (invitations, membership, disabling who is gone);
- `directory.py`: clerks of the tenant's own directory (LDAP federation) join its organization;
- `state_accounts.py`: citizens and businesses through a state account (BundID, ELSTER), with
  the level of assurance and verified attributes of each sign-in;
- `logout.py`: RP-initiated and back-channel logout; `views.py`/`urls.py` are thin channels.

Enabled when KEYCLOAK_SERVER_URL (with realm, client id and secret) is set; see README."""
