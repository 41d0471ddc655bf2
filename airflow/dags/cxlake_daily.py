"""Airflow DAG `cxlake_daily`: the daily cxlake pipeline.

ingest -> customer360 -> clv, cohorts, kpis -> churn-score -> segment -> recommend -> actions, as
defined in conf/pipeline.json (jobs not enabled there have no task yet). Each task spark-submits the
cxlake jar for the day that just ended; jobs are idempotent per as-of date, so retries and
backfills are safe. Built by cxlake_pipeline.build_dag; see airflow/README.md for deployment.
"""

from cxlake_pipeline import build_dag

dag = build_dag("daily")
