"""The core: configuration, loading and validation, queries and figure builders (no Dash)."""

import pandas as pd

# pandas 3 keeps text columns in pyarrow arrays whenever pyarrow is installed (it is, for the
# release snapshots), and the tables' lookups (`map`, `take` over every observation) run 3–4×
# slower that way (bench/README.md, cold start): keep pandas' own string arrays, as before.
pd.set_option("mode.string_storage", "python")
