"""The linkage engine: pure Python and SQL over Splink, with no Django import.

`features` turns person records into comparison columns, `model` builds the Splink settings
(comparisons, blocking rules, starting values), `pipeline` trains, predicts and clusters on
DuckDB or Spark, `clustering` keeps "not a match" decisions and stable cluster ids, and
`filelink` links a standalone CSV or Parquet file.
"""
