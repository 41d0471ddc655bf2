"""Airflow DAG `cxlake_weekly`: the weekly cxlake model retraining.

churn-train and the segmentation model refresh (segment-train), as of the last day of the week, as
defined in conf/pipeline.json (jobs not enabled there have no task yet). Each waits, through a
sensor, for the daily DAG's jobs it reads for that date. Jobs are idempotent per as-of date, so
retries and backfills are safe. Built by cxlake_pipeline.build_dag; see airflow/README.md.
"""

from cxlake_pipeline import build_dag

dag = build_dag("weekly")
