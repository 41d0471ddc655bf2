"""Builds the cxlake Airflow DAGs from the pipeline definition (conf/pipeline.json).

The same file drives `bin/cxlake run`, so the scheduled graph and the local one cannot drift apart.
Each enabled job becomes a SparkSubmitOperator task that submits the cxlake application jar with
the job's command and `--as-of` the date the run covers. A dependency on a job of the other DAG
(the weekly training waits for that day's daily jobs) becomes an ExternalTaskSensor. A job switched
off with "enabled": false gets no task; its dependents wait for its own dependencies.

Deployment settings come from Airflow Variables, read when the DAG file is parsed (set them as
AIRFLOW_VAR_* environment variables to keep the parse off the metadata database):
  cxlake_jar            application jar path or URI, as spark-submit sees it (required)
  cxlake_warehouse      warehouse root, e.g. s3a://bucket/cxlake/warehouse (required)
  cxlake_landing        landing root, e.g. s3a://bucket/cxlake/landing (required)
  cxlake_spark_conn_id  Spark connection id (default spark_default)
  cxlake_config         cxlake configuration file the driver can read (optional)
  cxlake_spark_conf     JSON object of extra spark-submit --conf settings (optional)
See airflow/README.md.
"""

from __future__ import annotations

import json
import os
import re
from datetime import datetime, timedelta, timezone

import airflow

try:  # Airflow 3
    from airflow.sdk import DAG, Variable
except ImportError:  # Airflow 2
    from airflow import DAG
    from airflow.models import Variable
try:  # Airflow 3: the standard provider
    from airflow.providers.standard.sensors.external_task import ExternalTaskSensor
except ImportError:  # Airflow 2
    from airflow.sensors.external_task import ExternalTaskSensor
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator
from airflow.timetables.interval import CronDataIntervalTimetable

MAIN_CLASS = "io.cxlake.jobs.cli.CxlakeCli"
SCHEDULES = ("daily", "weekly")

# The as-of date of a run is the last complete day of its data interval: a daily run covering
# [D 02:00, D+1 02:00) is as of D (= ds); a weekly run covering [X 02:00, X+7 02:00) is as of X+6.
AS_OF = {"daily": "{{ ds }}", "weekly": "{{ macros.ds_add(ds, 6) }}"}
# Logical date of the daily run with the same as-of date, relative to a weekly run's, for its
# sensors (ExternalTaskSensor looks at logical_date - execution_delta).
DAILY_RUN_FROM_WEEKLY = timedelta(days=-6)

VAR_JAR = "cxlake_jar"
VAR_WAREHOUSE = "cxlake_warehouse"
VAR_LANDING = "cxlake_landing"
VAR_CONN_ID = "cxlake_spark_conn_id"
VAR_CONFIG = "cxlake_config"
VAR_SPARK_CONF = "cxlake_spark_conf"
DEFAULT_CONN_ID = "spark_default"

IDEMPOTENCE = (
    "Every cxlake job is idempotent per as-of date: a rerun for the same date replaces that date's "
    "output partition, and sees only data before the end of that day. Retries, clearing a task and "
    "backfills (catchup) are therefore safe and never duplicate rows. Every attempt, failed ones "
    "included, appends a row to the `run_log` table."
)

_NAME = re.compile(r"^[a-z][a-z0-9-]*$")
_TOP_KEYS = {"description", "defaults", "spark_conf", "schedules", "jobs"}
_DEFAULT_KEYS = {"retries", "retry_delay_minutes", "max_retry_delay_minutes", "timeout_minutes", "sla_minutes"}
_SCHEDULE_KEYS = {"dag_id", "cron", "start_date", "dagrun_timeout_minutes", "description"}
_JOB_KEYS = {"name", "command", "schedule", "enabled", "description", "note", "depends_on", "runs_after", "args",
             "spark_conf", "retries", "timeout_minutes", "sla_minutes"}
_BUILT_IN_DEFAULTS = {"retries": 3, "retry_delay_minutes": 5, "max_retry_delay_minutes": 60,
                      "timeout_minutes": 120, "sla_minutes": 240}


def airflow_major_version():
    """Airflow's major version: SLAs exist up to Airflow 2 only."""
    return int(str(airflow.__version__).split(".")[0])


def pipeline_path():
    """The pipeline file: $CXLAKE_PIPELINE, else pipeline.json beside the DAGs, else the repository's."""
    if os.environ.get("CXLAKE_PIPELINE"):
        return os.environ["CXLAKE_PIPELINE"]
    here = os.path.dirname(os.path.abspath(__file__))
    candidates = [os.path.join(here, "pipeline.json"), os.path.join(here, "..", "..", "conf", "pipeline.json")]
    for candidate in candidates:
        if os.path.isfile(candidate):
            return os.path.normpath(candidate)
    raise FileNotFoundError("Cannot load pipeline: no pipeline.json beside the DAGs and no conf/pipeline.json (%s)"
                            % ", ".join(candidates))


def _fail(origin, reason, value):
    raise ValueError("Cannot load pipeline %s: %s (%s)" % (origin, reason, value))


def _check_keys(origin, where, obj, known):
    for key in sorted(obj):
        if key not in known:
            _fail(origin, "unknown key in %s; known: %s" % (where, sorted(known)), key)


def _count(origin, key, value, minimum):
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        _fail(origin, "%s must be a whole number of at least %d" % (key, minimum), value)
    return value


def _string(origin, key, value):
    if not isinstance(value, str) or not value.strip():
        _fail(origin, "%s must be a non-empty string" % key, value)
    return value


def _strings(origin, key, value):
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        _fail(origin, "%s must be a list of strings" % key, value)
    return list(value)


def _string_map(origin, key, value):
    if not isinstance(value, dict):
        _fail(origin, "%s must be an object" % key, value)
    for k, v in value.items():
        _string(origin, "%s.%s" % (key, k), v)
    return dict(value)


def load_pipeline(path=None):
    """Reads and validates the pipeline file, with the same rules as the Java loader.

    Returns a dict: schedules (by id), spark_conf, and jobs (a list, in file order, each with its
    defaults applied: command, depends_on, runs_after, args, spark_conf, retries, timeout_minutes,
    sla_minutes, note).
    """
    path = path or pipeline_path()
    origin = path
    with open(path, encoding="utf-8") as f:
        try:
            root = json.load(f)
        except json.JSONDecodeError as e:
            _fail(origin, "invalid JSON", e)
    if not isinstance(root, dict):
        _fail(origin, "the top level must be an object", type(root).__name__)
    _check_keys(origin, "the top level", root, _TOP_KEYS)
    defaults = dict(_BUILT_IN_DEFAULTS)
    given_defaults = root.get("defaults", {})
    _check_keys(origin, "defaults", given_defaults, _DEFAULT_KEYS)
    for key, value in given_defaults.items():
        defaults[key] = _count(origin, "defaults." + key, value, 0 if key == "retries" else 1)
    spark_conf = _string_map(origin, "spark_conf", root.get("spark_conf", {}))

    schedules = root.get("schedules")
    if not isinstance(schedules, dict) or sorted(schedules) != sorted(SCHEDULES):
        _fail(origin, "schedules must define exactly %s" % sorted(SCHEDULES),
              sorted(schedules) if isinstance(schedules, dict) else schedules)
    for sid, sched in schedules.items():
        where = "schedules." + sid
        _check_keys(origin, where, sched, _SCHEDULE_KEYS)
        for key in ("dag_id", "cron", "start_date", "description"):
            _string(origin, where + "." + key, sched.get(key))
        _count(origin, where + ".dagrun_timeout_minutes", sched.get("dagrun_timeout_minutes"), 1)
        try:
            datetime.strptime(sched["start_date"], "%Y-%m-%d")
        except ValueError:
            _fail(origin, where + ".start_date must be YYYY-MM-DD", sched["start_date"])
    _check_crons(origin, schedules)

    raw_jobs = root.get("jobs")
    if not isinstance(raw_jobs, list) or not raw_jobs:
        _fail(origin, "jobs must be a non-empty list", raw_jobs)
    jobs = []
    for raw in raw_jobs:
        if not isinstance(raw, dict):
            _fail(origin, "each job must be an object", raw)
        name = _string(origin, "job name", raw.get("name"))
        if not _NAME.match(name):
            _fail(origin, "job name must be lower-case letters, digits and '-'", name)
        where = "job " + name
        _check_keys(origin, where, raw, _JOB_KEYS)
        if raw.get("schedule") not in SCHEDULES:
            _fail(origin, where + " has an unknown schedule (daily or weekly)", raw.get("schedule"))
        if not isinstance(raw.get("enabled"), bool):
            _fail(origin, where + " enabled must be true or false", raw.get("enabled"))
        job = {
            "name": name,
            "command": _string(origin, where + " command", raw.get("command", name)),
            "schedule": raw["schedule"],
            "enabled": raw["enabled"],
            "description": _string(origin, where + " description", raw.get("description")),
            "note": _string(origin, where + " note", raw["note"]) if "note" in raw else "",
            "depends_on": _strings(origin, where + " depends_on", raw.get("depends_on")),
            "runs_after": _strings(origin, where + " runs_after", raw.get("runs_after")),
            "args": _strings(origin, where + " args", raw.get("args")),
            "spark_conf": _string_map(origin, where + " spark_conf", raw.get("spark_conf", {})),
        }
        for key in ("retries", "timeout_minutes", "sla_minutes"):
            job[key] = _count(origin, where + " " + key, raw.get(key, defaults[key]), 0 if key == "retries" else 1)
        jobs.append(job)

    by_name = {}
    for job in jobs:
        if job["name"] in by_name:
            _fail(origin, "duplicate job", job["name"])
        by_name[job["name"]] = job
    for job in jobs:
        for dep in job["depends_on"] + job["runs_after"]:
            if dep not in by_name:
                _fail(origin, "job %s depends on an unknown job" % job["name"], dep)
        for dep in job["depends_on"]:
            if job["schedule"] == "daily" and by_name[dep]["schedule"] == "weekly":
                _fail(origin, "daily job %s cannot depend on a weekly job; use runs_after to order it after the"
                              " model the weekly job trains" % job["name"], dep)
    _check_acyclic(origin, jobs, by_name)
    return {"origin": origin, "defaults": defaults, "spark_conf": spark_conf, "schedules": schedules, "jobs": jobs}


def _check_crons(origin, schedules):
    """Sensors find the daily run of a weekly run's as-of date by a fixed offset: both start at one time of day."""
    daily = schedules["daily"]["cron"].split()
    weekly = schedules["weekly"]["cron"].split()
    if len(daily) != 5 or daily[2:] != ["*", "*", "*"]:
        _fail(origin, "schedules.daily.cron must run once a day ('M H * * *')", schedules["daily"]["cron"])
    if len(weekly) != 5 or weekly[2:4] != ["*", "*"] or not re.match(r"^[0-6]$", weekly[4]):
        _fail(origin, "schedules.weekly.cron must run once a week ('M H * * D')", schedules["weekly"]["cron"])
    if daily[:2] != weekly[:2]:
        _fail(origin, "schedules.weekly.cron must start at the time of day of the daily cron",
              schedules["weekly"]["cron"])


def _check_acyclic(origin, jobs, by_name):
    state = {}

    def visit(name, path):
        if state.get(name) == "done":
            return
        if state.get(name) == "open":
            cycle = path[path.index(name):] + [name]
            _fail(origin, "dependency cycle", " -> ".join(reversed(cycle)))
        state[name] = "open"
        job = by_name[name]
        for dep in job["depends_on"] + job["runs_after"]:
            visit(dep, path + [name])
        state[name] = "done"

    for job in jobs:
        visit(job["name"], [])


def _edges(job, by_name):
    """What a task waits for in Airflow: its dependencies, and runs_after within its own DAG."""
    return job["depends_on"] + [r for r in job["runs_after"] if by_name[r]["schedule"] == job["schedule"]]


def upstream_jobs(pipeline, name):
    """The enabled jobs (of either schedule) a job's task waits for directly.

    A disabled job has no task: its dependents wait for its own dependencies instead. Upstreams
    already implied by another upstream are dropped, so the graph shows no redundant edges.
    """
    by_name = {j["name"]: j for j in pipeline["jobs"]}
    found = []

    def collect(dep):
        if by_name[dep]["enabled"]:
            if dep not in found:
                found.append(dep)
        else:
            for d in _edges(by_name[dep], by_name):
                collect(d)

    for dep in _edges(by_name[name], by_name):
        collect(dep)

    def ancestors(n, seen):
        for d in _edges(by_name[n], by_name):
            if d not in seen:
                seen.add(d)
                ancestors(d, seen)
        return seen

    implied = set()
    for dep in found:
        implied |= ancestors(dep, set())
    return [d for d in found if d not in implied]


def _variable(name, default=None, required_for=None):
    # Positional default: Airflow 2 calls it default_var, Airflow 3 default.
    value = Variable.get(name, default)
    if required_for and (value is None or not str(value).strip()):
        raise ValueError("Cannot build the cxlake DAGs: Airflow Variable %s is not set (%s)" % (name, required_for))
    return value


def _settings():
    extra = _variable(VAR_SPARK_CONF, None)
    if extra:
        extra = json.loads(extra) if isinstance(extra, str) else extra
        if not isinstance(extra, dict):
            raise ValueError("Cannot build the cxlake DAGs: Airflow Variable %s must be a JSON object (%s)"
                             % (VAR_SPARK_CONF, extra))
    return {
        "jar": _variable(VAR_JAR, None, "the cxlake application jar, e.g. s3a://bucket/cxlake/cxlake.jar"),
        "warehouse": _variable(VAR_WAREHOUSE, None, "the warehouse root, e.g. s3a://bucket/cxlake/warehouse"),
        "landing": _variable(VAR_LANDING, None, "the landing root, e.g. s3a://bucket/cxlake/landing"),
        "conn_id": _variable(VAR_CONN_ID, None) or DEFAULT_CONN_ID,
        "config": _variable(VAR_CONFIG, None),
        "spark_conf": {str(k): str(v) for k, v in (extra or {}).items()},
    }


def application_args(job, schedule, settings):
    """The cxlake command line of a job's task (after the jar): the same as `bin/cxlake <command> ...`."""
    args = [job["command"], "--as-of", AS_OF[schedule],
            "--warehouse", settings["warehouse"], "--landing", settings["landing"]]
    if settings["config"]:
        args += ["--config", settings["config"]]
    return args + job["args"]


def _task_doc(job, schedule, ups, pipeline):
    by_name = {j["name"]: j for j in pipeline["jobs"]}
    upstream = ", ".join("`%s`" % u if by_name[u]["schedule"] == schedule else "`%s` of the %s DAG (sensor)"
                         % (u, by_name[u]["schedule"]) for u in ups) or "nothing"
    lines = [
        "### cxlake %s" % job["name"],
        "",
        job["description"],
        "",
        "Runs `cxlake %s --as-of %s` (%s schedule) on the application jar with spark-submit; "
        "main class `%s`. Waits for: %s." % (job["command"], AS_OF[schedule], schedule, MAIN_CLASS, upstream),
        "",
        IDEMPOTENCE,
        "",
        "Defined in `%s` (job `%s`); `bin/cxlake run --as-of DATE --only %s` runs the same job locally."
        % (os.path.basename(pipeline["origin"]), job["name"], job["name"]),
    ]
    return "\n".join(lines)


def _dag_doc(schedule, pipeline, tasks):
    sched = pipeline["schedules"][schedule]
    skipped = [j for j in pipeline["jobs"] if j["schedule"] == schedule and not j["enabled"]]
    lines = [
        "## cxlake %s" % schedule,
        "",
        sched["description"],
        "",
        "Built from the pipeline definition `%s`, the file `bin/cxlake run` also reads. Each task "
        "spark-submits the cxlake application jar (main class `%s`) with the job's command and "
        "`--as-of %s`: the last complete day of the run's data interval." % (
            os.path.basename(pipeline["origin"]), MAIN_CLASS, AS_OF[schedule]),
        "",
        IDEMPOTENCE,
        "",
        "Runs one at a time (`max_active_runs=1`), with catchup from the start date for backfills; "
        "failed tasks retry with exponential backoff.",
        "",
        "Tasks: %s." % (", ".join("`%s`" % t for t in tasks) or "none yet"),
    ]
    if skipped:
        lines += ["", "Declared but not enabled yet (no task): %s." % ", ".join(
            "`%s`%s" % (j["name"], " (%s)" % j["note"] if j["note"] else "") for j in skipped)]
    return "\n".join(lines)


def build_dag(schedule, pipeline=None):
    """The DAG of one schedule ('daily' or 'weekly') of the pipeline."""
    if schedule not in SCHEDULES:
        raise ValueError("Cannot build the cxlake DAGs: unknown schedule (%s)" % schedule)
    pipeline = pipeline or load_pipeline()
    settings = _settings()
    sched = pipeline["schedules"][schedule]
    defaults = pipeline["defaults"]
    jobs = [j for j in pipeline["jobs"] if j["schedule"] == schedule and j["enabled"]]
    upstreams = {j["name"]: upstream_jobs(pipeline, j["name"]) for j in jobs}
    by_name = {j["name"]: j for j in pipeline["jobs"]}
    with_sla = airflow_major_version() < 3

    dag = DAG(
        dag_id=sched["dag_id"],
        description=sched["description"],
        doc_md=_dag_doc(schedule, pipeline, [j["name"] for j in jobs]),
        # Interval semantics on every Airflow version: a run starts when its interval is over, and
        # ds is the interval's first day.
        schedule=CronDataIntervalTimetable(sched["cron"], timezone="UTC"),
        start_date=datetime.strptime(sched["start_date"], "%Y-%m-%d").replace(tzinfo=timezone.utc),
        catchup=True,
        max_active_runs=1,
        dagrun_timeout=timedelta(minutes=sched["dagrun_timeout_minutes"]),
        default_args={
            "owner": "cxlake",
            "depends_on_past": False,
            "retries": defaults["retries"],
            "retry_delay": timedelta(minutes=defaults["retry_delay_minutes"]),
            "retry_exponential_backoff": True,
            "max_retry_delay": timedelta(minutes=defaults["max_retry_delay_minutes"]),
        },
        tags=["cxlake", schedule],
    )
    with dag:
        tasks = {}
        for job in jobs:
            extra = {"sla": timedelta(minutes=job["sla_minutes"])} if with_sla else {}
            conf = dict(pipeline["spark_conf"])
            conf.update(job["spark_conf"])
            conf.update(settings["spark_conf"])
            tasks[job["name"]] = SparkSubmitOperator(
                task_id=job["name"],
                conn_id=settings["conn_id"],
                application=settings["jar"],
                java_class=MAIN_CLASS,
                name="cxlake-" + job["name"],
                application_args=application_args(job, schedule, settings),
                conf=conf,
                retries=job["retries"],
                execution_timeout=timedelta(minutes=job["timeout_minutes"]),
                doc_md=_task_doc(job, schedule, upstreams[job["name"]], pipeline),
                **extra,
            )
        sensors = {}
        for job in jobs:
            for up in upstreams[job["name"]]:
                if up in tasks:
                    tasks[up] >> tasks[job["name"]]
                    continue
                if up not in sensors:
                    other = by_name[up]["schedule"]
                    other_dag = pipeline["schedules"][other]
                    sensors[up] = ExternalTaskSensor(
                        task_id="wait_for_%s_%s" % (other, up),
                        external_dag_id=other_dag["dag_id"],
                        external_task_id=up,
                        execution_delta=DAILY_RUN_FROM_WEEKLY,
                        allowed_states=["success"],
                        failed_states=["failed", "upstream_failed"],
                        mode="reschedule",
                        poke_interval=300,
                        timeout=other_dag["dagrun_timeout_minutes"] * 60,
                        doc_md="Waits for task `%s` of DAG `%s` for the same as-of date (%s)." % (
                            up, other_dag["dag_id"], AS_OF[schedule]),
                    )
                sensors[up] >> tasks[job["name"]]
    return dag
