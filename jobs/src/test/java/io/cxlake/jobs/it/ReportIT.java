package io.cxlake.jobs.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The report a person opens: DemoIT's {@code bin/cxlake demo} ends by writing it (the pipeline's
 * report step) and printing its path; Debian's Chromium, driven headless through its chromedriver,
 * loads it from disk, and every chart must have rendered with a size, the console must be free of
 * errors, and a full-page screenshot is kept in jobs/target/report/.
 */
class ReportIT {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  private static final Path OUT = ItSupport.PROJECT.resolve("jobs/target/report");
  private static final Pattern REPORT = Pattern.compile("report: (\\S+\\.html)");

  @Test
  void theDemoReportRendersEveryChartInABrowser() throws Exception {
    assertThat(CHROMIUM).as("Chromium (.ci/run installs Debian's chromium)").isExecutable();
    assertThat(CHROMEDRIVER).as("chromedriver (.ci/run installs Debian's chromium-driver)").isExecutable();
    DemoIT.Demo demo = DemoIT.demo();
    Matcher printed = REPORT.matcher(demo.output());
    assertThat(printed.find()).as("demo prints the report's path\n" + demo.output()).isTrue();
    Path report = demo.dir().resolve(printed.group(1)).normalize();
    assertThat(report).as("the report file").isRegularFile();
    String html = Files.readString(report);
    assertThat(html).as("self-contained: nothing fetched over the network").doesNotContain("http://", "https://");

    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
        .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
            "--user-data-dir=" + Files.createTempDirectory("cxlake-chromium"));
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().build();
    ChromeDriver browser = new ChromeDriver(service, options);
    try {
      browser.manage().timeouts().pageLoadTimeout(Duration.ofMinutes(1));
      browser.manage().window().setSize(new Dimension(1400, 900));
      browser.get(report.toUri().toString());
      List<WebElement> charts = browser.findElements(By.cssSelector("img.chart"));
      assertThat(charts).as("charts on the page").hasSizeGreaterThanOrEqualTo(12);
      @SuppressWarnings("unchecked")
      List<Map<String, Object>> sizes = (List<Map<String, Object>>) ((JavascriptExecutor) browser).executeScript(
          "return Array.from(document.querySelectorAll('img.chart')).map(i => ({alt: i.alt, complete: i.complete,"
              + " natural: i.naturalWidth, width: i.getBoundingClientRect().width,"
              + " height: i.getBoundingClientRect().height}));");
      for (Map<String, Object> s : sizes) {
        assertThat((Boolean) s.get("complete")).as(s.get("alt") + " loaded").isTrue();
        assertThat(((Number) s.get("natural")).intValue()).as(s.get("alt") + " decoded (natural width)").isPositive();
        assertThat(((Number) s.get("width")).doubleValue()).as(s.get("alt") + " drawn with a width").isPositive();
        assertThat(((Number) s.get("height")).doubleValue()).as(s.get("alt") + " drawn with a height").isPositive();
      }
      assertThat(browser.findElements(By.cssSelector("section"))).as("every section").hasSizeGreaterThanOrEqualTo(8);
      List<String> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
          .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(LogEntry::getMessage).toList();
      assertThat(errors).as("console errors").isEmpty();

      long height = ((Number) ((JavascriptExecutor) browser).executeScript(
          "return document.documentElement.scrollHeight;")).longValue();
      browser.manage().window().setSize(new Dimension(1400, (int) Math.min(height + 40, 16000)));
      Files.createDirectories(OUT);
      Files.write(OUT.resolve("report.png"), browser.getScreenshotAs(OutputType.BYTES));
    } finally {
      browser.quit();
      service.stop();
    }
  }
}
