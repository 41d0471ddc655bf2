"""The cxlake DAGs against conf/pipeline.json, without Airflow installed.

A minimal stand-in for the Airflow classes the DAG files use (DAG, Variable, SparkSubmitOperator,
ExternalTaskSensor, CronDataIntervalTimetable) is installed into sys.modules, in the module layout
of Airflow 2 or of Airflow 3. The stand-in operators reject keyword arguments the real ones do not
take. Each test imports the DAG modules afresh and compares their tasks, dependencies, schedule and
spark-submit arguments with the pipeline file. Run: python3 -m unittest discover -s airflow/tests
"""

import copy
import importlib
import json
import os
import sys
import tempfile
import types
import unittest
from datetime import datetime, timedelta, timezone

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
DAGS = os.path.join(ROOT, "airflow", "dags")
PIPELINE = os.path.join(ROOT, "conf", "pipeline.json")

# Keyword arguments of the real classes (Airflow 2.10 / 3.1, apache-spark provider 5.x) that a
# DAG file may use; a misspelt one fails here as it would in Airflow.
BASE_OPERATOR_KWARGS = {
    "task_id", "owner", "email", "retries", "retry_delay", "retry_exponential_backoff", "max_retry_delay",
    "start_date", "end_date", "depends_on_past", "wait_for_downstream", "dag", "params", "default_args",
    "priority_weight", "weight_rule", "queue", "pool", "pool_slots", "sla", "execution_timeout",
    "on_failure_callback", "on_success_callback", "on_retry_callback", "trigger_rule", "doc_md", "doc",
    "executor_config", "do_xcom_push", "task_group", "max_active_tis_per_dag",
}
SPARK_SUBMIT_KWARGS = BASE_OPERATOR_KWARGS | {
    "application", "conf", "conn_id", "files", "py_files", "archives", "driver_class_path", "jars",
    "java_class", "packages", "exclude_packages", "repositories", "total_executor_cores", "executor_cores",
    "executor_memory", "driver_memory", "keytab", "principal", "proxy_user", "name", "num_executors",
    "status_poll_interval", "application_args", "env_vars", "verbose", "spark_binary", "properties_file",
    "yarn_queue", "deploy_mode", "use_krb5ccache",
}
EXTERNAL_TASK_SENSOR_KWARGS = BASE_OPERATOR_KWARGS | {
    "external_dag_id", "external_task_id", "external_task_ids", "external_task_group_id", "allowed_states",
    "skipped_states", "failed_states", "execution_delta", "execution_date_fn", "check_existence", "poll_interval",
    "deferrable", "mode", "poke_interval", "timeout", "soft_fail", "exponential_backoff", "max_wait",
}
DAG_KWARGS = {
    "dag_id", "description", "schedule", "start_date", "end_date", "default_args", "max_active_tasks",
    "max_active_runs", "dagrun_timeout", "catchup", "doc_md", "params", "tags", "owner_links",
    "render_template_as_native_obj", "is_paused_upon_creation", "max_consecutive_failed_dag_runs",
}


class FakeDAG:
    current = None

    def __init__(self, **kwargs):
        unknown = set(kwargs) - DAG_KWARGS
        if unknown:
            raise TypeError("DAG got unexpected keyword arguments %s" % sorted(unknown))
        self.kwargs = kwargs
        self.dag_id = kwargs["dag_id"]
        self.tasks = {}

    def __enter__(self):
        FakeDAG.current = self
        return self

    def __exit__(self, *exc):
        FakeDAG.current = None
        return False


class FakeOperator:
    allowed = BASE_OPERATOR_KWARGS

    def __init__(self, **kwargs):
        unknown = set(kwargs) - self.allowed
        if unknown:
            raise TypeError("%s got unexpected keyword arguments %s" % (type(self).__name__, sorted(unknown)))
        self.kwargs = kwargs
        self.task_id = kwargs["task_id"]
        self.upstream = set()
        dag = kwargs.get("dag") or FakeDAG.current
        if dag is None:
            raise RuntimeError("operator %s created outside a DAG" % self.task_id)
        if self.task_id in dag.tasks:
            raise ValueError("duplicate task id %s" % self.task_id)
        dag.tasks[self.task_id] = self

    def __rshift__(self, other):
        for o in other if isinstance(other, list) else [other]:
            o.upstream.add(self.task_id)
        return other


class FakeSparkSubmitOperator(FakeOperator):
    allowed = SPARK_SUBMIT_KWARGS


class FakeExternalTaskSensor(FakeOperator):
    allowed = EXTERNAL_TASK_SENSOR_KWARGS


class FakeTimetable:
    def __init__(self, cron, timezone):
        self.cron = cron
        self.timezone = timezone


class FakeVariable:
    values = {}

    @classmethod
    def get(cls, key, default=None, deserialize_json=False):
        return cls.values.get(key, default)


def module(name, **attrs):
    m = types.ModuleType(name)
    for k, v in attrs.items():
        setattr(m, k, v)
    return m


def stand_in(major):
    """The modules of a fake Airflow of that major version."""
    mods = {
        "airflow": module("airflow", __version__="%d.1.0" % major),
        "airflow.providers": module("airflow.providers"),
        "airflow.providers.apache": module("airflow.providers.apache"),
        "airflow.providers.apache.spark": module("airflow.providers.apache.spark"),
        "airflow.providers.apache.spark.operators": module("airflow.providers.apache.spark.operators"),
        "airflow.providers.apache.spark.operators.spark_submit": module(
            "airflow.providers.apache.spark.operators.spark_submit", SparkSubmitOperator=FakeSparkSubmitOperator),
        "airflow.timetables": module("airflow.timetables"),
        "airflow.timetables.interval": module("airflow.timetables.interval", CronDataIntervalTimetable=FakeTimetable),
    }
    if major >= 3:
        mods["airflow.sdk"] = module("airflow.sdk", DAG=FakeDAG, Variable=FakeVariable)
        mods["airflow.providers.standard"] = module("airflow.providers.standard")
        mods["airflow.providers.standard.sensors"] = module("airflow.providers.standard.sensors")
        mods["airflow.providers.standard.sensors.external_task"] = module(
            "airflow.providers.standard.sensors.external_task", ExternalTaskSensor=FakeExternalTaskSensor)
    else:
        mods["airflow"].DAG = FakeDAG
        mods["airflow.models"] = module("airflow.models", Variable=FakeVariable)
        mods["airflow.sensors"] = module("airflow.sensors")
        mods["airflow.sensors.external_task"] = module(
            "airflow.sensors.external_task", ExternalTaskSensor=FakeExternalTaskSensor)
    return mods


VARIABLES = {
    "cxlake_jar": "s3a://bucket/cxlake/cxlake.jar",
    "cxlake_warehouse": "s3a://bucket/cxlake/warehouse",
    "cxlake_landing": "s3a://bucket/cxlake/landing",
}

DAG_MODULES = ("cxlake_daily", "cxlake_weekly", "cxlake_pipeline")


class DagTestCase(unittest.TestCase):
    major = 2

    def setUp(self):
        self.saved_modules = dict(sys.modules)
        self.saved_env = os.environ.get("CXLAKE_PIPELINE")
        self.saved_path = list(sys.path)
        for name in list(sys.modules):
            if name == "airflow" or name.startswith("airflow.") or name in DAG_MODULES:
                del sys.modules[name]
        sys.modules.update(stand_in(self.major))
        sys.path.insert(0, DAGS)
        FakeVariable.values = dict(VARIABLES)
        os.environ.pop("CXLAKE_PIPELINE", None)
        with open(PIPELINE, encoding="utf-8") as f:
            self.raw = json.load(f)

    def tearDown(self):
        sys.modules.clear()
        sys.modules.update(self.saved_modules)
        sys.path[:] = self.saved_path
        if self.saved_env is None:
            os.environ.pop("CXLAKE_PIPELINE", None)
        else:
            os.environ["CXLAKE_PIPELINE"] = self.saved_env

    def load(self, name):
        for m in DAG_MODULES:
            sys.modules.pop(m, None)
        return importlib.import_module(name).dag

    def use_pipeline(self, raw):
        """Points the DAGs at a modified copy of the pipeline file."""
        tmp = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8")
        with tmp:
            json.dump(raw, tmp)
        self.addCleanup(os.remove, tmp.name)
        os.environ["CXLAKE_PIPELINE"] = tmp.name

    def all_enabled(self):
        raw = copy.deepcopy(self.raw)
        for job in raw["jobs"]:
            job["enabled"] = True
        return raw

    @staticmethod
    def edges(dag):
        return {(up, t.task_id) for t in dag.tasks.values() for up in t.upstream}


class PipelineDagsTest(DagTestCase):
    """Airflow 2 layout (airflow.DAG, airflow.models.Variable, airflow.sensors)."""

    def expected_upstreams(self, jobs, name):
        """Independent of the module: enabled upstreams, looking through disabled jobs, minus implied ones."""
        by_name = {j["name"]: j for j in jobs}

        def direct(n):
            j = by_name[n]
            return j.get("depends_on", []) + [r for r in j.get("runs_after", [])
                                              if by_name[r]["schedule"] == j["schedule"]]

        def first_enabled(n):
            return {n} if by_name[n]["enabled"] else set().union(*[first_enabled(d) for d in direct(n)] or [set()])

        def closure(n):
            out = set()
            for d in direct(n):
                out |= {d} | closure(d)
            return out

        ups = set().union(*[first_enabled(d) for d in direct(name)] or [set()])
        return {u for u in ups if not any(u in closure(v) for v in ups if v != u)}

    def test_daily_dag_has_a_task_per_enabled_daily_job_with_the_file_dependencies(self):
        dag = self.load("cxlake_daily")
        enabled = [j["name"] for j in self.raw["jobs"] if j["schedule"] == "daily" and j["enabled"]]
        self.assertEqual(sorted(dag.tasks), sorted(enabled), "task ids = enabled daily jobs")
        for name in enabled:
            self.assertEqual(dag.tasks[name].upstream, self.expected_upstreams(self.raw["jobs"], name),
                             "upstream of %s" % name)
        self.assertIn(("ingest", "customer360"), self.edges(dag))

    def test_weekly_dag_has_a_task_per_enabled_weekly_job(self):
        dag = self.load("cxlake_weekly")
        enabled = [j["name"] for j in self.raw["jobs"] if j["schedule"] == "weekly" and j["enabled"]]
        jobs = {t for t in dag.tasks if not t.startswith("wait_for_")}
        self.assertEqual(jobs, set(enabled), "job tasks = enabled weekly jobs")

    def test_with_every_job_enabled_the_dags_are_the_target_graph(self):
        self.use_pipeline(self.all_enabled())
        daily = self.load("cxlake_daily")
        self.assertEqual(set(daily.tasks), {"ingest", "customer360", "clv", "cohorts", "kpis", "churn-score",
                                            "segment", "recommend", "actions", "export-actions", "campaign-results",
                                            "report", "catalog-sync"})
        self.assertEqual(self.edges(daily), {
            ("ingest", "customer360"),
            ("customer360", "clv"), ("customer360", "cohorts"), ("customer360", "kpis"),
            ("clv", "churn-score"), ("cohorts", "churn-score"), ("kpis", "churn-score"),
            ("churn-score", "segment"), ("segment", "recommend"), ("recommend", "actions"),
            ("actions", "export-actions"), ("actions", "campaign-results"), ("campaign-results", "report"),
            ("campaign-results", "catalog-sync"), ("export-actions", "catalog-sync"),
        })
        # A command with a sub-action: the action follows the common options, as bin/cxlake takes it.
        self.assertEqual(daily.tasks["catalog-sync"].kwargs["application_args"][:3], ["catalog", "--as-of", "{{ ds }}"])
        self.assertEqual(daily.tasks["catalog-sync"].kwargs["application_args"][-1], "sync")
        weekly = self.load("cxlake_weekly")
        self.assertEqual(set(weekly.tasks), {"churn-train", "segment-train", "maintain", "wait_for_daily_clv",
                                             "wait_for_daily_customer360", "wait_for_daily_catalog-sync"})
        # maintain compacts and vacuums after the day's daily jobs and the week's training are done.
        self.assertEqual(self.edges(weekly), {("wait_for_daily_clv", "churn-train"),
                                              ("wait_for_daily_customer360", "segment-train"),
                                              ("wait_for_daily_catalog-sync", "maintain"),
                                              ("churn-train", "maintain"), ("segment-train", "maintain")})
        sensor = weekly.tasks["wait_for_daily_clv"].kwargs
        self.assertEqual(sensor["external_dag_id"], "cxlake_daily")
        self.assertEqual(sensor["external_task_id"], "clv")
        # Weekly run of logical date X (as of X+6) waits for the daily run of logical date X+6.
        self.assertEqual(sensor["execution_delta"], timedelta(days=-6))
        self.assertEqual(sensor["mode"], "reschedule")
        self.assertEqual(weekly.tasks["churn-train"].kwargs["application_args"][:3],
                         ["churn-train", "--as-of", "{{ macros.ds_add(ds, 6) }}"])

    def test_a_disabled_job_passes_its_dependencies_on(self):
        raw = self.all_enabled()
        for job in raw["jobs"]:
            if job["name"] in ("churn-score", "cohorts", "clv"):
                job["enabled"] = False
        self.use_pipeline(raw)
        daily = self.load("cxlake_daily")
        self.assertEqual(daily.tasks["segment"].upstream, {"kpis"},
                         "segment waits for churn-score's upstreams, clv's and cohorts' (customer360) in their place, "
                         "where kpis already implies customer360")
        weekly = self.load("cxlake_weekly")
        self.assertEqual(weekly.tasks["churn-train"].upstream, {"wait_for_daily_customer360"})

    def test_schedule_catchup_and_runs_match_the_pipeline(self):
        for schedule, module_name in (("daily", "cxlake_daily"), ("weekly", "cxlake_weekly")):
            dag = self.load(module_name)
            spec = self.raw["schedules"][schedule]
            kw = dag.kwargs
            self.assertEqual(dag.dag_id, spec["dag_id"])
            self.assertEqual(kw["schedule"].cron, spec["cron"], "cron of %s" % schedule)
            self.assertEqual(kw["schedule"].timezone, "UTC")
            self.assertEqual(kw["start_date"], datetime.strptime(spec["start_date"], "%Y-%m-%d")
                             .replace(tzinfo=timezone.utc))
            self.assertIs(kw["catchup"], True, "backfills")
            self.assertEqual(kw["max_active_runs"], 1)
            self.assertEqual(kw["dagrun_timeout"], timedelta(minutes=spec["dagrun_timeout_minutes"]))
            defaults = self.raw["defaults"]
            self.assertEqual(kw["default_args"]["retries"], defaults["retries"])
            self.assertIs(kw["default_args"]["retry_exponential_backoff"], True)
            self.assertEqual(kw["default_args"]["retry_delay"], timedelta(minutes=defaults["retry_delay_minutes"]))
            self.assertEqual(kw["default_args"]["max_retry_delay"],
                             timedelta(minutes=defaults["max_retry_delay_minutes"]))
            self.assertIn("idempotent per as-of date", kw["doc_md"])
            self.assertIn("backfills", kw["doc_md"])

    def test_spark_submit_arguments_match_the_pipeline(self):
        FakeVariable.values["cxlake_config"] = "/etc/cxlake/prod.conf"
        FakeVariable.values["cxlake_spark_conf"] = '{"spark.executor.memory": "8g"}'
        dag = self.load("cxlake_daily")
        jobs = {j["name"]: j for j in self.raw["jobs"]}
        for task_id, task in dag.tasks.items():
            job, kw = jobs[task_id], task.kwargs
            self.assertEqual(kw["conn_id"], "spark_default")
            self.assertEqual(kw["application"], "s3a://bucket/cxlake/cxlake.jar")
            self.assertEqual(kw["java_class"], "io.cxlake.jobs.cli.CxlakeCli")
            self.assertEqual(kw["application_args"],
                             [job.get("command", task_id), "--as-of", "{{ ds }}",
                              "--warehouse", "s3a://bucket/cxlake/warehouse", "--landing", "s3a://bucket/cxlake/landing",
                              "--config", "/etc/cxlake/prod.conf"] + job.get("args", []))
            expected_conf = dict(self.raw["spark_conf"], **job.get("spark_conf", {}))
            expected_conf["spark.executor.memory"] = "8g"
            self.assertEqual(kw["conf"], expected_conf)
            self.assertEqual(kw["retries"], job.get("retries", self.raw["defaults"]["retries"]))
            self.assertEqual(kw["execution_timeout"],
                             timedelta(minutes=job.get("timeout_minutes", self.raw["defaults"]["timeout_minutes"])))
            self.assertEqual(kw["sla"], timedelta(minutes=job.get("sla_minutes", self.raw["defaults"]["sla_minutes"])))
            self.assertIn(job["description"], kw["doc_md"])
            self.assertIn("idempotent per as-of date", kw["doc_md"])

    def test_connection_id_comes_from_a_variable(self):
        FakeVariable.values["cxlake_spark_conn_id"] = "spark_prod"
        dag = self.load("cxlake_daily")
        self.assertEqual({t.kwargs["conn_id"] for t in dag.tasks.values()}, {"spark_prod"})
        self.assertNotIn("--config", dag.tasks["ingest"].kwargs["application_args"], "no config Variable")

    def test_a_missing_required_variable_names_it(self):
        del FakeVariable.values["cxlake_jar"]
        with self.assertRaises(ValueError) as e:
            self.load("cxlake_daily")
        self.assertEqual(str(e.exception), "Cannot build the cxlake DAGs: Airflow Variable cxlake_jar is not set "
                                           "(the cxlake application jar, e.g. s3a://bucket/cxlake/cxlake.jar)")


class Airflow3DagsTest(DagTestCase):
    """Airflow 3 layout (airflow.sdk, the standard provider's sensor); SLAs no longer exist."""

    major = 3

    def test_dags_build_without_sla(self):
        self.use_pipeline(self.all_enabled())
        daily = self.load("cxlake_daily")
        self.assertEqual(len(daily.tasks), 13)
        self.assertTrue(all("sla" not in t.kwargs for t in daily.tasks.values()), "no sla on Airflow 3")
        self.assertTrue(all("execution_timeout" in t.kwargs for t in daily.tasks.values()), "timeouts still apply")
        weekly = self.load("cxlake_weekly")
        self.assertIsInstance(weekly.tasks["wait_for_daily_clv"], FakeExternalTaskSensor)


class PipelineValidationTest(DagTestCase):
    """The Python loader rejects what the Java loader rejects, with the same messages."""

    def error(self, raw):
        self.use_pipeline(raw)
        sys.modules.pop("cxlake_pipeline", None)
        pipeline = importlib.import_module("cxlake_pipeline")
        with self.assertRaises(ValueError) as e:
            pipeline.load_pipeline()
        return str(e.exception).replace(os.environ["CXLAKE_PIPELINE"], "P")

    def job(self, raw, name):
        return next(j for j in raw["jobs"] if j["name"] == name)

    def test_unknown_dependency(self):
        raw = copy.deepcopy(self.raw)
        self.job(raw, "clv")["depends_on"] = ["customer36O"]
        self.assertEqual(self.error(raw), "Cannot load pipeline P: job clv depends on an unknown job (customer36O)")

    def test_cycle(self):
        raw = copy.deepcopy(self.raw)
        self.job(raw, "ingest")["depends_on"] = ["clv"]
        self.assertEqual(self.error(raw), "Cannot load pipeline P: dependency cycle (ingest -> customer360 -> clv -> ingest)")

    def test_daily_job_on_weekly_job(self):
        raw = copy.deepcopy(self.raw)
        self.job(raw, "churn-score")["depends_on"].append("churn-train")
        self.assertEqual(self.error(raw), "Cannot load pipeline P: daily job churn-score cannot depend on a weekly job;"
                                          " use runs_after to order it after the model the weekly job trains (churn-train)")

    def test_unknown_key_and_bad_values(self):
        raw = copy.deepcopy(self.raw)
        self.job(raw, "clv")["timeout"] = 5
        self.assertTrue(self.error(raw).startswith("Cannot load pipeline P: unknown key in job clv; known: ["))
        raw = copy.deepcopy(self.raw)
        self.job(raw, "clv")["schedule"] = "monthly"
        self.assertEqual(self.error(raw), "Cannot load pipeline P: job clv has an unknown schedule (daily or weekly) (monthly)")
        raw = copy.deepcopy(self.raw)
        raw["schedules"]["weekly"]["cron"] = "0 3 * * 0"
        self.assertEqual(self.error(raw), "Cannot load pipeline P: schedules.weekly.cron must start at the time of day"
                                          " of the daily cron (0 3 * * 0)")

    def test_the_repository_file_is_valid(self):
        sys.modules.pop("cxlake_pipeline", None)
        pipeline = importlib.import_module("cxlake_pipeline")
        self.assertEqual(pipeline.pipeline_path(), PIPELINE, "found from the DAG folder in the repository")
        loaded = pipeline.load_pipeline()
        self.assertEqual([j["name"] for j in loaded["jobs"]], [j["name"] for j in self.raw["jobs"]])


if __name__ == "__main__":
    unittest.main()
