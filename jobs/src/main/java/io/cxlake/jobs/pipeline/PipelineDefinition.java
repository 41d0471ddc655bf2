package io.cxlake.jobs.pipeline;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The job graph of {@code conf/pipeline.json}, the one definition that both {@code cxlake run} and
 * the Airflow DAGs read, so the local order and the scheduled one cannot drift apart. Loading
 * validates the whole file (unknown keys, unknown or cyclic dependencies) and fixes one execution
 * order: dependency order, ties broken by the order of declaration, so a failed run can be
 * resumed from a job by name.
 */
public final class PipelineDefinition {
  /** Where the build puts {@code conf/pipeline.json} in the application jar. */
  public static final String RESOURCE = "cxlake/pipeline.json";

  /** The file in the repository. */
  public static final String FILE = "conf/pipeline.json";

  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");
  private static final Set<String> TOP_KEYS = Set.of("description", "defaults", "spark_conf", "schedules", "jobs");
  private static final Set<String> DEFAULT_KEYS =
      Set.of("retries", "retry_delay_minutes", "max_retry_delay_minutes", "timeout_minutes", "sla_minutes");
  private static final Set<String> SCHEDULE_KEYS =
      Set.of("dag_id", "cron", "start_date", "dagrun_timeout_minutes", "description");
  private static final Set<String> JOB_KEYS = Set.of("name", "command", "schedule", "enabled", "description", "note",
      "depends_on", "runs_after", "args", "spark_conf", "retries", "timeout_minutes", "sla_minutes");

  private final String origin;
  private final List<PipelineJob> jobs;
  private final Map<String, PipelineJob> byName;
  private final List<PipelineJob> order;

  private PipelineDefinition(String origin, List<PipelineJob> jobs) {
    this.origin = origin;
    this.jobs = List.copyOf(jobs);
    this.byName = new LinkedHashMap<>();
    jobs.forEach(j -> byName.put(j.name(), j));
    this.order = topologicalOrder();
  }

  /** The definition packaged in the application jar (a copy of {@code conf/pipeline.json}). */
  public static PipelineDefinition loadDefault() {
    try (InputStream in = PipelineDefinition.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("Cannot load pipeline: resource missing from the classpath (" + RESOURCE + ")");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), FILE);
    } catch (IOException e) {
      throw new IllegalStateException("Cannot load pipeline: resource unreadable (" + RESOURCE + ")", e);
    }
  }

  /** A pipeline file given by the user. */
  public static PipelineDefinition load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("Cannot load pipeline: file does not exist (" + file + ")");
    }
    try {
      return parse(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new IllegalArgumentException("Cannot load pipeline: file unreadable (" + file + ")", e);
    }
  }

  /**
   * Parses and validates a pipeline definition.
   *
   * @param json the file's text
   * @param origin where it came from, named in error messages
   */
  public static PipelineDefinition parse(String json, String origin) {
    Map<String, Object> root;
    try {
      root = ConfigFactory.parseString(json,
          ConfigParseOptions.defaults().setSyntax(ConfigSyntax.JSON).setOriginDescription(origin)).root().unwrapped();
    } catch (ConfigException e) {
      throw new IllegalArgumentException("Cannot load pipeline " + origin + ": invalid JSON (" + e.getMessage() + ")", e);
    }
    Reader r = new Reader(origin);
    r.keys("the top level", root, TOP_KEYS);
    r.optionalStrings("description", root.get("description"));
    Map<String, Object> defaults = r.object("defaults", root.getOrDefault("defaults", Map.of()));
    r.keys("defaults", defaults, DEFAULT_KEYS);
    defaults.forEach((k, v) -> r.count("defaults." + k, v, k.equals("retries") ? 0 : 1));
    r.stringMap("spark_conf", root.getOrDefault("spark_conf", Map.of()));

    Map<String, Object> schedules = r.object("schedules", r.required("schedules", root.get("schedules")));
    Set<String> scheduleIds = new TreeSet<>();
    for (Schedule s : Schedule.values()) {
      scheduleIds.add(s.id());
    }
    if (!schedules.keySet().equals(scheduleIds)) {
      r.fail("schedules must define exactly " + scheduleIds, new TreeSet<>(schedules.keySet()).toString());
    }
    schedules.forEach((id, value) -> {
      Map<String, Object> s = r.object("schedules." + id, value);
      r.keys("schedules." + id, s, SCHEDULE_KEYS);
      for (String key : List.of("dag_id", "cron", "start_date", "description")) {
        r.string("schedules." + id + "." + key, r.required("schedules." + id + "." + key, s.get(key)));
      }
      r.count("schedules." + id + ".dagrun_timeout_minutes",
          r.required("schedules." + id + ".dagrun_timeout_minutes", s.get("dagrun_timeout_minutes")), 1);
    });

    Object jobsValue = r.required("jobs", root.get("jobs"));
    if (!(jobsValue instanceof List<?> list) || list.isEmpty()) {
      throw r.error("jobs must be a non-empty list", String.valueOf(jobsValue));
    }
    List<PipelineJob> jobs = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Object item : list) {
      PipelineJob job = r.job(item);
      if (!names.add(job.name())) {
        r.fail("duplicate job", job.name());
      }
      jobs.add(job);
    }
    Map<String, PipelineJob> byName = jobs.stream().collect(Collectors.toMap(PipelineJob::name, j -> j));
    for (PipelineJob job : jobs) {
      for (String dep : concat(job.dependsOn(), job.runsAfter())) {
        if (!names.contains(dep)) {
          r.fail("job " + job.name() + " depends on an unknown job", dep);
        }
      }
      for (String dep : job.dependsOn()) {
        // A daily run would wait for a weekly run of the same as-of date, which exists once a week.
        if (job.schedule() == Schedule.DAILY && byName.get(dep).schedule() == Schedule.WEEKLY) {
          r.fail("daily job " + job.name() + " cannot depend on a weekly job; use runs_after to order it after the"
              + " model the weekly job trains", dep);
        }
      }
    }
    return new PipelineDefinition(origin, jobs);
  }

  /** Where the definition came from. */
  public String origin() {
    return origin;
  }

  /** Every job, in the order of the file. */
  public List<PipelineJob> jobs() {
    return jobs;
  }

  /** The job of that name. */
  public Optional<PipelineJob> job(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /**
   * Every job in execution order: after its {@code depends_on} and {@code runs_after} jobs, ties
   * broken by the order of the file. Disabled jobs keep their place (and are skipped when run).
   */
  public List<PipelineJob> order() {
    return order;
  }

  /**
   * The jobs one run executes, in order.
   *
   * @param schedule only that schedule's jobs, or every job when empty
   * @param from start at this job, skipping the ones before it in {@link #order()} (resume)
   * @param only run just these jobs (still in order); empty for every job
   */
  public PipelinePlan plan(Optional<Schedule> schedule, Optional<String> from, Collection<String> only) {
    List<PipelineJob> selected = order.stream()
        .filter(j -> schedule.isEmpty() || j.schedule() == schedule.get())
        .collect(Collectors.toCollection(ArrayList::new));
    if (!only.isEmpty()) {
      Set<String> wanted = new LinkedHashSet<>(only);
      wanted.forEach(name -> selectable(name, schedule, "--only"));
      selected.removeIf(j -> !wanted.contains(j.name()));
    }
    if (from.isPresent()) {
      PipelineJob start = selectable(from.get(), schedule, "--from");
      int at = selected.indexOf(start);
      if (at < 0) {
        throw new IllegalArgumentException("Cannot run pipeline: --from names a job that --only leaves out ("
            + from.get() + ")");
      }
      selected = new ArrayList<>(selected.subList(at, selected.size()));
    }
    return new PipelinePlan(
        selected.stream().filter(PipelineJob::enabled).toList(),
        selected.stream().filter(j -> !j.enabled()).toList());
  }

  private PipelineJob selectable(String name, Optional<Schedule> schedule, String option) {
    PipelineJob job = byName.get(name);
    if (job == null) {
      throw new IllegalArgumentException("Cannot run pipeline: " + option + " names an unknown job (" + name
          + "); jobs: " + String.join(", ", byName.keySet()));
    }
    if (!job.enabled()) {
      throw new IllegalArgumentException("Cannot run pipeline: " + option + " names a job that is disabled in "
          + origin + " (" + name + (job.note().isEmpty() ? "" : ": " + job.note()) + ")");
    }
    if (schedule.isPresent() && job.schedule() != schedule.get()) {
      throw new IllegalArgumentException("Cannot run pipeline: " + option + " names a " + job.schedule().id()
          + " job but --schedule is " + schedule.get().id() + " (" + name + ")");
    }
    return job;
  }

  /** Kahn's algorithm, always taking the earliest declared job that is ready. */
  private List<PipelineJob> topologicalOrder() {
    Map<String, Integer> position = new HashMap<>();
    for (int i = 0; i < jobs.size(); i++) {
      position.put(jobs.get(i).name(), i);
    }
    Map<String, Integer> waitingFor = new HashMap<>();
    Map<String, List<String>> dependents = new HashMap<>();
    for (PipelineJob job : jobs) {
      Set<String> before = new LinkedHashSet<>(concat(job.dependsOn(), job.runsAfter()));
      waitingFor.put(job.name(), before.size());
      before.forEach(b -> dependents.computeIfAbsent(b, k -> new ArrayList<>()).add(job.name()));
    }
    PriorityQueue<String> ready = new PriorityQueue<>((a, b) -> Integer.compare(position.get(a), position.get(b)));
    waitingFor.forEach((name, n) -> {
      if (n == 0) {
        ready.add(name);
      }
    });
    List<PipelineJob> result = new ArrayList<>();
    while (!ready.isEmpty()) {
      String next = ready.poll();
      result.add(byName.get(next));
      for (String d : dependents.getOrDefault(next, List.of())) {
        if (waitingFor.merge(d, -1, Integer::sum) == 0) {
          ready.add(d);
        }
      }
    }
    if (result.size() < jobs.size()) {
      throw new IllegalArgumentException("Cannot load pipeline " + origin + ": dependency cycle ("
          + String.join(" -> ", findCycle(waitingFor)) + ")");
    }
    return List.copyOf(result);
  }

  /** A cycle among the jobs Kahn's algorithm could not order, for the error message. */
  private List<String> findCycle(Map<String, Integer> waitingFor) {
    String start = jobs.stream().map(PipelineJob::name).filter(n -> waitingFor.get(n) > 0).findFirst().orElseThrow();
    Deque<String> path = new ArrayDeque<>();
    Set<String> onPath = new HashSet<>();
    String current = start;
    // Every unordered job waits for at least one other unordered job, so walking back along
    // those edges must revisit a job.
    while (onPath.add(current)) {
      path.addLast(current);
      PipelineJob job = byName.get(current);
      current = concat(job.dependsOn(), job.runsAfter()).stream()
          .filter(d -> waitingFor.get(d) > 0).findFirst().orElseThrow();
    }
    List<String> cycle = new ArrayList<>();
    boolean in = false;
    for (String n : path) {
      in |= n.equals(current);
      if (in) {
        cycle.add(n);
      }
    }
    cycle.add(current);
    // The walk followed "waits for" edges; print the cycle in execution direction.
    java.util.Collections.reverse(cycle);
    return cycle;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /** Type-checked access to the parsed JSON, failing with messages that name the file and key. */
  private record Reader(String origin) {
    IllegalArgumentException error(String reason, String value) {
      return new IllegalArgumentException("Cannot load pipeline " + origin + ": " + reason + " (" + value + ")");
    }

    void fail(String reason, String value) {
      throw error(reason, value);
    }

    Object required(String key, Object value) {
      if (value == null) {
        fail("missing required key", key);
      }
      return value;
    }

    void keys(String where, Map<String, Object> object, Set<String> known) {
      for (String key : new TreeSet<>(object.keySet())) {
        if (!known.contains(key)) {
          fail("unknown key in " + where + "; known: " + new TreeSet<>(known), key);
        }
      }
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> object(String key, Object value) {
      if (!(value instanceof Map<?, ?>)) {
        fail(key + " must be an object", String.valueOf(value));
      }
      return (Map<String, Object>) value;
    }

    String string(String key, Object value) {
      if (!(value instanceof String s) || s.isBlank()) {
        throw error(key + " must be a non-empty string", String.valueOf(value));
      }
      return s;
    }

    List<String> strings(String key, Object value) {
      if (value == null) {
        return List.of();
      }
      if (!(value instanceof List<?> list) || !list.stream().allMatch(v -> v instanceof String)) {
        throw error(key + " must be a list of strings", String.valueOf(value));
      }
      return list.stream().map(String.class::cast).toList();
    }

    void optionalStrings(String key, Object value) {
      if (value != null && !(value instanceof String)) {
        strings(key, value);
      }
    }

    void stringMap(String key, Object value) {
      object(key, value).forEach((k, v) -> string(key + "." + k, v));
    }

    void count(String key, Object value, int min) {
      if (!(value instanceof Integer || value instanceof Long) || ((Number) value).longValue() < min) {
        fail(key + " must be a whole number of at least " + min, String.valueOf(value));
      }
    }

    PipelineJob job(Object item) {
      Map<String, Object> o = object("each job", item);
      String name = string("job name", required("jobs[].name", o.get("name")));
      if (!NAME.matcher(name).matches()) {
        fail("job name must be lower-case letters, digits and '-'", name);
      }
      String where = "job " + name;
      keys(where, o, JOB_KEYS);
      String command = o.containsKey("command") ? string(where + " command", o.get("command")) : name;
      if (!NAME.matcher(command).matches()) {
        fail(where + " command must be lower-case letters, digits and '-'", command);
      }
      String scheduleId = string(where + " schedule", required(where + " schedule", o.get("schedule")));
      Schedule schedule = Schedule.byId(scheduleId)
          .orElseThrow(() -> error(where + " has an unknown schedule (daily or weekly)", scheduleId));
      if (!(required(where + " enabled", o.get("enabled")) instanceof Boolean enabled)) {
        throw error(where + " enabled must be true or false", String.valueOf(o.get("enabled")));
      }
      String description = string(where + " description", required(where + " description", o.get("description")));
      String note = o.containsKey("note") ? string(where + " note", o.get("note")) : "";
      for (String key : List.of("retries", "timeout_minutes", "sla_minutes")) {
        if (o.containsKey(key)) {
          count(where + " " + key, o.get(key), key.equals("retries") ? 0 : 1);
        }
      }
      if (o.containsKey("spark_conf")) {
        stringMap(where + " spark_conf", o.get("spark_conf"));
      }
      return new PipelineJob(name, command, schedule, enabled, description, note,
          strings(where + " depends_on", o.get("depends_on")), strings(where + " runs_after", o.get("runs_after")),
          strings(where + " args", o.get("args")));
    }
  }
}
