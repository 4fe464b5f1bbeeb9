"""Generated demo and load data (`vangnet seed`). All people and numbers are invented.

- demo.py: the small demo region with a login for every role (SQLite or PostgreSQL);
- national.py: ~1,000,000 youth over 39 regions, loaded with PostgreSQL COPY;
- accounts.py: demo accounts, their shared password and TOTP devices (`vangnet demo_otp`).
"""


class SeedError(Exception):
    """The seed cannot run; the message says why and what to do."""
