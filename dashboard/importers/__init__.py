"""Importers: reshape what ministries publish (DHIS2, Open SDG, SDMX, officers' workbooks) into
the release tables, through mapping files kept as data in `data/channels/`.

They only reshape and map codes. Every rule a value must obey is checked by the one validation
path (`dashboard.loading` through `dashboard.publish`) when the draft they write is published.
"""
