package io.cxlake.jobs.notebooks;

import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * The main class of the notebooks' Java kernel (rapaio-jupyter-kernel 3.0.1, see
 * notebooks/README.md): starts it as the kernel's own MainApp does, around two races of that
 * version that leave a kernel which never answers (NotebooksIT saw one in about half of the starts
 * on a busy two-core machine).
 * <ul>
 *   <li>A channel's polling thread is started before its "running" flag is set; a thread that gets
 *       the processor first sees the flag unset and ends at once, silently, and its socket is never
 *       read again. Such a thread is started again here, the flag set beforehand.
 *   <li>Jupyter sends kernel_info requests from the moment it has started the kernel, once a
 *       second; the kernel starts polling its sockets before it creates its map of message
 *       handlers, and a request arriving in between fails on the missing map and ends the shell
 *       thread. Created empty beforehand, the map makes such a request "unhandled" instead, and
 *       Jupyter's next request is answered.
 * </ul>
 * Reflection, as both are private to the kernel, whose version the pom pins; nothing of the kernel
 * reaches the application's classpath.
 */
public final class KernelLauncher {
  private static final String KERNEL = "org.rapaio.jupyter.kernel.";
  private static final Logger LOG = Logger.getLogger(KernelLauncher.class.getSimpleName());
  /** A polling thread that lost the race ends at once; one that runs never ends before shutdown. */
  private static final long SETTLE_MILLIS = 200;

  private KernelLauncher() {}

  /** Runs the kernel on a Jupyter connection file until Jupyter shuts it down. */
  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      throw new IllegalArgumentException("Cannot start the notebook kernel: expected one connection file ("
          + Arrays.toString(args) + ")");
    }
    Class<?> mainApp = Class.forName(KERNEL + "MainApp");
    LogManager.getLogManager().readConfiguration(mainApp.getClassLoader().getResourceAsStream("logging.properties"));
    Thread.setDefaultUncaughtExceptionHandler((thread, e) ->
        LOG.log(Level.SEVERE, "Kernel thread " + thread.getName() + " stopped", e));
    Class<?> propertiesClass = Class.forName(KERNEL + "core.ConnectionProperties");
    Object properties = Class.forName(KERNEL + "core.Transform").getMethod("fromJson", String.class, Class.class)
        .invoke(null, Files.readString(Path.of(args[0])), propertiesClass);
    Class<?> channelsClass = Class.forName(KERNEL + "channels.Channels");
    Object channels = channelsClass.getConstructor(propertiesClass).newInstance(properties);
    field(channelsClass, "handlers").set(channels, new HashMap<>());
    Object kernel = mainApp.getField("kernel").get(null);
    channelsClass.getMethod("connect", kernel.getClass()).invoke(channels, kernel);
    restartEndedLoops(channels);
    channelsClass.getMethod("joinUntilClose").invoke(channels);
  }

  /** Starts again every channel polling thread that ended right after its start. */
  private static void restartEndedLoops(Object channels) throws Exception {
    Class<?> loopClass = Class.forName(KERNEL + "channels.LoopThread");
    List<Object[]> loops = new ArrayList<>();
    for (Field channelField : channels.getClass().getDeclaredFields()) {
      channelField.setAccessible(true);
      Object channel = channelField.get(channels);
      if (channel == null) {
        continue;
      }
      for (Field f : channel.getClass().getDeclaredFields()) {
        if (f.getType() == loopClass) {
          f.setAccessible(true);
          loops.add(new Object[] {channel, f});
        }
      }
    }
    Thread.sleep(SETTLE_MILLIS);
    for (Object[] loop : loops) {
      Field f = (Field) loop[1];
      Thread thread = (Thread) f.get(loop[0]);
      if (thread == null || thread.isAlive()) {
        continue;
      }
      Thread again = (Thread) loopClass.getConstructor(String.class, long.class, Runnable.class).newInstance(
          thread.getName(), field(loopClass, "sleep").get(thread), field(loopClass, "loopBody").get(thread));
      field(loopClass, "running").set(again, true);
      f.set(loop[0], again);
      again.start();
      LOG.info("Restarted the polling thread of " + loop[0].getClass().getSimpleName() + ", which ended at its start");
    }
  }

  private static Field field(Class<?> type, String name) throws NoSuchFieldException {
    Field f = type.getDeclaredField(name);
    f.setAccessible(true);
    return f;
  }
}
